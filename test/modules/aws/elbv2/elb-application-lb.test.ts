import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  type Action,
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ServiceException,
  type Listener,
  type LoadBalancer,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyRuleCommand,
  RemoveTagsCommand,
  type Rule,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ElbApplicationLbArgs, elbApplicationLbModule } from '../../../../src/modules/aws/elbv2/elb-application-lb.js';
import { moduleContext } from '../context.js';

const LB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:0:loadbalancer/app/shop/1';
const TG = { blue: 'arn:aws:elasticloadbalancing:us-east-1:0:targetgroup/blue/1', green: 'arn:aws:elasticloadbalancing:us-east-1:0:targetgroup/green/2' };
const MUTATING = [CreateLoadBalancerCommand, CreateListenerCommand, ModifyListenerCommand, DeleteListenerCommand, CreateRuleCommand, ModifyRuleCommand, DeleteRuleCommand, SetSubnetsCommand, SetSecurityGroupsCommand, ModifyLoadBalancerAttributesCommand, AddTagsCommand, RemoveTagsCommand, DeleteLoadBalancerCommand];

const elb = mockClient(ElasticLoadBalancingV2Client);
const ec2 = mockClient(EC2Client);

let lb: LoadBalancer | undefined;
let listeners: Listener[];
let rules: Map<string, Rule[]>;
let attributes: Record<string, string>;
let serial = 0;

/** Forward actions as AWS describes them. */
function describeActions(actions: Action[]): Action[] {
  return actions.map((a) => {
    if (a.Type !== 'forward') return a;
    const groups = a.ForwardConfig?.TargetGroups ?? [{ TargetGroupArn: a.TargetGroupArn, Weight: 1 }];
    return { Type: 'forward', ...(groups.length === 1 ? { TargetGroupArn: groups[0]?.TargetGroupArn } : {}), ForwardConfig: { TargetGroups: groups.map((g) => ({ Weight: 1, ...g })), TargetGroupStickinessConfig: { Enabled: false } } };
  });
}

beforeEach(() => {
  elb.reset();
  ec2.reset();
  lb = undefined;
  listeners = [];
  rules = new Map();
  attributes = { 'idle_timeout.timeout_seconds': '60', 'deletion_protection.enabled': 'false', 'routing.http2.enabled': 'true' };
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'default', VpcId: 'vpc-1' }] });
  elb.on(DescribeTargetGroupsCommand).callsFake((input: { Names: ('blue' | 'green')[] }) => {
    const name = input.Names[0]!;
    if (!(name in TG)) throw new ElasticLoadBalancingV2ServiceException({ name: 'TargetGroupNotFound', $fault: 'client', $metadata: {}, message: 'One or more target groups not found' });
    return { TargetGroups: [{ TargetGroupArn: TG[name], TargetGroupName: name }] };
  });
  elb.on(DescribeLoadBalancersCommand).callsFake(() => {
    if (!lb) throw new ElasticLoadBalancingV2ServiceException({ name: 'LoadBalancerNotFound', $fault: 'client', $metadata: {}, message: 'Load balancers not found' });
    return { LoadBalancers: [lb] };
  });
  elb.on(CreateLoadBalancerCommand).callsFake((input) => {
    lb = {
      LoadBalancerArn: LB_ARN,
      LoadBalancerName: input.Name,
      Scheme: input.Scheme,
      Type: 'application',
      VpcId: 'vpc-1',
      State: { Code: 'active' },
      SecurityGroups: input.SecurityGroups,
      AvailabilityZones: (input.Subnets as string[]).map((SubnetId) => ({ SubnetId, ZoneName: 'us-east-1a' })),
      IpAddressType: 'ipv4',
    };
    return { LoadBalancers: [lb] };
  });
  elb.on(DescribeLoadBalancerAttributesCommand).callsFake(() => ({ Attributes: Object.entries(attributes).map(([Key, Value]) => ({ Key, Value })) }));
  elb.on(ModifyLoadBalancerAttributesCommand).callsFake((input) => {
    for (const { Key, Value } of input.Attributes ?? []) attributes[Key!] = Value!;
    return {};
  });
  elb.on(DescribeTagsCommand).resolves({ TagDescriptions: [{ ResourceArn: LB_ARN, Tags: [] }] });
  elb.on(DescribeListenersCommand).callsFake(() => ({ Listeners: structuredClone(listeners) }));
  elb.on(CreateListenerCommand).callsFake((input) => {
    const arn = `${LB_ARN}/listener/${++serial}`;
    listeners.push({ ListenerArn: arn, LoadBalancerArn: LB_ARN, Port: input.Port, Protocol: input.Protocol, DefaultActions: describeActions(input.DefaultActions ?? []) });
    rules.set(arn, [{ RuleArn: `${arn}/default`, Priority: 'default', IsDefault: true, Conditions: [], Actions: describeActions(input.DefaultActions ?? []) }]);
    return {};
  });
  elb.on(ModifyListenerCommand).callsFake((input) => {
    const listener = listeners.find((l) => l.ListenerArn === input.ListenerArn)!;
    if (input.DefaultActions) listener.DefaultActions = describeActions(input.DefaultActions);
    return {};
  });
  elb.on(DescribeRulesCommand).callsFake((input) => ({ Rules: structuredClone(rules.get(input.ListenerArn!) ?? []) }));
  elb.on(CreateRuleCommand).callsFake((input) => {
    rules.get(input.ListenerArn!)!.push({ RuleArn: `${input.ListenerArn}/rule/${++serial}`, Priority: String(input.Priority), IsDefault: false, Conditions: input.Conditions, Actions: describeActions(input.Actions ?? []) });
    return {};
  });
  elb.on(ModifyRuleCommand).callsFake((input) => {
    for (const list of rules.values()) {
      const rule = list.find((r) => r.RuleArn === input.RuleArn);
      if (rule) Object.assign(rule, { Conditions: input.Conditions, Actions: describeActions(input.Actions ?? []) });
    }
    return {};
  });
  elb.on(DeleteRuleCommand).callsFake((input) => {
    for (const [arn, list] of rules) rules.set(arn, list.filter((r) => r.RuleArn !== input.RuleArn));
    return {};
  });
});
afterEach(() => {
  elb.reset();
  ec2.reset();
});

