// The health of one color's targets as the load balancer reports it, and the verdicts the
// health gate and the bake window draw from it.
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { targetHealth } from '../elbv2/target-groups-api.js';
import type { Color } from './pair-args.js';
import type { PairState, TargetView } from './pair.js';

export async function refreshTargets(elb: ElasticLoadBalancingV2Client, state: PairState, color: Color, signal: AbortSignal): Promise<TargetView[]> {
  const arn = state.colors[color].targetGroupArn as string;
  const targets = (await targetHealth(elb, arn, undefined, signal)).map((d) => ({
    id: d.Target?.Id ?? '',
    port: d.Target?.Port,
    state: d.TargetHealth?.State ?? 'unknown',
    reason: d.TargetHealth?.Reason,
    description: d.TargetHealth?.Description,
  }));
  state.colors[color].targets = targets;
  return targets;
}

export type Verdict = { kind: 'healthy'; text: string } | { kind: 'waiting'; text: string } | { kind: 'failed'; text: string };

function describe(target: TargetView): string {
  const why = [target.reason, target.description].filter(Boolean).join(': ');
  return `${target.id}${target.port ? `:${target.port}` : ''} ${target.state}${why ? ` (${why})` : ''}`;
}

/**
 * healthy: at least `minHealthy` registered targets and every one of them healthy;
 * failed: a registered target is unhealthy; waiting: registrations or first checks pending.
 */
export function healthVerdict(targets: readonly TargetView[], minHealthy: number): Verdict {
  const registered = targets.filter((t) => t.state !== 'draining' && t.reason !== 'Target.NotRegistered');
  const healthy = registered.filter((t) => t.state === 'healthy');
  const unhealthy = registered.filter((t) => t.state === 'unhealthy');
  const count = `${healthy.length}/${registered.length} targets healthy`;
  if (unhealthy.length > 0) return { kind: 'failed', text: `${count}: ${unhealthy.map(describe).join(', ')}` };
  if (registered.length < minHealthy) {
    return { kind: 'waiting', text: `${registered.length} registered target${registered.length === 1 ? '' : 's'}, ${minHealthy} needed` };
  }
  if (healthy.length < registered.length) return { kind: 'waiting', text: `${count}: ${registered.filter((t) => t.state !== 'healthy').map(describe).join(', ')}` };
  return { kind: 'healthy', text: count };
}
