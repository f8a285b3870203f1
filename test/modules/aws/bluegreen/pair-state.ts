// A PairState for the pure blue-green logic (decisions, weights, health verdicts).
import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Color } from '../../../../src/modules/aws/bluegreen/pair-args.js';
import { type ColorState, type PairState, decidePhase } from '../../../../src/modules/aws/bluegreen/pair.js';

export const BLUE_ARN = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/svc-blue/1';
export const GREEN_ARN = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/svc-green/2';

export function pairState(options: {
  weights?: Partial<Record<Color, number>> | undefined;
  tags?: Partial<Record<Color, Record<string, string>>>;
  targets?: Partial<Record<Color, ColorState['targets']>>;
  actions?: Action[];
}): PairState {
  const color = (c: Color, arn: string): ColorState => ({
    color: c,
    targetGroupName: `svc-${c}`,
    targetGroupArn: arn,
    weight: options.weights?.[c] ?? 0,
    inForward: options.weights !== undefined,
    tags: { ...(options.tags?.[c] ?? {}) },
    targets: options.targets?.[c] ?? [],
    deregistrationDelaySeconds: 300,
  });
  const colors = { blue: color('blue', BLUE_ARN), green: color('green', GREEN_ARN) };
  return {
    service: 'svc',
    loadBalancerArn: 'lb',
    listenerArn: 'listener',
    ruleArn: undefined,
    actions: options.actions ?? [],
    colors,
    ...decidePhase(colors),
  };
}

export const healthy = (id: string) => ({ id, port: 8080, state: 'healthy', reason: undefined, description: undefined });
