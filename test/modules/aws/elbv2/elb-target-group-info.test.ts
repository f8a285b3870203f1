import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { elbTargetGroupInfoModule } from '../../../../src/modules/aws/elbv2/elb-target-group-info.js';
import { ModuleFailure } from '../../../../src/modules/module.js';
import { moduleContext } from '../context.js';
import { FakeElbv2, elbError, forward } from '../fake-elbv2.js';

let elb: FakeElbv2;
let blue: string;
let green: string;
let lb: string;
beforeEach(() => {
  elb = new FakeElbv2();
  blue = elb.addTargetGroup('shop-blue', { tags: { Env: 'stg', 'tsplay:bluegreen:color': 'blue' }, deregistrationDelay: 30 });
  green = elb.addTargetGroup('shop-green');
  lb = elb.addLoadBalancer('shop-lb', 80, [forward([[blue, 100]])]).loadBalancerArn;
  elb.addTarget(blue, 'i-0123456789abcdef0', 'healthy');
  elb.addTarget(blue, 'i-0123456789abcdef1', 'unhealthy', 8080, 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [502]');
});
afterEach(() => elb.restore());

type Group = Record<string, unknown>;

describe('elb_target_group_info', () => {
  it('describes target groups by name in snake_case, with attributes and tags', async () => {
    const result = await elbTargetGroupInfoModule.run({ names: ['shop-blue'] }, moduleContext());
    expect(elb.inputsOf(DescribeTargetGroupsCommand)).toEqual([{ Names: ['shop-blue'] }]);
    expect(result.changed).toBe(false);
    const groups = result.target_groups as Group[];
    expect(groups).toHaveLength(1);
    expect(groups[0]).toEqual({
      target_group_arn: blue,
      target_group_name: 'shop-blue',
      protocol: 'HTTP',
      port: 8080,
      vpc_id: 'vpc-0a1b2c3d4e5f60001',
      health_check_protocol: 'HTTP',
      health_check_path: '/health',
      health_check_interval_seconds: 30,
      healthy_threshold_count: 5,
      unhealthy_threshold_count: 2,
      matcher: { http_code: '200' },
      target_type: 'instance',
      load_balancer_arns: [lb],
      deregistration_delay_timeout_seconds: '30',
      stickiness_enabled: 'false',
      stickiness_type: 'lb_cookie',
      tags: { Env: 'stg', 'tsplay:bluegreen:color': 'blue' },
    });
    // No health unless asked: it costs a call per group.
    expect(elb.inputsOf(DescribeTargetHealthCommand)).toEqual([]);
  });

  it('asks by ARNs or by load balancer, or for every group', async () => {
    await elbTargetGroupInfoModule.run({ target_group_arns: [green] }, moduleContext());
    await elbTargetGroupInfoModule.run({ load_balancer_arn: lb }, moduleContext());
    const all = await elbTargetGroupInfoModule.run({}, moduleContext());
    expect(elb.inputsOf(DescribeTargetGroupsCommand)).toEqual([{ TargetGroupArns: [green] }, { LoadBalancerArn: lb }, {}]);
    expect((all.target_groups as Group[]).map((g) => g.target_group_name)).toEqual(['shop-blue', 'shop-green']);
    const byLb = await elbTargetGroupInfoModule.run({ load_balancer_arn: lb }, moduleContext());
    expect((byLb.target_groups as Group[]).map((g) => g.target_group_name)).toEqual(['shop-blue']);
  });

  it('collects the targets health when asked', async () => {
    const result = await elbTargetGroupInfoModule.run({ names: ['shop-blue'], collect_targets_health: true }, moduleContext());
    expect(elb.inputsOf(DescribeTargetHealthCommand)).toEqual([{ TargetGroupArn: blue }]);
    expect((result.target_groups as Group[])[0]?.targets_health_description).toEqual([
      { target: { id: 'i-0123456789abcdef0', port: 8080 }, health_check_port: '8080', target_health: { state: 'healthy' } },
      {
        target: { id: 'i-0123456789abcdef1', port: 8080 },
        health_check_port: '8080',
        target_health: { state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [502]' },
      },
    ]);
  });

  it('returns an empty list for a name that does not exist, and changes nothing in check mode', async () => {
    expect(await elbTargetGroupInfoModule.run({ names: ['shop-teal'] }, moduleContext({ checkMode: true }))).toEqual({ changed: false, target_groups: [] });
    expect(elb.mutations()).toEqual([]);
  });

  it('fails with what it was doing and AWS words', async () => {
    const missingLb = await elbTargetGroupInfoModule.run({ load_balancer_arn: `${lb}x` }, moduleContext()).catch((e: Error) => e);
    expect(missingLb).toBeInstanceOf(ModuleFailure);
    expect((missingLb as Error).message).toBe(
      `Failed to list target groups: An error occurred (LoadBalancerNotFound) when calling the DescribeTargetGroups operation: Load balancer '${lb}x' not found`,
    );
    elb.mock.on(DescribeTargetHealthCommand).rejects(elbError('Throttling', 'Rate exceeded'));
    const throttled = await elbTargetGroupInfoModule.run({ names: ['shop-blue'], collect_targets_health: true }, moduleContext()).catch((e: Error) => e);
    expect((throttled as Error).message).toBe('Failed to describe target groups: An error occurred (Throttling) when calling the DescribeTargetHealth operation: Rate exceeded');
  });
});
