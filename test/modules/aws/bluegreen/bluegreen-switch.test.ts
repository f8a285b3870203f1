import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeregisterTargetsCommand, ModifyListenerCommand, ModifyRuleCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { type BluegreenSwitchArgs, bluegreenSwitchModule } from '../../../../src/modules/aws/bluegreen/bluegreen-switch.js';
import { TAG } from '../../../../src/modules/aws/bluegreen/state-tags.js';
import { ModuleFailure } from '../../../../src/modules/module.js';
import { moduleContext } from '../context.js';
import { weightsIn } from '../fake-elbv2.js';
import { FakePair, PAIR } from './fake-pair.js';

let pair: FakePair | undefined;
afterEach(() => pair?.restore());

const args = (overrides: Partial<BluegreenSwitchArgs> = {}): BluegreenSwitchArgs => ({
  ...PAIR,
  live_color: 'green',
  step_pause: 0,
  health_gate: true,
  min_healthy: 1,
  gate_timeout: 30,
  unhealthy_grace: 0,
  max_error_rate: 0.05,
  min_requests: 10,
  error_window: 10,
  bake_seconds: 0,
  check_interval: 0.05,
  auto_rollback: true,
  metrics: 'none',
  heartbeat: 10,
  ...overrides,
});

/** Blue live with one healthy instance, green deployed after it with one instance. */
function bluePairWithGreenDeployed(greenHealth: 'healthy' | 'unhealthy' | 'initial' = 'healthy') {
  const p = new FakePair({
    weights: { blue: 100, green: 0 },
    tags: { blue: { [TAG.liveSince]: '2024-05-01T10:00:00.000Z' }, green: { [TAG.deployedAt]: '2024-05-02T10:00:00.000Z' } },
  });
  const blue = p.instance('blue');
  const green = p.instance('green', { health: greenHealth });
  return { p, blue, green };
}

async function failureOf(promise: Promise<unknown>): Promise<ModuleFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModuleFailure);
  return error as ModuleFailure;
}