const mutations = () => elb.calls().filter((call) => MUTATING.some((c) => call.args[0] instanceof c)).map((call) => (call.args[0] as object).constructor.name);

function args(weights: [number, number], overrides: Partial<ElbApplicationLbArgs> = {}): ElbApplicationLbArgs {
  return {
    name: 'shop',
    state: 'present',
    subnets: ['subnet-a', 'subnet-b'],
    security_groups: ['sg-1'],
    scheme: 'internal',
    idle_timeout: 120,
    purge_listeners: true,
    listeners: [
      {
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupName: 'blue', Weight: weights[0] },
                { TargetGroupName: 'green', Weight: weights[1] },
              ],
            },
          },
        ],
        Rules: [{ Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/admin/*'] }], Actions: [{ Type: 'forward', TargetGroupName: 'blue' }] }],
      },
    ],
    ...overrides,
  };
}

describe('elb_application_lb', () => {
  it('creates the load balancer, its attributes, listener and rules, then changes nothing', async () => {
    const result = await elbApplicationLbModule.run(args([100, 0]), moduleContext());
    expect(elb.commandCalls(CreateLoadBalancerCommand)[0]?.args[0].input).toEqual({ Name: 'shop', Type: 'application', Scheme: 'internal', Subnets: ['subnet-a', 'subnet-b'], SecurityGroups: ['sg-1'] });
    expect(elb.commandCalls(CreateListenerCommand)[0]?.args[0].input).toEqual({
      LoadBalancerArn: LB_ARN,
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG.blue, Weight: 100 }, { TargetGroupArn: TG.green, Weight: 0 }] } }],
    });
    expect(elb.commandCalls(CreateRuleCommand)[0]?.args[0].input).toMatchObject({ Priority: 10, Actions: [{ Type: 'forward', TargetGroupArn: TG.blue }] });
    expect(result).toMatchObject({
      changed: true,
      load_balancer_arn: LB_ARN,
      load_balancer_name: 'shop',
      idle_timeout_timeout_seconds: '120',
      ip_address_type: 'ipv4',
      tags: {},
      listeners: [{ port: 80, rules: [{ is_default: true }, { priority: '10' }] }],
    });
    elb.resetHistory();
    expect((await elbApplicationLbModule.run(args([100, 0]), moduleContext())).changed).toBe(false);
    expect(mutations()).toEqual([]);
  });

  it('moves the forward weights with one ModifyListener, and plans it in check mode', async () => {
    await elbApplicationLbModule.run(args([100, 0]), moduleContext());
    elb.resetHistory();
    const planned = await elbApplicationLbModule.run(args([0, 100]), moduleContext({ checkMode: true }));
    expect(planned).toEqual({ changed: true, msg: 'Would have updated ALB if not in check mode: modify listener HTTP:80 (DefaultActions)' });
    expect(mutations()).toEqual([]);
    const switched = await elbApplicationLbModule.run(args([0, 100]), moduleContext());
    expect(switched.changed).toBe(true);
    expect(mutations()).toEqual(['ModifyListenerCommand']);
    expect(elb.commandCalls(ModifyListenerCommand)[0]?.args[0].input.DefaultActions?.[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: TG.blue, Weight: 0 },
      { TargetGroupArn: TG.green, Weight: 100 },
    ]);
  });

  it('keeps rules it was not told about unless purge_rules is true', async () => {
    await elbApplicationLbModule.run(args([100, 0]), moduleContext());
    const withoutRules = args([100, 0]);
    withoutRules.listeners![0]!.Rules = [];
    expect((await elbApplicationLbModule.run(withoutRules, moduleContext())).changed).toBe(false);
    const purged = await elbApplicationLbModule.run({ ...withoutRules, purge_rules: true }, moduleContext());
    expect(purged.changed).toBe(true);
    expect(elb.commandCalls(DeleteRuleCommand)).toHaveLength(1);
  });

  it('modifies a rule whose conditions changed, matched by priority', async () => {
    await elbApplicationLbModule.run(args([100, 0]), moduleContext());
    const changed = args([100, 0]);
    changed.listeners![0]!.Rules![0]!.Conditions = [{ Field: 'path-pattern', Values: ['/ops/*'] }];
    expect((await elbApplicationLbModule.run(changed, moduleContext())).changed).toBe(true);
    expect(elb.commandCalls(ModifyRuleCommand)[0]?.args[0].input.Conditions).toEqual([{ Field: 'path-pattern', Values: ['/ops/*'] }]);
  });

  it('plans a new load balancer in check mode', async () => {
    const planned = await elbApplicationLbModule.run(args([100, 0]), moduleContext({ checkMode: true }));
    expect(planned).toEqual({ changed: true, msg: 'Would have created ALB if not in check mode: create load balancer shop; add listener HTTP:80' });
    expect(mutations()).toEqual([]);
  });

  it('refuses an unknown target group before creating anything, and HTTPS without a certificate', async () => {
    const bad = args([100, 0]);
    (bad.listeners![0]!.DefaultActions[0]!.ForwardConfig as { TargetGroups: { TargetGroupName: string }[] }).TargetGroups[1]!.TargetGroupName = 'purple';
    const error = await elbApplicationLbModule.run(bad, moduleContext()).catch((e: Error) => e);
    expect((error as Error).message).toBe('An error occurred (TargetGroupNotFound) when calling the DescribeTargetGroups operation: One or more target groups not found');
    expect(mutations()).toEqual([]);
    const https = args([100, 0]);
    https.listeners![0]!.Protocol = 'HTTPS';
    https.listeners![0]!.SslPolicy = 'ELBSecurityPolicy-2016-08';
    expect(((await elbApplicationLbModule.run(https, moduleContext()).catch((e: Error) => e)) as Error).message).toBe("'Certificates' is a required listener dict key when Protocol = HTTPS");
  }, 15_000);

  it('deletes the listeners and the load balancer', async () => {
    await elbApplicationLbModule.run(args([100, 0]), moduleContext());
    elb.on(DeleteListenerCommand).resolves({});
    elb.on(DeleteLoadBalancerCommand).callsFake(() => {
      lb = undefined;
      return {};
    });
    expect(await elbApplicationLbModule.run({ name: 'shop', state: 'absent' }, moduleContext({ checkMode: true }))).toEqual({ changed: true, msg: 'Would have deleted ALB if not in check mode.' });
    expect(await elbApplicationLbModule.run({ name: 'shop', state: 'absent' }, moduleContext())).toEqual({ changed: true });
    expect(await elbApplicationLbModule.run({ name: 'shop', state: 'absent' }, moduleContext())).toEqual({ changed: false });
  });
});
