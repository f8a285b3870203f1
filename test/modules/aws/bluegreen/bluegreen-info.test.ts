import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { bluegreenInfoModule } from '../../../../src/modules/aws/bluegreen/bluegreen-info.js';
import type { PairArgs } from '../../../../src/modules/aws/bluegreen/pair-args.js';
import { TAG } from '../../../../src/modules/aws/bluegreen/state-tags.js';
import { ModuleFailure } from '../../../../src/modules/module.js';
import { moduleContext } from '../context.js';
import { elbError } from '../fake-elbv2.js';
import { FakePair, PAIR } from './fake-pair.js';

let pair: FakePair | undefined;
afterEach(() => pair?.restore());

const info = (args: Partial<PairArgs> = {}, checkMode = false) => bluegreenInfoModule.run({ ...PAIR, ...args }, moduleContext({ checkMode }));

describe('bluegreen_info', () => {
  it('describes a pair that does not exist yet without failing: the first release goes to green', async () => {
    pair = new FakePair();
    pair.elb.targetGroups.clear();
    const result = await info();
    expect(result).toMatchObject({
      changed: false,
      service: 'shop',
      phase: 'unconfigured',
      live_color: null,
      idle_color: null,
      weights: { blue: 0, green: 0 },
      load_balancer_arn: null,
      listener_arn: null,
      rule_arn: null,
      deploy_color: 'green',
      switch_color: null,
      rollback_color: null,
      retire_color: null,
      reasons: { switch: 'the pair is not set up yet; it starts with blue at weight 100' },
    });
    expect((result.colors as Record<string, unknown>).blue).toMatchObject({ target_group_name: 'shop-blue', target_group_arn: null, targets: [], instances: [], registered: 0 });
  });

  it('reads the weights, targets, instances and state tags of each color', async () => {
    pair = new FakePair({ weights: { blue: 100, green: 0 }, deregistrationDelay: 30, tags: { blue: { [TAG.liveSince]: '2024-05-01T10:00:00.000Z' } } });
    const blue = pair.instance('blue', { name: 'web-blue-1' });
    pair.instance('blue', { health: 'unhealthy' });
    const result = await info();
    expect(result).toMatchObject({
      changed: false,
      phase: 'steady',
      live_color: 'blue',
      idle_color: 'green',
      weights: { blue: 100, green: 0 },
      load_balancer_arn: expect.stringContaining(':loadbalancer/app/shop-lb/'),
      listener_arn: pair.listenerArn,
      deploy_color: 'green',
      switch_color: null,
      rollback_color: null,
      retire_color: null,
      reasons: {
        deploy: 'blue is live; green is free',
        switch: 'blue is live; green holds no newer deploy',
        rollback: 'green is not the color blue replaced',
        retire: 'green has no instances',
      },
    });
    const colors = result.colors as Record<string, Record<string, unknown>>;
    expect(colors.blue).toMatchObject({
      target_group_name: 'shop-blue',
      target_group_arn: pair.arn.blue,
      weight: 100,
      deregistration_delay: 30,
      registered: 2,
      healthy: 1,
      live_since: '2024-05-01T10:00:00.000Z',
      deployed_at: null,
      baked_at: null,
    });
    expect(colors.blue?.targets).toContainEqual({ id: blue, port: 8080, state: 'healthy', reason: undefined, description: undefined });
    expect((colors.blue?.instances as unknown[])[0]).toEqual({
      id: blue,
      name: 'web-blue-1',
      private_ip: expect.stringMatching(/^10\.0\.1\.\d+$/),
      state: 'running',
      launch_time: expect.stringMatching(/Z$/),
    });
    // Instances are found by the pair's tags, running or stopped, never terminated ones.
    expect(pair.ec2.inputsOf(DescribeInstancesCommand)[0]?.Filters).toEqual([
      { Name: `tag:${TAG.service}`, Values: ['shop'] },
      { Name: `tag:${TAG.color}`, Values: ['blue'] },
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ]);
    expect(pair.mutations()).toEqual([]);
  });

  it('follows the cycle: a newer deploy can be switched to, the replaced color rolled back to, then retired once baked', async () => {
    pair = new FakePair({
      weights: { blue: 100, green: 0 },
      tags: { blue: { [TAG.liveSince]: '2024-05-01T10:00:00.000Z' }, green: { [TAG.deployedAt]: '2024-05-02T10:00:00.000Z' } },
    });
    pair.instance('blue');
    pair.instance('green');
    expect(await info()).toMatchObject({ switch_color: 'green', retire_color: null, reasons: { retire: 'green holds a deploy that was not switched live yet' } });

    pair = swapWeights(pair, { blue: { [TAG.rollbackTarget]: '2024-05-02T11:00:00.000Z' }, green: { [TAG.liveSince]: '2024-05-02T11:00:00.000Z' } });
    expect(await info()).toMatchObject({
      live_color: 'green',
      rollback_color: 'blue',
      retire_color: null,
      deploy_color: null,
      reasons: { retire: 'green has not finished its bake window; blue is its rollback target' },
    });

    pair.tags('green')[TAG.bakedAt] = '2024-05-02T11:30:00.000Z';
    expect(await info()).toMatchObject({ rollback_color: 'blue', retire_color: 'blue', reasons: { retire: 'green is live and baked since 2024-05-02T11:30:00.000Z' } });
  });

  it('reports a switch left half way, from the switching tag', async () => {
    pair = new FakePair({ weights: { blue: 50, green: 50 }, tags: { green: { [TAG.switching]: '2024-05-02T11:00:00.000Z' } } });
    pair.instance('blue');
    pair.instance('green');
    expect(await info({}, true)).toMatchObject({
      changed: false,
      phase: 'switching',
      live_color: 'blue',
      switch_color: 'green',
      rollback_color: 'blue',
      deploy_color: null,
      retire_color: null,
      reasons: { switch: 'a switch from blue to green stopped half way (blue 50, green 50): finishing it' },
    });
  });

  it('reads a rule and named target groups when told', async () => {
    pair = new FakePair({ weights: { blue: 0, green: 100 }, rulePriority: 5 });
    const result = await info({ rule_priority: 5, target_groups: { blue: 'shop-blue', green: null } });
    expect(result).toMatchObject({ rule_arn: pair.ruleArn, live_color: 'green', weights: { blue: 0, green: 100 } });
    expect(pair.elb.inputsOf(DescribeTargetGroupsCommand).map((i) => i.Names)).toEqual([['shop-blue'], ['shop-green']]);
  });

  it('fails with AWS words when AWS refuses', async () => {
    pair = new FakePair({ weights: { blue: 100, green: 0 } });
    pair.elb.mock.on(DescribeTargetGroupsCommand).rejects(elbError('AccessDenied', 'User is not authorized to perform: elasticloadbalancing:DescribeTargetGroups', 403));
    const error = await info().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleFailure);
    expect((error as Error).message).toBe(
      'An error occurred (AccessDenied) when calling the DescribeTargetGroups operation: User is not authorized to perform: elasticloadbalancing:DescribeTargetGroups',
    );
  });
});

/** The same pair with the listener's weights turned around and more tags set. */
function swapWeights(p: FakePair, tags: Record<'blue' | 'green', Record<string, string>>): FakePair {
  const listener = p.elb.listener(p.listenerArn);
  const tuples = listener.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? [];
  for (const t of tuples) t.Weight = t.TargetGroupArn === p.arn.green ? 100 : 0;
  Object.assign(p.tags('blue'), tags.blue);
  Object.assign(p.tags('green'), tags.green);
  return p;
}
