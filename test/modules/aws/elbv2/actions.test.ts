import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { sameActions, sameConditions, withTargetGroupArns } from '../../../../src/modules/aws/elbv2/actions.js';

const BLUE = 'arn:aws:elasticloadbalancing:us-east-1:0:targetgroup/blue/1';
const GREEN = 'arn:aws:elasticloadbalancing:us-east-1:0:targetgroup/green/2';

/** What AWS answers for a forward action (both spellings, defaults filled in). */
function described(weights: [string, number][]): Action {
  return {
    Type: 'forward',
    Order: 1,
    ...(weights.length === 1 ? { TargetGroupArn: weights[0]?.[0] } : {}),
    ForwardConfig: { TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })), TargetGroupStickinessConfig: { Enabled: false } },
  };
}

describe('listener actions', () => {
  it('sees a plain forward and the forward config AWS answers with as the same', () => {
    expect(sameActions([described([[BLUE, 1]])], [{ Type: 'forward', TargetGroupArn: BLUE }])).toBe(true);
    expect(sameActions([described([[BLUE, 1]])], [{ Type: 'forward', TargetGroupArn: GREEN }])).toBe(false);
  });

  it('sees a weight change between two target groups, in any order', () => {
    const live = [described([[BLUE, 100], [GREEN, 0]])];
    const same: Action = { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: GREEN, Weight: 0 }, { TargetGroupArn: BLUE, Weight: 100 }] } };
    const switched: Action = { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: 0 }, { TargetGroupArn: GREEN, Weight: 100 }] } };
    expect(sameActions(live, [same])).toBe(true);
    expect(sameActions(live, [switched])).toBe(false);
    expect(sameActions(live, [{ ...same, ForwardConfig: { ...same.ForwardConfig, TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 60 } } }])).toBe(false);
  });

  it('fills redirect defaults before comparing', () => {
    const live: Action = { Type: 'redirect', Order: 1, RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' } };
    expect(sameActions([live], [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }])).toBe(true);
  });

  it('resolves target group names, at the action level and in forward configs', async () => {
    const arns: Record<string, string> = { blue: BLUE, green: GREEN };
    const resolved = await withTargetGroupArns(
      [{ Type: 'forward', TargetGroupName: 'blue' }, { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupName: 'green', Weight: '10' }] }, Order: '2' }],
      async (name) => arns[name] ?? '',
    );
    expect(resolved).toEqual([
      { Type: 'forward', TargetGroupArn: BLUE },
      { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: GREEN, Weight: 10 }] }, Order: 2 },
    ]);
  });
});

describe('rule conditions', () => {
  it('compares values whether given directly or in a config, in any order', () => {
    const live = [{ Field: 'path-pattern', Values: ['/api/*', '/v2/*'], PathPatternConfig: { Values: ['/api/*', '/v2/*'] } }];
    expect(sameConditions(live, [{ Field: 'path-pattern', Values: ['/v2/*', '/api/*'] }])).toBe(true);
    expect(sameConditions(live, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }])).toBe(false);
    expect(sameConditions([{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Color', Values: ['green'] } }], [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Colour', Values: ['green'] } }])).toBe(false);
  });
});
