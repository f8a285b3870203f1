// A small in-memory ELBv2 behind aws-sdk-client-mock, for the modules that read and change
// a whole load balancer (the blue-green pair, target group info): load balancers, listeners
// and rules with forward actions, target groups with tags and attributes, and targets that
// go initial -> healthy after a few looks, draining -> gone after deregistration, or stay
// in whatever state the test sets. Every call stays visible through the mock.
import {
  type Action,
  AddTagsCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ServiceException,
  type Listener,
  ModifyListenerCommand,
  ModifyRuleCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  type Rule,
  type TargetDescription,
  type TargetGroup,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { inputsOf, mutationsOf } from './mock-calls.js';

const mockElbv2 = () => mockClient(ElasticLoadBalancingV2Client);

const ACCOUNT = 'arn:aws:elasticloadbalancing:us-east-1:000000000000';

const MUTATING = [AddTagsCommand, RemoveTagsCommand, RegisterTargetsCommand, DeregisterTargetsCommand, ModifyListenerCommand, ModifyRuleCommand];

export function elbError(code: string, message: string, status = 400): ElasticLoadBalancingV2ServiceException {
  return new ElasticLoadBalancingV2ServiceException({ name: code, $fault: 'client', $metadata: { httpStatusCode: status, requestId: 'req-1', attempts: 1 }, message });
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

interface FakeTarget {
  id: string;
  port: number;
  state: TargetState;
  reason?: string | undefined;
  description?: string | undefined;
  /** DescribeTargetHealth looks left before initial turns into `becomes`, or draining ends. */
  looksLeft: number;
}

interface FakeTargetGroup {
  group: TargetGroup;
  tags: Record<string, string>;
  attributes: Record<string, string>;
  targets: FakeTarget[];
}

interface FakeLoadBalancer {
  arn: string;
  name: string;
  listeners: Listener[];
}

export class FakeElbv2 {
  readonly mock: ReturnType<typeof mockElbv2>;
  readonly targetGroups = new Map<string, FakeTargetGroup>();
  readonly loadBalancers = new Map<string, FakeLoadBalancer>();
  readonly rules = new Map<string, Rule[]>();
  /** The health a registered target reaches after its initial checks, per target id. */
  readonly healthOf = new Map<string, { state: TargetState; reason?: string; description?: string }>();
  /** Looks a new registration stays initial, and a deregistered target stays draining. */
  initialLooks = 1;
  drainLooks = 1;
  /** Called after each ModifyListener or ModifyRule with the new weights by target group ARN. */
  onWeights: ((weights: Record<string, number>) => void) | undefined;
  private serial = 0;

  constructor() {
    this.mock = mockElbv2();
    const on = (command: unknown, handler: (input: never) => unknown) =>
      (this.mock.on as unknown as (c: unknown) => { callsFake(f: (input: never) => unknown): void })(command).callsFake(handler);

    on(DescribeTargetGroupsCommand, (input: { Names?: string[]; TargetGroupArns?: string[]; LoadBalancerArn?: string }) => {
      let groups = [...this.targetGroups.values()];
      if (input.Names?.length) {
        groups = input.Names.map((name) => groups.find((g) => g.group.TargetGroupName === name)).filter((g): g is FakeTargetGroup => g !== undefined);
        if (groups.length < input.Names.length) throw elbError('TargetGroupNotFound', 'One or more target groups not found');
      } else if (input.TargetGroupArns?.length) {
        groups = input.TargetGroupArns.map((arn) => this.targetGroups.get(arn)).filter((g): g is FakeTargetGroup => g !== undefined);
        if (groups.length < input.TargetGroupArns.length) throw elbError('TargetGroupNotFound', 'One or more target groups not found');
      } else if (input.LoadBalancerArn) {
        if (![...this.loadBalancers.values()].some((lb) => lb.arn === input.LoadBalancerArn)) {
          throw elbError('LoadBalancerNotFound', `Load balancer '${input.LoadBalancerArn}' not found`);
        }
        groups = groups.filter((g) => g.group.LoadBalancerArns?.includes(input.LoadBalancerArn as string));
      }
      return { TargetGroups: groups.map((g) => structuredClone(g.group)) };
    });
    on(DescribeTagsCommand, (input: { ResourceArns: string[] }) => ({
      TagDescriptions: input.ResourceArns.map((arn) => ({ ResourceArn: arn, Tags: Object.entries(this.group(arn).tags).map(([Key, Value]) => ({ Key, Value })) })),
    }));
    on(AddTagsCommand, (input: { ResourceArns: string[]; Tags: { Key: string; Value?: string }[] }) => {
      for (const arn of input.ResourceArns) for (const tag of input.Tags) this.group(arn).tags[tag.Key] = tag.Value ?? '';
      return {};
    });
    on(RemoveTagsCommand, (input: { ResourceArns: string[]; TagKeys: string[] }) => {
      for (const arn of input.ResourceArns) for (const key of input.TagKeys) delete this.group(arn).tags[key];
      return {};
    });
    on(DescribeTargetGroupAttributesCommand, (input: { TargetGroupArn: string }) => ({
      Attributes: Object.entries(this.group(input.TargetGroupArn).attributes).map(([Key, Value]) => ({ Key, Value })),
    }));
    on(DescribeTargetHealthCommand, (input: { TargetGroupArn: string; Targets?: TargetDescription[] }) => this.health(input.TargetGroupArn, input.Targets));
    on(RegisterTargetsCommand, (input: { TargetGroupArn: string; Targets: TargetDescription[] }) => {
      const group = this.group(input.TargetGroupArn);
      for (const t of input.Targets) {
        const port = t.Port ?? group.group.Port ?? 80;
        const existing = group.targets.find((x) => x.id === t.Id && x.port === port);
        if (existing && existing.state !== 'draining') continue;
        group.targets = group.targets.filter((x) => x !== existing);
        group.targets.push({ id: t.Id as string, port, state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress', looksLeft: this.initialLooks });
      }
      return {};
    });
    on(DeregisterTargetsCommand, (input: { TargetGroupArn: string; Targets: TargetDescription[] }) => {
      const group = this.group(input.TargetGroupArn);
      for (const t of input.Targets) {
        const target = group.targets.find((x) => x.id === t.Id && (t.Port === undefined || x.port === t.Port));
        if (!target) throw elbError('InvalidTarget', `The following targets are not registered in target group '${input.TargetGroupArn}': '${t.Id}'`);
        Object.assign(target, { state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress', looksLeft: this.drainLooks });
      }
      return {};
    });
    on(DescribeLoadBalancersCommand, (input: { Names?: string[] }) => {
      const all = [...this.loadBalancers.values()];
      const found = input.Names?.length ? all.filter((lb) => input.Names?.includes(lb.name)) : all;
      if (input.Names?.length && found.length < input.Names.length) throw elbError('LoadBalancerNotFound', `Load balancers '[${input.Names.join(', ')}]' not found`);
      return { LoadBalancers: found.map((lb) => ({ LoadBalancerArn: lb.arn, LoadBalancerName: lb.name, Type: 'application', State: { Code: 'active' } })) };
    });
    on(DescribeListenersCommand, (input: { LoadBalancerArn: string }) => {
      const lb = [...this.loadBalancers.values()].find((l) => l.arn === input.LoadBalancerArn);
      if (!lb) throw elbError('LoadBalancerNotFound', `Load balancer '${input.LoadBalancerArn}' not found`);
      return { Listeners: structuredClone(lb.listeners) };
    });
    on(DescribeRulesCommand, (input: { ListenerArn: string }) => ({ Rules: structuredClone(this.rules.get(input.ListenerArn) ?? []) }));
    on(ModifyListenerCommand, (input: { ListenerArn: string; DefaultActions?: Action[] }) => {
      const listener = this.listener(input.ListenerArn);
      if (input.DefaultActions) listener.DefaultActions = structuredClone(input.DefaultActions);
      this.onWeights?.(weightsIn(input.DefaultActions));
      return { Listeners: [structuredClone(listener)] };
    });
    on(ModifyRuleCommand, (input: { RuleArn: string; Actions?: Action[] }) => {
      const rule = [...this.rules.values()].flat().find((r) => r.RuleArn === input.RuleArn);
      if (!rule) throw elbError('RuleNotFound', `One or more rules not found`);
      if (input.Actions) rule.Actions = structuredClone(input.Actions);
      this.onWeights?.(weightsIn(input.Actions));
      return { Rules: [structuredClone(rule)] };
    });
  }

  restore(): void {
    this.mock.restore();
  }

  /** A target group, with the deregistration delay AWS gives by default unless told. */
  addTargetGroup(name: string, options: { tags?: Record<string, string>; deregistrationDelay?: number; port?: number } = {}): string {
    const arn = `${ACCOUNT}:targetgroup/${name}/${(++this.serial).toString(16).padStart(16, '0')}`;
    this.targetGroups.set(arn, {
      group: {
        TargetGroupArn: arn,
        TargetGroupName: name,
        Protocol: 'HTTP',
        Port: options.port ?? 8080,
        VpcId: 'vpc-0a1b2c3d4e5f60001',
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 30,
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
        Matcher: { HttpCode: '200' },
        TargetType: 'instance',
        LoadBalancerArns: [],
      },
      tags: { ...(options.tags ?? {}) },
      attributes: {
        'deregistration_delay.timeout_seconds': String(options.deregistrationDelay ?? 300),
        'stickiness.enabled': 'false',
        'stickiness.type': 'lb_cookie',
      },
      targets: [],
    });
    return arn;
  }

  /** A load balancer with one listener whose default action is `actions`. */
  addLoadBalancer(name: string, port: number, actions: Action[]): { loadBalancerArn: string; listenerArn: string } {
    const loadBalancerArn = `${ACCOUNT}:loadbalancer/app/${name}/${(++this.serial).toString(16).padStart(16, '0')}`;
    const listenerArn = `${ACCOUNT}:listener/app/${name}/${(++this.serial).toString(16).padStart(16, '0')}`;
    this.loadBalancers.set(name, { arn: loadBalancerArn, name, listeners: [{ ListenerArn: listenerArn, LoadBalancerArn: loadBalancerArn, Port: port, Protocol: 'HTTP', DefaultActions: actions }] });
    for (const arn of forwardedArns(actions)) this.group(arn).group.LoadBalancerArns?.push(loadBalancerArn);
    return { loadBalancerArn, listenerArn };
  }

  /** A rule on a listener (priority as a string, as ELBv2 answers). */
  addRule(listenerArn: string, priority: number, actions: Action[]): string {
    const ruleArn = `${listenerArn.replace(':listener/', ':listener-rule/')}/${(++this.serial).toString(16).padStart(16, '0')}`;
    const rules = this.rules.get(listenerArn) ?? [{ RuleArn: `${ruleArn}-default`, Priority: 'default', IsDefault: true, Actions: [], Conditions: [] }];
    rules.push({ RuleArn: ruleArn, Priority: String(priority), IsDefault: false, Actions: actions, Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }] });
    this.rules.set(listenerArn, rules);
    return ruleArn;
  }

  /** A target already in the group, in `state` (healthy unless told). */
  addTarget(arn: string, id: string, state: TargetState = 'healthy', port?: number, reason?: string, description?: string): void {
    const group = this.group(arn);
    const registering = state === 'initial' ? { reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' } : { reason, description };
    group.targets.push({ id, port: port ?? group.group.Port ?? 80, state, ...registering, looksLeft: state === 'initial' ? this.initialLooks : 0 });
  }

  /** Sets the state a target is in now (and the health it reaches once registered). */
  setHealth(id: string, state: TargetState, reason?: string, description?: string): void {
    this.healthOf.set(id, { state, ...(reason ? { reason } : {}), ...(description ? { description } : {}) });
    for (const group of this.targetGroups.values()) {
      for (const target of group.targets) {
        if (target.id === id && target.state !== 'draining') Object.assign(target, { state, reason, description, looksLeft: 0 });
      }
    }
  }

  arnOf(name: string): string {
    const found = [...this.targetGroups.values()].find((g) => g.group.TargetGroupName === name);
    if (!found) throw new Error(`no target group ${name}`);
    return found.group.TargetGroupArn as string;
  }

  tagsOf(name: string): Record<string, string> {
    return this.group(this.arnOf(name)).tags;
  }

  targetsOf(name: string): { id: string; state: TargetState }[] {
    return this.group(this.arnOf(name)).targets.map(({ id, state }) => ({ id, state }));
  }

  listener(arn: string): Listener {
    const listener = [...this.loadBalancers.values()].flatMap((lb) => lb.listeners).find((l) => l.ListenerArn === arn);
    if (!listener) throw elbError('ListenerNotFound', 'One or more listeners not found');
    return listener;
  }

  /** The mutating calls the module made, as [command name, input]. */
  mutations(): [string, unknown][] {
    return mutationsOf(this.mock, MUTATING);
  }

  inputsOf<T>(command: abstract new (...args: never[]) => { input: T }): T[] {
    return inputsOf(this.mock, command);
  }

  private group(arn: string): FakeTargetGroup {
    const group = this.targetGroups.get(arn);
    if (!group) throw elbError('TargetGroupNotFound', 'One or more target groups not found');
    return group;
  }

  private health(arn: string, asked: TargetDescription[] | undefined): { TargetHealthDescriptions: TargetHealthDescription[] } {
    const group = this.group(arn);
    for (const target of group.targets) {
      if (target.looksLeft > 0) {
        target.looksLeft--;
        continue;
      }
      if (target.state === 'initial') {
        const reached = this.healthOf.get(target.id) ?? { state: 'healthy' as const };
        Object.assign(target, { state: reached.state, reason: reached.reason, description: reached.description });
      }
    }
    group.targets = group.targets.filter((t) => !(t.state === 'draining' && t.looksLeft === 0));
    const describe = (t: FakeTarget): TargetHealthDescription => ({
      Target: { Id: t.id, Port: t.port },
      HealthCheckPort: String(t.port),
      TargetHealth: { State: t.state, ...(t.reason ? { Reason: t.reason } : {}), ...(t.description ? { Description: t.description } : {}) } as TargetHealthDescription['TargetHealth'],
    });
    if (!asked?.length) return { TargetHealthDescriptions: group.targets.map(describe) };
    return {
      TargetHealthDescriptions: asked.map((a) => {
        const found = group.targets.find((t) => t.id === a.Id && (a.Port === undefined || t.port === a.Port));
        return found
          ? describe(found)
          : { Target: { Id: a.Id, Port: a.Port }, TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' } };
      }),
    };
  }
}

/** A forward action with weighted target groups. */
export function forward(weights: [arn: string, weight: number][]): Action {
  return { Type: 'forward', ForwardConfig: { TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } };
}

function forwardedArns(actions: readonly Action[]): string[] {
  return actions.flatMap((a) => [...(a.TargetGroupArn ? [a.TargetGroupArn] : []), ...(a.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn as string)]);
}

/** The weights of the forward action of a listener (or rule), by target group ARN. */
export function weightsIn(actions: readonly Action[] | undefined): Record<string, number> {
  const forwardAction = (actions ?? []).find((a) => a.Type === 'forward');
  return Object.fromEntries((forwardAction?.ForwardConfig?.TargetGroups ?? []).map((t) => [t.TargetGroupArn as string, t.Weight ?? 1]));
}
