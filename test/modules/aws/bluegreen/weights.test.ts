import { describe, expect, it } from 'vitest';
import { normalizeSteps } from '../../../../src/modules/aws/bluegreen/bluegreen-switch.js';
import { healthVerdict } from '../../../../src/modules/aws/bluegreen/health.js';
import { actionsWithWeights, weightsFor } from '../../../../src/modules/aws/bluegreen/weights.js';
import { BLUE_ARN, GREEN_ARN, healthy, pairState } from './pair-state.js';

describe('weights', () => {
  it('percent to one color, the rest to the other', () => {
    expect(weightsFor('green', 10)).toEqual({ blue: 90, green: 10 });
    expect(weightsFor('blue', 100)).toEqual({ blue: 100, green: 0 });
  });

  it('rewrites only the forward action, keeping other actions, other groups and stickiness', () => {
    const auth = { Type: 'authenticate-oidc' as const, Order: 1 };
    const forward = {
      Type: 'forward' as const,
      Order: 2,
      ForwardConfig: {
        TargetGroups: [{ TargetGroupArn: BLUE_ARN, Weight: 100 }, { TargetGroupArn: GREEN_ARN, Weight: 0 }, { TargetGroupArn: 'other', Weight: 5 }],
        TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 },
      },
    };
    const state = pairState({ weights: { blue: 100, green: 0 }, actions: [auth, forward] });
    expect(actionsWithWeights(state, { blue: 0, green: 100 })).toEqual([
      auth,
      {
        Type: 'forward',
        Order: 2,
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: BLUE_ARN, Weight: 0 }, { TargetGroupArn: GREEN_ARN, Weight: 100 }, { TargetGroupArn: 'other', Weight: 5 }],
          TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 },
        },
      },
    ]);
  });

  it('steps are increasing whole percentages ending at 100', () => {
    expect(normalizeSteps(undefined)).toEqual([100]);
    expect(normalizeSteps([50, 10])).toEqual([10, 50, 100]);
    expect(() => normalizeSteps([0])).toThrow(/between 1 and 100/);
  });
});

describe('health gate verdicts', () => {
  const unhealthy = { id: 'i-2', port: 8080, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' };
  it('healthy only when every registered target is and there are enough', () => {
    expect(healthVerdict([healthy('i-1'), healthy('i-2')], 2)).toEqual({ kind: 'healthy', text: '2/2 targets healthy' });
    expect(healthVerdict([healthy('i-1')], 2).kind).toBe('waiting');
    expect(healthVerdict([healthy('i-1'), { ...healthy('i-2'), state: 'initial', reason: 'Elb.InitialHealthChecking' }], 1).kind).toBe('waiting');
    expect(healthVerdict([], 1).kind).toBe('waiting');
  });
  it('fails on an unhealthy target, naming it and why', () => {
    expect(healthVerdict([healthy('i-1'), unhealthy], 1)).toEqual({
      kind: 'failed',
      text: '1/2 targets healthy: i-2:8080 unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [500])',
    });
  });
  it('ignores draining targets', () => {
    expect(healthVerdict([healthy('i-1'), { ...healthy('i-2'), state: 'draining' }], 1).kind).toBe('healthy');
  });
});
