// Where a switch reads the HTTP error rate of a target group: one interface, with the local
// cloud's listener counters as one source. CloudWatch (HTTPCode_Target_5XX_Count and
// RequestCount per target group) is the source on AWS; tsplay does not read it yet, so on
// AWS only health checks guard a switch and the bake window (see docs/bluegreen.md).
import { ModuleFailure } from '../../module.js';

export interface TrafficWindow {
  requests: number;
  /** 5xx answers, from the targets or made by the load balancer for them. */
  errors: number;
  /** How many seconds the counts span (shorter than asked at the start of a watch). */
  seconds: number;
}

export interface TrafficSource {
  readonly name: string;
  /** Requests and 5xx of a target group over about the last `seconds` seconds. */
  window(targetGroupArn: string, seconds: number, signal: AbortSignal): Promise<TrafficWindow>;
}

interface Sample {
  at: number;
  requests: number;
  errors: number;
}

interface LocalCloudCounts {
  requests: number;
  status5xx: number;
}

interface LocalCloudListener {
  listenerArn: string;
  byTargetGroup: Record<string, LocalCloudCounts>;
}

/**
 * The local cloud's listener counters (GET /_localcloud/elbv2/listeners). They are totals
 * per target group; the window is the difference between now and a sample taken about
 * `seconds` ago, so each call also records a sample.
 */
export class LocalCloudTraffic implements TrafficSource {
  readonly name = 'local cloud listener counters';
  private readonly samples = new Map<string, Sample[]>();

  constructor(
    private readonly endpoint: string,
    private readonly listenerArn: string,
    private readonly now: () => number = Date.now,
  ) {}

  async window(targetGroupArn: string, seconds: number, signal: AbortSignal): Promise<TrafficWindow> {
    const counts = await this.totals(targetGroupArn, signal);
    const at = this.now();
    let samples = this.samples.get(targetGroupArn);
    if (!samples) this.samples.set(targetGroupArn, (samples = []));
    samples.push({ at, requests: counts.requests, errors: counts.status5xx });
    const since = at - seconds * 1000;
    while (samples.length > 2 && (samples[1] as Sample).at <= since) samples.shift();
    const base = samples[0] as Sample;
    return { requests: counts.requests - base.requests, errors: counts.status5xx - base.errors, seconds: (at - base.at) / 1000 };
  }

  private async totals(targetGroupArn: string, signal: AbortSignal): Promise<LocalCloudCounts> {
    const url = `${this.endpoint.replace(/\/+$/, '')}/_localcloud/elbv2/listeners?window=60`;
    let body: { listeners?: LocalCloudListener[] };
    try {
      const response = await fetch(url, { signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = (await response.json()) as { listeners?: LocalCloudListener[] };
    } catch (error) {
      throw new ModuleFailure(`Unable to read the listener counters at ${url}: ${(error as Error).message}`);
    }
    const listener = body.listeners?.find((l) => l.listenerArn === this.listenerArn);
    return listener?.byTargetGroup[targetGroupArn] ?? { requests: 0, status5xx: 0 };
  }
}

/** True when the ELB endpoint is a tsplay local cloud (it answers /_localcloud/health). */
export async function isLocalCloud(endpoint: string | undefined, signal: AbortSignal): Promise<boolean> {
  if (!endpoint) return false;
  try {
    const response = await fetch(`${endpoint.replace(/\/+$/, '')}/_localcloud/health`, { signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

export type MetricsChoice = 'auto' | 'localcloud' | 'cloudwatch' | 'none';

/**
 * The source a switch reads, or undefined when error rates are not checked. `auto` takes
 * the local cloud when the endpoint is one, and otherwise checks health only, with a warning.
 */
export async function trafficSource(
  choice: MetricsChoice,
  endpoint: string | undefined,
  listenerArn: string,
  warn: (message: string) => void,
  signal: AbortSignal,
): Promise<TrafficSource | undefined> {
  if (choice === 'none') return undefined;
  if (choice === 'cloudwatch') {
    throw new ModuleFailure(
      'metrics: cloudwatch is not implemented yet (HTTPCode_Target_5XX_Count would be read through CloudWatch GetMetricData); use metrics: none to rely on health checks only',
    );
  }
  if (await isLocalCloud(endpoint, signal)) return new LocalCloudTraffic(endpoint as string, listenerArn);
  if (choice === 'localcloud') throw new ModuleFailure(`metrics: localcloud needs the ELB endpoint to be a tsplay local cloud; ${endpoint ?? 'AWS'} is not`);
  warn('HTTP error rates are not checked on AWS yet (CloudWatch is not read): health checks alone guard this switch');
  return undefined;
}
