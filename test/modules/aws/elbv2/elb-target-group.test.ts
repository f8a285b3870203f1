import {
  AddTagsCommand,
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ServiceException,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ElbTargetGroupArgs, elbTargetGroupModule } from '../../../../src/modules/aws/elbv2/elb-target-group.js';
import { moduleContext } from '../context.js';

const ARN = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/shop-blue/0123456789abcdef';
const MUTATING = [CreateTargetGroupCommand, ModifyTargetGroupCommand, ModifyTargetGroupAttributesCommand, RegisterTargetsCommand, DeregisterTargetsCommand, AddTagsCommand, RemoveTagsCommand, DeleteTargetGroupCommand];

const elb = mockClient(ElasticLoadBalancingV2Client);

/** One target group that CreateTargetGroup brings into being and the other calls read. */
let group: TargetGroup | undefined;
let attributes: Record<string, string>;
let tags: Record<string, string>;
let targets: { Id: string; Port: number; State: string }[];

function notFound() {
  return new ElasticLoadBalancingV2ServiceException({ name: 'TargetGroupNotFound', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'One or more target groups not found' });
}

beforeEach(() => {
  elb.reset();
  group = undefined;
  attributes = { 'deregistration_delay.timeout_seconds': '300', 'stickiness.enabled': 'false', 'stickiness.type': 'lb_cookie', 'load_balancing.algorithm.type': 'round_robin' };
  tags = {};
  targets = [];
  elb.on(DescribeTargetGroupsCommand).callsFake(() => {
    if (!group) throw notFound();
    return { TargetGroups: [structuredClone(group)] };
  });
  elb.on(CreateTargetGroupCommand).callsFake((input) => {
    group = {
      TargetGroupArn: ARN,
      TargetGroupName: input.Name,
      Protocol: input.Protocol,
      Port: input.Port,
      VpcId: input.VpcId,
      TargetType: input.TargetType,
      HealthCheckProtocol: input.HealthCheckProtocol ?? 'HTTP',
      HealthCheckPort: input.HealthCheckPort ?? 'traffic-port',
      HealthCheckPath: input.HealthCheckPath ?? '/',
      HealthCheckIntervalSeconds: input.HealthCheckIntervalSeconds ?? 30,
      HealthCheckTimeoutSeconds: input.HealthCheckTimeoutSeconds ?? 5,
      HealthyThresholdCount: input.HealthyThresholdCount ?? 5,
      UnhealthyThresholdCount: input.UnhealthyThresholdCount ?? 2,
      Matcher: input.Matcher ?? { HttpCode: '200' },
      LoadBalancerArns: [],
    };
    return { TargetGroups: [group] };
  });
  elb.on(ModifyTargetGroupCommand).callsFake((input) => {
    Object.assign(group!, input);
    return { TargetGroups: [group] };
  });
  elb.on(DescribeTargetGroupAttributesCommand).callsFake(() => ({ Attributes: Object.entries(attributes).map(([Key, Value]) => ({ Key, Value })) }));
  elb.on(ModifyTargetGroupAttributesCommand).callsFake((input) => {
    for (const { Key, Value } of input.Attributes ?? []) attributes[Key!] = Value!;
    return {};
  });
  elb.on(DescribeTagsCommand).callsFake(() => ({ TagDescriptions: [{ ResourceArn: ARN, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] }));
  elb.on(AddTagsCommand).callsFake((input) => {
    for (const { Key, Value } of input.Tags ?? []) tags[Key!] = Value!;
    return {};
  });
  elb.on(RemoveTagsCommand).callsFake((input) => {
    for (const key of input.TagKeys ?? []) delete tags[key];
    return {};
  });
  elb.on(DescribeTargetHealthCommand).callsFake((input) => ({
    TargetHealthDescriptions: targets
      .filter((t) => !input.Targets || input.Targets.some((x: { Id: string }) => x.Id === t.Id))
      .map((t) => ({ Target: { Id: t.Id, Port: t.Port }, TargetHealth: { State: t.State } })),
  }));
  elb.on(RegisterTargetsCommand).callsFake((input) => {
    for (const t of input.Targets ?? []) targets.push({ Id: t.Id!, Port: t.Port!, State: 'healthy' });
    return {};
  });
  elb.on(DeregisterTargetsCommand).callsFake((input) => {
    for (const t of input.Targets ?? []) targets.find((x) => x.Id === t.Id)!.State = 'draining';
    return {};
  });
  elb.on(DeleteTargetGroupCommand).callsFake(() => {
    group = undefined;
    return {};
  });
});
afterEach(() => elb.reset());

const mutations = () => elb.calls().filter((call) => MUTATING.some((c) => call.args[0] instanceof c));

const args = (overrides: Partial<ElbTargetGroupArgs> = {}): ElbTargetGroupArgs => ({
  name: 'shop-blue',
  state: 'present',
  protocol: 'http',
  port: 80,
  vpc_id: 'vpc-1',
  health_check_protocol: 'http',
  health_check_path: '/health',
  health_check_interval: 10,
  successful_response_codes: '200,302',
  deregistration_delay_timeout: 60,
  tags: { Color: 'blue' },
  ...overrides,
});

describe('elb_target_group', () => {
  it('creates the group with its health check, attributes and tags, then changes nothing', async () => {
    const result = await elbTargetGroupModule.run(args(), moduleContext());
    expect(elb.commandCalls(CreateTargetGroupCommand)[0]?.args[0].input).toEqual({
      Name: 'shop-blue',
      TargetType: 'instance',
      Protocol: 'HTTP',
      Port: 80,
      VpcId: 'vpc-1',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 10,
      Matcher: { HttpCode: '200,302' },
    });
    expect(elb.commandCalls(ModifyTargetGroupAttributesCommand)[0]?.args[0].input.Attributes).toEqual([{ Key: 'deregistration_delay.timeout_seconds', Value: '60' }]);
    expect(result).toMatchObject({
      changed: true,
      target_group_arn: ARN,
      target_group_name: 'shop-blue',
      health_check_path: '/health',
      matcher: { http_code: '200,302' },
      deregistration_delay_timeout_seconds: '60',
      stickiness_enabled: 'false',
      tags: { Color: 'blue' },
    });
    elb.resetHistory();
    expect((await elbTargetGroupModule.run(args(), moduleContext())).changed).toBe(false);
    expect(mutations()).toEqual([]);
  });

  it('updates the health check and purges other tags', async () => {
    await elbTargetGroupModule.run(args({ tags: { Color: 'blue', Old: 'x' } }), moduleContext());
    const result = await elbTargetGroupModule.run(args({ health_check_path: '/ready', successful_response_codes: '302,200' }), moduleContext());
    expect(result.changed).toBe(true);
    expect(elb.commandCalls(ModifyTargetGroupCommand).map((c) => c.args[0].input)).toEqual([{ TargetGroupArn: ARN, HealthCheckPath: '/ready' }]);
    expect(elb.commandCalls(RemoveTagsCommand)[0]?.args[0].input.TagKeys).toEqual(['Old']);
  });

  it('refuses to change the protocol, port or VPC', async () => {
    await elbTargetGroupModule.run(args(), moduleContext());
    const error = await elbTargetGroupModule.run(args({ port: 8080, vpc_id: 'vpc-2' }), moduleContext()).catch((e: Error) => e);
    expect((error as Error).message).toBe('Cannot modify Port, VpcId parameter(s) for a target group');
  });

  it('leaves targets alone unless modify_targets is true', async () => {
    await elbTargetGroupModule.run(args({ targets: [{ Id: 'i-1' }] }), moduleContext());
    expect(targets.map((t) => [t.Id, t.Port])).toEqual([['i-1', 80]]);
    // No targets listed, modify_targets left at its default: the registered target stays.
    expect((await elbTargetGroupModule.run(args(), moduleContext())).changed).toBe(false);
    expect(elb.commandCalls(DeregisterTargetsCommand)).toHaveLength(0);
    const swapped = await elbTargetGroupModule.run(args({ modify_targets: true, targets: [{ Id: 'i-2', Port: '8080' }] }), moduleContext());
    expect(swapped.changed).toBe(true);
    expect(elb.commandCalls(RegisterTargetsCommand)[1]?.args[0].input.Targets).toEqual([{ Id: 'i-2', Port: 8080 }]);
    expect(elb.commandCalls(DeregisterTargetsCommand)[0]?.args[0].input.Targets).toEqual([{ Id: 'i-1', Port: 80 }]);
  });

  it('plans in check mode without calling any mutating API', async () => {
    const planned = await elbTargetGroupModule.run(args({ targets: [{ Id: 'i-1' }] }), moduleContext({ checkMode: true }));
    expect(planned).toMatchObject({ changed: true, msg: 'Would have made these changes if not in check mode: create target group shop-blue; register i-1' });
    await elbTargetGroupModule.run(args(), moduleContext());
    elb.resetHistory();
    const update = await elbTargetGroupModule.run(args({ deregistration_delay_timeout: 5 }), moduleContext({ checkMode: true }));
    expect(update).toMatchObject({ changed: true, msg: expect.stringContaining('deregistration_delay.timeout_seconds=5') });
    expect((await elbTargetGroupModule.run(args({ state: 'absent' }), moduleContext({ checkMode: true }))).changed).toBe(true);
    expect(mutations()).toEqual([]);
  });

  it('deletes, then reports no change', async () => {
    await elbTargetGroupModule.run(args(), moduleContext());
    expect(await elbTargetGroupModule.run(args({ state: 'absent' }), moduleContext())).toEqual({ changed: true });
    expect(await elbTargetGroupModule.run(args({ state: 'absent' }), moduleContext())).toEqual({ changed: false });
  });

  it('needs protocol, port and vpc_id to create, and refuses connection termination on HTTP', async () => {
    const missing = await elbTargetGroupModule.run(args({ port: null, vpc_id: null }), moduleContext()).catch((e: Error) => e);
    expect((missing as Error).message).toBe('target_type is instance but all of the following are missing: port, vpc_id');
    const http = await elbTargetGroupModule.run(args({ deregistration_connection_termination: true }), moduleContext()).catch((e: Error) => e);
    expect((http as Error).message).toBe('A target group with HTTP/S protocol does not support setting deregistration_connection_termination');
  });
});