describe('bluegreen_switch', () => {
  it('moves the weights in one ModifyListener call, deregisters nothing, and tags both colors', async () => {
    const { p, green } = bluePairWithGreenDeployed();
    pair = p;
    const ctx = moduleContext();
    const result = await bluegreenSwitchModule.run(args(), ctx);
    expect(p.elb.inputsOf(ModifyListenerCommand)).toEqual([
      {
        ListenerArn: p.listenerArn,
        DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: p.arn.blue, Weight: 0 }, { TargetGroupArn: p.arn.green, Weight: 100 }] } }],
      },
    ]);
    expect(p.elb.inputsOf(DeregisterTargetsCommand)).toEqual([]);
    expect(p.elb.inputsOf(RegisterTargetsCommand)).toEqual([]);
    expect(p.weights()).toEqual({ blue: 0, green: 100 });
    expect(result).toEqual({
      changed: true,
      service: 'shop',
      previous_color: 'blue',
      weights_before: { blue: 100, green: 0 },
      live_color: 'green',
      weights: { blue: 0, green: 100 },
      rollback: false,
      gate: '1/1 targets healthy',
      baked: false,
      msg: 'shop: switched to green (blue 0, green 100)',
    });
    // Green is live since now; blue is what a rollback goes back to, still registered.
    expect(Date.parse(p.tags('green')[TAG.liveSince] ?? '')).toBeGreaterThan(Date.now() - 10_000);
    expect(p.tags('blue')[TAG.rollbackTarget]).toBeDefined();
    expect(p.tags('blue')[TAG.liveSince]).toBeUndefined();
    expect(p.elb.targetsOf('shop-blue')).toHaveLength(1);
    expect(p.elb.targetsOf('shop-green')).toEqual([{ id: green, state: 'healthy' }]);
    expect(ctx.said).toContain('bluegreen shop: weights blue 0, green 100');
  });

  it('changes nothing when the color is already live', async () => {
    const { p } = bluePairWithGreenDeployed();
    pair = p;
    await bluegreenSwitchModule.run(args(), moduleContext());
    p.elb.mock.resetHistory();
    p.ec2.mock.resetHistory();
    const again = await bluegreenSwitchModule.run(args(), moduleContext());
    expect(again).toMatchObject({ changed: false, live_color: 'green', previous_color: 'green', weights: { blue: 0, green: 100 }, msg: 'green was already live (blue 0, green 100)' });
    expect(again.gate).toBeUndefined();
    expect(p.mutations()).toEqual([]);
  });

  it('refuses when a green target is unhealthy, naming it, with the weights untouched', async () => {
    const { p, green } = bluePairWithGreenDeployed('unhealthy');
    pair = p;
    p.elb.setHealth(green, 'unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [500]');
    const failure = await failureOf(bluegreenSwitchModule.run(args(), moduleContext()));
    expect(failure.message).toBe(
      `Health gate refused to switch shop to green (shop-green): 0/1 targets healthy: ${green}:8080 unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [500]); weights unchanged (blue 100, green 0)`,
    );
    expect(failure.extra).toEqual({ changed: false, live_color: 'blue', weights: { blue: 100, green: 0 }, gate: expect.stringContaining(`${green}:8080 unhealthy`) });
    expect(p.mutations()).toEqual([]);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
  });

  it('gives an unhealthy target unhealthy_grace seconds to recover, with a heartbeat', async () => {
    const { p, green } = bluePairWithGreenDeployed('unhealthy');
    pair = p;
    const recovered = setTimeout(() => p.elb.setHealth(green, 'healthy'), 1_500);
    const ctx = moduleContext();
    try {
      const result = await bluegreenSwitchModule.run(args({ unhealthy_grace: 10, heartbeat: 1 }), ctx);
      expect(result).toMatchObject({ changed: true, live_color: 'green', gate: '1/1 targets healthy' });
    } finally {
      clearTimeout(recovered);
    }
    expect(ctx.said.some((line) => line.startsWith(`bluegreen shop: health gate green waiting 1/30 s: 0/1 targets healthy: ${green}:8080 unhealthy`))).toBe(true);
  });

  it('waits for targets still in their first health checks', async () => {
    pair = new FakePair({ weights: { blue: 100, green: 0 }, tags: { green: { [TAG.deployedAt]: new Date().toISOString() } } });
    pair.instance('blue');
    pair.elb.initialLooks = 3;
    const green = pair.instance('green', { health: 'initial' });
    const ctx = moduleContext();
    const result = await bluegreenSwitchModule.run(args({ heartbeat: 1 }), ctx);
    expect(result).toMatchObject({ changed: true, gate: '1/1 targets healthy' });
    expect(ctx.said).toContain(
      `bluegreen shop: health gate green waiting 1/30 s: 0/1 targets healthy: ${green}:8080 initial (Elb.RegistrationInProgress: Target registration is in progress)`,
    );
  });

  it('times out on a color with no registered targets', async () => {
    pair = new FakePair({ weights: { blue: 100, green: 0 } });
    pair.instance('blue');
    const failure = await failureOf(bluegreenSwitchModule.run(args({ gate_timeout: 1 }), moduleContext()));
    expect(failure.message).toBe(
      'Health gate refused to switch shop to green (shop-green): still not healthy after 1 s: 0 registered targets, 1 needed; weights unchanged (blue 100, green 0)',
    );
    expect(pair.mutations()).toEqual([]);
  });

  it('moves the weights in steps, marking the color being switched to until the end', async () => {
    const { p } = bluePairWithGreenDeployed();
    pair = p;
    const seen: { weights: Record<string, number>; switching: string | undefined }[] = [];
    p.elb.onWeights = (weights) => seen.push({ weights, switching: p.tags('green')[TAG.switching] });
    const ctx = moduleContext();
    const result = await bluegreenSwitchModule.run(args({ steps: [50, 10] }), ctx);
    expect(seen.map((s) => [s.weights[p.arn.blue], s.weights[p.arn.green]])).toEqual([
      [90, 10],
      [50, 50],
      [0, 100],
    ]);
    expect(seen.every((s) => s.switching !== undefined)).toBe(true);
    expect(p.tags('green')[TAG.switching]).toBeUndefined();
    expect(ctx.said.filter((l) => l.includes(': weights '))).toEqual([
      'bluegreen shop: weights blue 90, green 10',
      'bluegreen shop: weights blue 50, green 50',
      'bluegreen shop: weights blue 0, green 100',
    ]);
    expect(result).toMatchObject({ changed: true, live_color: 'green', weights: { blue: 0, green: 100 } });
  });

  it('rolls back at a step whose health checks fail, in one weight change', async () => {
    const { p, green } = bluePairWithGreenDeployed();
    pair = p;
    p.elb.onWeights = (weights) => {
      if (weights[p.arn.green] === 10) p.elb.setHealth(green, 'unhealthy', 'Target.Timeout', 'Request timed out');
    };
    const failure = await failureOf(bluegreenSwitchModule.run(args({ steps: [10, 50], step_pause: 1 }), moduleContext()));
    expect(failure.message).toMatch(
      new RegExp(`^shop: green failed at step 10%: health checks failed: 0/1 targets healthy: ${green}:8080 unhealthy \\(Target.Timeout: Request timed out\\); rolled back to blue in \\d+\\.\\d\\d s \\(weights blue 100, green 0\\)$`),
    );
    expect(failure.extra).toMatchObject({ changed: true, rolled_back: true, live_color: 'blue', weights: { blue: 100, green: 0 } });
    expect(p.elb.inputsOf(ModifyListenerCommand).map((i) => weightsIn(i.DefaultActions)[p.arn.green])).toEqual([10, 0]);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(p.tags('green')[TAG.rollbackReason]).toContain('at step 10%: health checks failed');
    expect(p.tags('blue')[TAG.liveSince]).toBeDefined();
    expect(p.elb.inputsOf(DeregisterTargetsCommand)).toEqual([]);
  });

  it('rolls back automatically when green fails during the bake window', async () => {
    const { p, green } = bluePairWithGreenDeployed();
    pair = p;
    p.elb.onWeights = (weights) => {
      if (weights[p.arn.green] === 100) setTimeout(() => p.elb.setHealth(green, 'unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [500]'), 300);
    };
    const started = Date.now();
    const failure = await failureOf(bluegreenSwitchModule.run(args({ bake_seconds: 30 }), moduleContext()));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(failure.message).toMatch(/^shop: green failed during the bake window: health checks failed: 0\/1 targets healthy: .* unhealthy .*; rolled back to blue in \d+\.\d\d s \(weights blue 100, green 0\)$/);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(p.tags('green')[TAG.rolledBackAt]).toBeDefined();
    expect(p.tags('green')[TAG.bakedAt]).toBeUndefined();
  });

  it('rolls back on the HTTP 5xx rate the local cloud counts for green', async () => {
    const { p } = bluePairWithGreenDeployed();
    pair = p;
    // The local cloud's listener counters: every look 50 more requests to green, 10 of them 5xx.
    let looks = 0;
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/_localcloud/health') return res.end('{"ok":true}');
      looks++;
      res.end(JSON.stringify({ listeners: [{ listenerArn: p.listenerArn, byTargetGroup: { [p.arn.green]: { requests: 50 * looks, status5xx: 10 * looks } } }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const failure = await failureOf(bluegreenSwitchModule.run(args({ bake_seconds: 30, metrics: 'localcloud', endpoint_url: endpoint }), moduleContext()));
      expect(failure.message).toMatch(/^shop: green failed during the bake window: HTTP 5xx rate 20% \(10 of 50 requests in the last \d+ s\) is above 5%; rolled back to blue/);
      expect(failure.extra).toMatchObject({ rolled_back: true, rollback_reason: expect.stringContaining('HTTP 5xx rate 20%') });
      expect(p.weights()).toEqual({ blue: 100, green: 0 });
    } finally {
      server.close();
    }
  });

  it('with auto_rollback off, reports the failure and leaves the weights', async () => {
    const { p, green } = bluePairWithGreenDeployed();
    pair = p;
    p.elb.onWeights = () => p.elb.setHealth(green, 'unhealthy', 'Target.Timeout');
    const failure = await failureOf(bluegreenSwitchModule.run(args({ bake_seconds: 5, auto_rollback: false }), moduleContext()));
    expect(failure.message).toBe(
      `shop: green failed during the bake window: health checks failed: 0/1 targets healthy: ${green}:8080 unhealthy (Target.Timeout); auto_rollback is off, weights left at blue 0, green 100`,
    );
    expect(failure.extra).toMatchObject({ changed: true, rolled_back: false, live_color: 'green' });
    expect(p.weights()).toEqual({ blue: 0, green: 100 });
  });

  it('bakes a healthy color and stamps it, so that the old color may be retired', async () => {
    const { p } = bluePairWithGreenDeployed();
    pair = p;
    const result = await bluegreenSwitchModule.run(args({ bake_seconds: 1 }), moduleContext());
    expect(result).toMatchObject({ changed: true, baked: true, msg: 'shop: switched to green (blue 0, green 100); baked 1 s' });
    expect(p.tags('green')[TAG.bakedAt]).toBeDefined();
    // Baked once: running the same switch again neither bakes nor changes anything.
    const again = await bluegreenSwitchModule.run(args({ bake_seconds: 1 }), moduleContext());
    expect(again).toMatchObject({ changed: false, baked: false });
  });

  it('switching back to the color it replaced is a rollback', async () => {
    const { p } = bluePairWithGreenDeployed();
    pair = p;
    await bluegreenSwitchModule.run(args(), moduleContext());
    const back = await bluegreenSwitchModule.run(args({ live_color: 'blue' }), moduleContext());
    expect(back).toMatchObject({ changed: true, rollback: true, previous_color: 'green', live_color: 'blue', msg: 'shop: rolled back to blue (blue 100, green 0)' });
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(p.tags('blue')[TAG.rollbackTarget]).toBeUndefined();
    expect(p.tags('green')).toMatchObject({ [TAG.rollbackReason]: 'rollback requested' });
    expect(p.tags('green')[TAG.liveSince]).toBeUndefined();
  });

  it('plans a switch, not a rollback, to a replaced color that has nothing registered yet', async () => {
    // The first release went to green; blue, empty, is tagged as what green replaced. A
    // --check run before the next deploy plans the switch to blue.
    pair = new FakePair({ weights: { blue: 0, green: 100 }, tags: { blue: { [TAG.rollbackTarget]: '2024-05-01T10:00:00.000Z' } } });
    pair.instance('green');
    const planned = await bluegreenSwitchModule.run(args({ live_color: 'blue' }), moduleContext({ checkMode: true }));
    expect(planned.msg).toBe('Would switch shop from green to blue: weights blue 0, green 100 -> blue 100, green 0; health gate on blue (now: 0 registered targets, 1 needed)');
  });

  it('in check mode shows the plan and calls nothing that changes', async () => {
    const { p } = bluePairWithGreenDeployed();
    pair = p;
    const planned = await bluegreenSwitchModule.run(args({ steps: [25], bake_seconds: 60 }), moduleContext({ checkMode: true }));
    expect(planned).toEqual({
      changed: true,
      service: 'shop',
      previous_color: 'blue',
      weights_before: { blue: 100, green: 0 },
      live_color: 'green',
      weights: { blue: 0, green: 100 },
      plan: [
        'switch shop from blue to green: weights blue 100, green 0 -> blue 75, green 25 -> blue 0, green 100',
        'bake green for 60 s, rolling back to blue if it fails',
        'health gate on green (now: 1/1 targets healthy)',
      ],
      msg: 'Would switch shop from blue to green: weights blue 100, green 0 -> blue 75, green 25 -> blue 0, green 100; bake green for 60 s, rolling back to blue if it fails; health gate on green (now: 1/1 targets healthy)',
    });
    expect(p.mutations()).toEqual([]);
  });

  it('moves the weights of a listener rule when rule_priority is given', async () => {
    pair = new FakePair({ weights: { blue: 100, green: 0 }, rulePriority: 10, tags: { green: { [TAG.deployedAt]: new Date().toISOString() } } });
    pair.instance('green');
    await bluegreenSwitchModule.run(args({ rule_priority: 10 }), moduleContext());
    expect(pair.elb.inputsOf(ModifyListenerCommand)).toEqual([]);
    expect(pair.elb.inputsOf(ModifyRuleCommand).map((i) => i.RuleArn)).toEqual([pair.ruleArn]);
    expect(pair.weights()).toEqual({ blue: 0, green: 100 });
  });

  it('warns that error rates are not read on AWS, and refuses CloudWatch', async () => {
    const { p } = bluePairWithGreenDeployed();
    pair = p;
    const ctx = moduleContext();
    await bluegreenSwitchModule.run(args({ metrics: 'auto' }), ctx);
    expect(ctx.warnings).toEqual(['HTTP error rates are not checked on AWS yet (CloudWatch is not read): health checks alone guard this switch']);
    const failure = await failureOf(bluegreenSwitchModule.run(args({ live_color: 'blue', metrics: 'cloudwatch' }), moduleContext()));
    expect(failure.message).toMatch(/^metrics: cloudwatch is not implemented yet/);
  });

  it('says what is missing when there is no pair to switch, and rejects bad steps', async () => {
    pair = new FakePair();
    const missing = await failureOf(bluegreenSwitchModule.run(args(), moduleContext()));
    expect(missing.message).toBe('Service shop: no blue-green pair to work on: missing load balancer shop-lb');
    const badStep = await failureOf(bluegreenSwitchModule.run(args({ steps: [150] }), moduleContext()));
    expect(badStep.message).toBe('steps must be whole percentages between 1 and 100, got 150');
  });
});
