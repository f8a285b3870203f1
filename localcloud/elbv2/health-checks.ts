// Real HTTP health checks against registered targets, on each target group's interval,
// moving targets between initial, healthy and unhealthy by the group's thresholds.
import { request } from 'node:http';
import type { HealthCheckSettings, TargetGroupRecord, TargetRecord } from './model.js';

export interface ProbeResult {
  ok: boolean;
  reason?: string;
  description?: string;
}

/** Whether a status code satisfies a Matcher.HttpCode such as "200", "200-299" or "200,302". */
export function matchesHttpCode(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [low, high] = part.trim().split('-').map(Number);
    if (low === undefined || Number.isNaN(low)) return false;
    return high === undefined ? status === low : status >= low && status <= (high ?? low);
  });
}

export function probe(address: string, port: number, settings: HealthCheckSettings, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = request(
      { host: address, port, path: settings.path || '/', method: 'GET', headers: { 'user-agent': 'ELB-HealthChecker/2.0', connection: 'close' }, agent: false },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        if (matchesHttpCode(settings.httpCode, status)) finish({ ok: true });
        else finish({ ok: false, reason: 'Target.ResponseCodeMismatch', description: `Health checks failed with these codes: [${status}]` });
      },
    );
    req.setTimeout(timeoutMs, () => {
      finish({ ok: false, reason: 'Target.Timeout', description: 'Request timed out' });
      req.destroy();
    });
    req.on('error', () => finish({ ok: false, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' }));
    req.end();
  });
}

/** Applies one probe result to a target's health, with the group's thresholds. */
export function recordProbe(target: TargetRecord, settings: HealthCheckSettings, result: ProbeResult): void {
  target.checked = true;
  if (result.ok) {
    target.consecutiveSuccesses++;
    target.consecutiveFailures = 0;
    if (target.health !== 'healthy' && target.consecutiveSuccesses >= settings.healthyThreshold) {
      target.health = 'healthy';
      target.reason = undefined;
      target.description = undefined;
    }
  } else {
    target.consecutiveFailures++;
    target.consecutiveSuccesses = 0;
    if (target.health !== 'unhealthy' && target.consecutiveFailures >= settings.unhealthyThreshold) target.health = 'unhealthy';
    if (target.health === 'unhealthy') {
      target.reason = result.reason;
      target.description = result.description;
    }
  }
}

export interface HealthCheckerHooks {
  /** Seconds from the API -> milliseconds here (the cloud's ELB time scale). */
  scaleMs: (seconds: number) => number;
  /** Where to probe a target, or undefined when it cannot be checked now (unused, stopped instance). */
  resolve: (group: TargetGroupRecord, target: TargetRecord) => { address: string; port: number } | undefined;
}

/** Runs the checks of one target group until stopped; the interval is read anew each round. */
export class GroupHealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly group: TargetGroupRecord,
    private readonly hooks: HealthCheckerHooks,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Check again soon (a target was registered): AWS starts checking new targets at once. */
  nudge(): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.round().finally(() => {
        this.running = undefined;
        this.schedule(this.hooks.scaleMs(this.group.healthCheck.intervalSeconds));
      });
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    const settings = this.group.healthCheck;
    if (!settings.enabled) return;
    const timeoutMs = this.hooks.scaleMs(settings.timeoutSeconds);
    await Promise.all(
      [...this.group.targets.values()].map(async (target) => {
        if (target.drainingUntil !== undefined) return;
        const where = this.hooks.resolve(this.group, target);
        if (!where) return;
        const result = await probe(where.address, where.port, settings, timeoutMs);
        if (!this.stopped && this.group.targets.get(`${target.id}:${target.port}`) === target) recordProbe(target, settings, result);
      }),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
