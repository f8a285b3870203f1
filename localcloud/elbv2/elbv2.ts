// The ELBv2 side of the local cloud: target groups with real health checks and draining,
// load balancers on loopback addresses, and listeners that really proxy HTTP.
import type {
  Action,
  CreateListenerInput,
  CreateLoadBalancerInput,
  CreateRuleInput,
  CreateTargetGroupInput,
  Listener,
  LoadBalancer,
  ModifyTargetGroupInput,
  Rule,
  RuleCondition,
  Tag,
  TargetDescription,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Ec2 } from '../ec2/ec2.js';
import type { SubnetRecord } from '../ec2/network.js';
import { CloudError } from '../protocol/cloud-error.js';
import { GroupHealthChecker } from './health-checks.js';
import { ListenerMetrics, type MetricsSnapshot } from './listener-metrics.js';
import { ListenerProxy, type PickedTarget } from './listener-proxy.js';
import {
  LOAD_BALANCER_ATTRIBUTE_DEFAULTS,
  type ListenerRecord,
  type LoadBalancerRecord,
  type RuleRecord,
  TARGET_GROUP_ATTRIBUTE_DEFAULTS,
  type TargetGroupRecord,
  type TargetHealthState,
  type TargetRecord,
  shortId,
  targetKey,
} from './model.js';
import { conditionValues } from './rule-conditions.js';

export interface Elbv2Settings {
  region: string;
  accountId: string;
  /** ELB seconds -> milliseconds here */
  timeScale: number;
  /** provisioning -> active */
  provisioningMs: number;
  log: (message: string) => void;
}

const NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

function validationError(message: string): CloudError {
  return new CloudError('ValidationError', message);
}

function checkName(kind: string, name: string | undefined): string {
  if (!name) throw validationError(`${kind} name cannot be empty`);
  if (!NAME.test(name) || name.toLowerCase().startsWith('internal-')) {
    throw validationError(
      `${kind} name '${name}' can have a maximum of 32 characters, can contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen`,
    );
  }
  return name;
}

function checkRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw validationError(`${name} must be between ${min} and ${max}`);
  }
}

function forwardTargetGroupArns(action: Action): string[] {
  const arns = (action.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn ?? '');
  if (action.TargetGroupArn && !arns.includes(action.TargetGroupArn)) arns.push(action.TargetGroupArn);
  return arns;
}

export class Elbv2 {
  readonly targetGroups = new Map<string, TargetGroupRecord>();
  readonly loadBalancers = new Map<string, LoadBalancerRecord>();
  readonly listeners = new Map<string, ListenerRecord>();
  private readonly proxies = new Map<string, ListenerProxy>();
  private readonly metrics = new Map<string, ListenerMetrics>();
  private readonly checkers = new Map<string, GroupHealthChecker>();
  private readonly tags = new Map<string, Map<string, string>>();
  private readonly drainTimers = new Set<NodeJS.Timeout>();

  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly ec2: Ec2,
    private readonly settings: Elbv2Settings,
  ) {
    // As on AWS, an instance that is terminated leaves its target groups (through draining).
    this.sweeper = setInterval(() => this.deregisterTerminated(), 250);
    this.sweeper.unref();
  }

  private deregisterTerminated(): void {
    for (const group of this.targetGroups.values()) {
      if (group.targetType !== 'instance') continue;
      const gone = [...group.targets.values()].filter((target) => {
        const state = this.ec2.fleet.find(target.id)?.state ?? 'terminated';
        return target.drainingUntil === undefined && (state === 'shutting-down' || state === 'terminated');
      });
      if (gone.length > 0) this.deregisterTargets(group.arn, gone.map((t) => ({ Id: t.id, Port: t.port })));
    }
  }

  private arn(resource: string): string {
    return `arn:aws:elasticloadbalancing:${this.settings.region}:${this.settings.accountId}:${resource}`;
  }

  scaleMs(seconds: number): number {
    return Math.max(1, Math.round(seconds * 1000 * this.settings.timeScale));
  }

  // ---- tags ----

  setTags(arn: string, tags: Tag[] | undefined): void {
    let current = this.tags.get(arn);
    if (!current) this.tags.set(arn, (current = new Map()));
    for (const tag of tags ?? []) {
      if (!tag.Key) throw validationError('Tag key cannot be empty');
      current.set(tag.Key, tag.Value ?? '');
    }
    if (current.size > 50) throw new CloudError('TooManyTags', 'You have reached the limit on the number of tags you can assign to the resource');
  }

  removeTags(arn: string, keys: string[]): void {
    for (const key of keys) this.tags.get(arn)?.delete(key);
  }

  tagsOf(arn: string): Tag[] {
    return [...(this.tags.get(arn) ?? [])].map(([Key, Value]) => ({ Key, Value }));
  }

  requireResource(arn: string): void {
    const exists =
      this.targetGroups.has(arn) ||
      this.loadBalancers.has(arn) ||
      this.listeners.has(arn) ||
      [...this.listeners.values()].some((l) => l.rules.some((r) => r.arn === arn));
    if (exists) return;
    if (arn.includes(':targetgroup/')) throw new CloudError('TargetGroupNotFound', `Target groups '${arn}' not found`);
    if (arn.includes(':listener-rule/')) throw new CloudError('RuleNotFound', `One or more rules not found`);
    if (arn.includes(':listener/')) throw new CloudError('ListenerNotFound', `One or more listeners not found`);
    throw new CloudError('LoadBalancerNotFound', `Load balancers '[${arn}]' not found`);
  }

  // ---- target groups ----

  targetGroup(arn: string): TargetGroupRecord {
    const group = this.targetGroups.get(arn);
    if (!group) throw new CloudError('TargetGroupNotFound', `Target groups '${arn}' not found`);
    return group;
  }

  createTargetGroup(input: CreateTargetGroupInput): TargetGroupRecord {
    const name = checkName('Target group', input.Name);
    const targetType = input.TargetType ?? 'instance';
    if (targetType !== 'instance' && targetType !== 'ip') {
      throw new CloudError('UnsupportedProtocol', `The local cloud supports target types 'instance' and 'ip', not '${targetType}'`);
    }
    const protocol = input.Protocol ?? 'HTTP';
    if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
      throw new CloudError('UnsupportedProtocol', `Protocol '${protocol}' is not supported by the local cloud's application load balancers`);
    }
    if (input.Port === undefined) throw validationError('A port must be specified');
    checkRange('Port', input.Port, 1, 65535);
    if (!input.VpcId) throw validationError('A VPC ID must be specified');
    if (!this.ec2.network.vpcs.has(input.VpcId)) throw validationError(`The VPC ID '${input.VpcId}' is not found`);
    checkRange('Health check interval', input.HealthCheckIntervalSeconds, 5, 300);
    checkRange('Health check timeout', input.HealthCheckTimeoutSeconds, 2, 120);
    checkRange('Healthy threshold count', input.HealthyThresholdCount, 2, 10);
    checkRange('Unhealthy threshold count', input.UnhealthyThresholdCount, 2, 10);
    const interval = input.HealthCheckIntervalSeconds ?? 30;
    const timeout = input.HealthCheckTimeoutSeconds ?? 5;
    if (timeout >= interval) throw validationError('Health check timeout must be smaller than the interval');
    const healthCheck = {
      enabled: input.HealthCheckEnabled ?? true,
      protocol: input.HealthCheckProtocol ?? protocol,
      port: input.HealthCheckPort ?? 'traffic-port',
      path: input.HealthCheckPath ?? '/',
      intervalSeconds: interval,
      timeoutSeconds: timeout,
      healthyThreshold: input.HealthyThresholdCount ?? 5,
      unhealthyThreshold: input.UnhealthyThresholdCount ?? 2,
      httpCode: input.Matcher?.HttpCode ?? '200',
    };
    const existing = [...this.targetGroups.values()].find((g) => g.name === name);
    if (existing) {
      const same =
        existing.protocol === protocol &&
        existing.port === input.Port &&
        existing.vpcId === input.VpcId &&
        existing.targetType === targetType &&
        JSON.stringify(existing.healthCheck) === JSON.stringify(healthCheck);
      if (!same) throw new CloudError('DuplicateTargetGroupName', `A target group with the same name '${name}' exists, but with different settings`);
      return existing;
    }
    const group: TargetGroupRecord = {
      arn: this.arn(`targetgroup/${name}/${shortId()}`),
      name,
      protocol,
      protocolVersion: input.ProtocolVersion ?? 'HTTP1',
      port: input.Port,
      vpcId: input.VpcId,
      targetType,
      healthCheck,
      attributes: new Map(Object.entries(TARGET_GROUP_ATTRIBUTE_DEFAULTS)),
      targets: new Map(),
      cursor: 0,
    };
    this.targetGroups.set(group.arn, group);
    this.setTags(group.arn, input.Tags);
    const checker = new GroupHealthChecker(group, {
      scaleMs: (seconds) => this.scaleMs(seconds),
      resolve: (g, target) => (this.inUse(g) ? this.targetAddress(g, target) : undefined),
    });
    this.checkers.set(group.arn, checker);
    checker.start();
    return group;
  }

  modifyTargetGroup(input: ModifyTargetGroupInput): TargetGroupRecord {
    const group = this.targetGroup(input.TargetGroupArn ?? '');
    checkRange('Health check interval', input.HealthCheckIntervalSeconds, 5, 300);
    checkRange('Health check timeout', input.HealthCheckTimeoutSeconds, 2, 120);
    checkRange('Healthy threshold count', input.HealthyThresholdCount, 2, 10);
    checkRange('Unhealthy threshold count', input.UnhealthyThresholdCount, 2, 10);
    const next = { ...group.healthCheck };
    if (input.HealthCheckEnabled !== undefined) next.enabled = input.HealthCheckEnabled;
    if (input.HealthCheckProtocol !== undefined) next.protocol = input.HealthCheckProtocol;
    if (input.HealthCheckPort !== undefined) next.port = input.HealthCheckPort;
    if (input.HealthCheckPath !== undefined) next.path = input.HealthCheckPath;
    if (input.HealthCheckIntervalSeconds !== undefined) next.intervalSeconds = input.HealthCheckIntervalSeconds;
    if (input.HealthCheckTimeoutSeconds !== undefined) next.timeoutSeconds = input.HealthCheckTimeoutSeconds;
    if (input.HealthyThresholdCount !== undefined) next.healthyThreshold = input.HealthyThresholdCount;
    if (input.UnhealthyThresholdCount !== undefined) next.unhealthyThreshold = input.UnhealthyThresholdCount;
    if (input.Matcher?.HttpCode !== undefined) next.httpCode = input.Matcher.HttpCode;
    if (next.timeoutSeconds >= next.intervalSeconds) throw validationError('Health check timeout must be smaller than the interval');
    group.healthCheck = next;
    return group;
  }

  deleteTargetGroup(arn: string): void {
    const group = this.targetGroups.get(arn);
    if (!group) return;
    if (this.loadBalancersOf(group).length > 0) {
      throw new CloudError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
    }
    void this.checkers.get(arn)?.stop();
    this.checkers.delete(arn);
    this.targetGroups.delete(arn);
    this.tags.delete(arn);
  }

  modifyTargetGroupAttributes(arn: string, attributes: { Key?: string; Value?: string }[]): TargetGroupRecord {
    const group = this.targetGroup(arn);
    for (const { Key, Value } of attributes) {
      if (!Key || !(Key in TARGET_GROUP_ATTRIBUTE_DEFAULTS)) throw validationError(`Target group attribute key '${Key ?? ''}' is not recognized`);
      if (Key === 'deregistration_delay.timeout_seconds' && !(Number(Value) >= 0 && Number(Value) <= 3600 && Number.isInteger(Number(Value)))) {
        throw validationError(`'deregistration_delay.timeout_seconds' must be an integer between 0 and 3600`);
      }
      if (Key === 'slow_start.duration_seconds' && !(Number(Value) === 0 || (Number(Value) >= 30 && Number(Value) <= 900))) {
        throw validationError(`'slow_start.duration_seconds' must be 0 or between 30 and 900`);
      }
      if (Key.endsWith('.enabled') && Value !== 'true' && Value !== 'false') throw validationError(`'${Key}' must be 'true' or 'false'`);
    }
    for (const { Key, Value } of attributes) group.attributes.set(Key as string, Value ?? '');
    return group;
  }

  /** The load balancers whose listeners or rules forward to the group. */
  loadBalancersOf(group: TargetGroupRecord): string[] {
    const arns = new Set<string>();
    for (const listener of this.listeners.values()) {
      for (const rule of listener.rules) {
        if (rule.actions.some((a) => forwardTargetGroupArns(a).includes(group.arn))) arns.add(listener.loadBalancerArn);
      }
    }
    return [...arns];
  }

  inUse(group: TargetGroupRecord): boolean {
    return this.loadBalancersOf(group).length > 0;
  }

  /** Where a target receives traffic, or undefined when it cannot (stopped or missing instance). */
  targetAddress(group: TargetGroupRecord, target: TargetRecord): { address: string; port: number } | undefined {
    const healthPort = group.healthCheck.port === 'traffic-port' ? target.port : Number(group.healthCheck.port);
    if (group.targetType === 'ip') return { address: target.id, port: healthPort };
    const instance = this.ec2.fleet.find(target.id);
    if (!instance || instance.state !== 'running') return undefined;
    return { address: instance.privateIp, port: healthPort };
  }

  registerTargets(arn: string, targets: TargetDescription[] | undefined): void {
    const group = this.targetGroup(arn);
    if (!targets?.length) throw validationError('Targets must be specified');
    const resolved = targets.map((t) => this.validateTarget(group, t));
    for (const { id, port, availabilityZone } of resolved) {
      const key = targetKey(id, port);
      const existing = group.targets.get(key);
      if (existing && existing.drainingUntil === undefined) continue;
      group.targets.set(key, {
        id,
        port,
        availabilityZone,
        health: 'initial',
        reason: undefined,
        description: undefined,
        checked: false,
        consecutiveSuccesses: 0,
        consecutiveFailures: 0,
        drainingUntil: undefined,
        inFlight: existing?.inFlight ?? 0,
      });
    }
    this.checkers.get(arn)?.nudge();
  }

  private validateTarget(group: TargetGroupRecord, target: TargetDescription): { id: string; port: number; availabilityZone: string | undefined } {
    const id = target.Id ?? '';
    const port = target.Port ?? group.port;
    checkRange('Port', port, 1, 65535);
    if (group.targetType === 'instance') {
      const instance = this.ec2.fleet.find(id);
      if (!instance || instance.state === 'terminated') {
        throw new CloudError('InvalidTarget', `The following targets are not valid instances: '${id}'`);
      }
      if (instance.state !== 'running' && instance.state !== 'pending') {
        throw new CloudError('InvalidTarget', `The following targets are not in a running state and cannot be registered: '${id}'`);
      }
      if (instance.subnet.vpcId !== group.vpcId) {
        throw new CloudError('InvalidTarget', `The following targets are not in the target group VPC '${group.vpcId}': '${id}'`);
      }
      return { id, port, availabilityZone: undefined };
    }
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(id)) throw new CloudError('InvalidTarget', `The IP address '${id}' is not a valid IPv4 address`);
    const inVpc = this.ec2.network.subnetOfAddress(id) !== undefined;
    const zone = target.AvailabilityZone;
    if (!inVpc && zone !== 'all' && !id.startsWith('127.')) {
      throw new CloudError('ValidationError', `The IP address '${id}' is outside the VPC; specify AvailabilityZone 'all'`);
    }
    return { id, port, availabilityZone: zone };
  }

  deregisterTargets(arn: string, targets: TargetDescription[] | undefined): void {
    const group = this.targetGroup(arn);
    if (!targets?.length) throw validationError('Targets must be specified');
    const keys = targets.map((t) => targetKey(t.Id ?? '', t.Port ?? group.port));
    const missing = keys.filter((key) => !group.targets.has(key));
    if (missing.length > 0) {
      throw new CloudError('InvalidTarget', `The following targets are not registered in the target group: ${missing.map((k) => `'${k.split(':')[0]}'`).join(', ')}`);
    }
    const delayMs = this.scaleMs(Number(group.attributes.get('deregistration_delay.timeout_seconds') ?? '300'));
    for (const key of keys) {
      const target = group.targets.get(key) as TargetRecord;
      if (target.drainingUntil !== undefined) continue;
      if (!this.inUse(group)) {
        group.targets.delete(key);
        continue;
      }
      target.drainingUntil = Date.now() + delayMs;
      const timer = setTimeout(() => {
        this.drainTimers.delete(timer);
        if (group.targets.get(key) === target) group.targets.delete(key);
      }, delayMs);
      timer.unref();
      this.drainTimers.add(timer);
    }
  }

  /** The state DescribeTargetHealth reports, with AWS's reason codes. */
  targetHealth(group: TargetGroupRecord, target: TargetRecord | undefined, id: string): { state: TargetHealthState; reason?: string; description?: string } {
    if (!target) return { state: 'unused', reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' };
    if (target.drainingUntil !== undefined) {
      return { state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' };
    }
    if (group.targetType === 'instance') {
      const instance = this.ec2.fleet.find(id);
      if (!instance || instance.state !== 'running') {
        return { state: 'unused', reason: 'Target.InvalidState', description: `Target is in the ${instance?.state ?? 'terminated'} state` };
      }
    }
    if (!this.inUse(group)) {
      return { state: 'unused', reason: 'Target.NotInUse', description: 'Target group is not configured to receive traffic from the load balancer' };
    }
    if (!group.healthCheck.enabled) return { state: 'unavailable', reason: 'Target.HealthCheckDisabled', description: 'Health checks are disabled' };
    if (target.health === 'initial') {
      return target.checked
        ? { state: 'initial', reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' }
        : { state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' };
    }
    if (target.health === 'unhealthy') return { state: 'unhealthy', reason: target.reason, description: target.description };
    return { state: 'healthy' };
  }

  describeTargetHealth(arn: string, targets: TargetDescription[] | undefined): TargetHealthDescription[] {
    const group = this.targetGroup(arn);
    const wanted = targets?.length
      ? targets.map((t) => ({ id: t.Id ?? '', port: t.Port ?? group.port }))
      : [...group.targets.values()].map((t) => ({ id: t.id, port: t.port }));
    return wanted.map(({ id, port }) => {
      const target = group.targets.get(targetKey(id, port));
      const health = this.targetHealth(group, target, id);
      return {
        Target: { Id: id, Port: port, AvailabilityZone: target?.availabilityZone },
        HealthCheckPort: group.healthCheck.port === 'traffic-port' ? String(port) : group.healthCheck.port,
        TargetHealth: { State: health.state, Reason: health.reason as never, Description: health.description },
      };
    });
  }

  /** Round robin over healthy targets; when none is healthy, over the unhealthy ones (fail open). */
  pickTarget(arn: string): PickedTarget | undefined {
    const group = this.targetGroups.get(arn);
    if (!group) return undefined;
    const routable = [...group.targets.values()].filter((t) => t.drainingUntil === undefined && this.targetAddress(group, t) !== undefined);
    const checksOff = !group.healthCheck.enabled;
    let candidates = checksOff ? routable : routable.filter((t) => t.health === 'healthy');
    if (candidates.length === 0 && !checksOff) candidates = routable.filter((t) => t.health === 'unhealthy');
    if (candidates.length === 0) return undefined;
    const target = candidates[group.cursor++ % candidates.length] as TargetRecord;
    const instance = group.targetType === 'instance' ? this.ec2.fleet.find(target.id) : undefined;
    return { target, address: instance ? instance.privateIp : target.id, port: target.port };
  }

  describeTargetGroup(group: TargetGroupRecord): TargetGroup {
    const hc = group.healthCheck;
    return {
      TargetGroupArn: group.arn,
      TargetGroupName: group.name,
      Protocol: group.protocol as TargetGroup['Protocol'],
      Port: group.port,
      VpcId: group.vpcId,
      HealthCheckProtocol: hc.protocol as TargetGroup['HealthCheckProtocol'],
      HealthCheckPort: hc.port,
      HealthCheckEnabled: hc.enabled,
      HealthCheckIntervalSeconds: hc.intervalSeconds,
      HealthCheckTimeoutSeconds: hc.timeoutSeconds,
      HealthyThresholdCount: hc.healthyThreshold,
      UnhealthyThresholdCount: hc.unhealthyThreshold,
      HealthCheckPath: hc.path,
      Matcher: { HttpCode: hc.httpCode },
      LoadBalancerArns: this.loadBalancersOf(group),
      TargetType: group.targetType,
      ProtocolVersion: group.protocolVersion,
      IpAddressType: 'ipv4',
    };
  }

  // ---- load balancers ----

  loadBalancer(arn: string): LoadBalancerRecord {
    const lb = this.loadBalancers.get(arn);
    if (!lb) throw new CloudError('LoadBalancerNotFound', `Load balancers '[${arn}]' not found`);
    return lb;
  }

  createLoadBalancer(input: CreateLoadBalancerInput): LoadBalancerRecord {
    const name = checkName('Load balancer', input.Name);
    const type = input.Type ?? 'application';
    if (type !== 'application') throw new CloudError('UnsupportedProtocol', `The local cloud supports application load balancers only, not '${type}'`);
    const subnetIds = input.Subnets ?? input.SubnetMappings?.map((m) => m.SubnetId ?? '') ?? [];
    const subnets: SubnetRecord[] = subnetIds.map((id) => {
      const subnet = this.ec2.network.subnets.get(id);
      if (!subnet) throw new CloudError('SubnetNotFound', `The subnet ID '${id}' is not valid`);
      return subnet;
    });
    if (new Set(subnets.map((s) => s.availabilityZone)).size < 2) {
      throw validationError('At least two subnets in two different Availability Zones must be specified');
    }
    const vpcId = subnets[0]?.vpcId ?? '';
    const groups = input.SecurityGroups?.length ? input.SecurityGroups : [this.ec2.network.securityGroupByName('default', vpcId).groupId];
    for (const id of groups) {
      if (!this.ec2.network.securityGroups.has(id)) throw new CloudError('InvalidSecurityGroup', `Security group '${id}' does not exist`);
    }
    const scheme = input.Scheme ?? 'internet-facing';
    const existing = [...this.loadBalancers.values()].find((lb) => lb.name === name);
    if (existing) {
      if (existing.scheme !== scheme || JSON.stringify([...existing.subnetIds].sort()) !== JSON.stringify([...subnetIds].sort())) {
        throw new CloudError('DuplicateLoadBalancerName', `A load balancer with the same name '${name}' exists, but with different settings`);
      }
      return existing;
    }
    const address = this.ec2.network.allocateAddress(subnets[0] as SubnetRecord);
    const now = Date.now();
    const lb: LoadBalancerRecord = {
      arn: this.arn(`loadbalancer/app/${name}/${shortId()}`),
      name,
      type: 'application',
      scheme,
      vpcId,
      subnetIds,
      securityGroups: groups,
      ipAddressType: input.IpAddressType ?? 'ipv4',
      address,
      createdTime: new Date(now),
      activeAt: now + this.settings.provisioningMs,
      attributes: new Map(Object.entries(LOAD_BALANCER_ATTRIBUTE_DEFAULTS)),
    };
    this.loadBalancers.set(lb.arn, lb);
    this.setTags(lb.arn, input.Tags);
    return lb;
  }

  setSubnets(arn: string, subnetIds: string[]): LoadBalancerRecord {
    const lb = this.loadBalancer(arn);
    const subnets = subnetIds.map((id) => {
      const subnet = this.ec2.network.subnets.get(id);
      if (!subnet) throw new CloudError('SubnetNotFound', `The subnet ID '${id}' is not valid`);
      return subnet;
    });
    if (new Set(subnets.map((s) => s.availabilityZone)).size < 2) {
      throw validationError('At least two subnets in two different Availability Zones must be specified');
    }
    if (subnets.some((s) => s.vpcId !== lb.vpcId)) throw new CloudError('InvalidSubnet', 'The subnets must belong to the VPC of the load balancer');
    lb.subnetIds = subnetIds;
    return lb;
  }

  async deleteLoadBalancer(arn: string): Promise<void> {
    const lb = this.loadBalancers.get(arn);
    if (!lb) return;
    if (lb.attributes.get('deletion_protection.enabled') === 'true') {
      throw new CloudError('OperationNotPermitted', `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`);
    }
    for (const listener of [...this.listeners.values()].filter((l) => l.loadBalancerArn === arn)) await this.deleteListener(listener.arn);
    this.loadBalancers.delete(arn);
    this.tags.delete(arn);
    this.ec2.network.releaseAddress(lb.address);
  }

  modifyLoadBalancerAttributes(arn: string, attributes: { Key?: string; Value?: string }[]): LoadBalancerRecord {
    const lb = this.loadBalancer(arn);
    for (const { Key, Value } of attributes) {
      if (!Key || !(Key in LOAD_BALANCER_ATTRIBUTE_DEFAULTS)) throw validationError(`Load balancer attribute key '${Key ?? ''}' is not recognized`);
      if (Key === 'idle_timeout.timeout_seconds' && !(Number(Value) >= 1 && Number(Value) <= 4000)) {
        throw validationError(`'idle_timeout.timeout_seconds' must be between 1 and 4000`);
      }
    }
    for (const { Key, Value } of attributes) lb.attributes.set(Key as string, Value ?? '');
    return lb;
  }

  describeLoadBalancer(lb: LoadBalancerRecord): LoadBalancer {
    return {
      LoadBalancerArn: lb.arn,
      // The listeners serve on this loopback address: clients reach it by this "DNS name".
      DNSName: lb.address,
      CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
      CreatedTime: lb.createdTime,
      LoadBalancerName: lb.name,
      Scheme: lb.scheme,
      VpcId: lb.vpcId,
      State: { Code: Date.now() >= lb.activeAt ? 'active' : 'provisioning' },
      Type: lb.type,
      AvailabilityZones: lb.subnetIds.map((id) => {
        const subnet = this.ec2.network.subnets.get(id);
        return { ZoneName: subnet?.availabilityZone, SubnetId: id, LoadBalancerAddresses: [] };
      }),
      SecurityGroups: lb.securityGroups,
      IpAddressType: lb.ipAddressType as LoadBalancer['IpAddressType'],
    };
  }

  // ---- listeners and rules ----

  listener(arn: string): ListenerRecord {
    const listener = this.listeners.get(arn);
    if (!listener) throw new CloudError('ListenerNotFound', `One or more listeners not found`);
    return listener;
  }

  /** Checks actions and fills in what AWS fills in (TargetGroupArn <-> ForwardConfig). */
  private normalizeActions(actions: Action[] | undefined, loadBalancerArn: string): Action[] {
    if (!actions?.length) throw validationError('At least one action must be specified');
    return actions.map((action, index) => {
      const type = action.Type;
      if (type === 'forward') {
        const tuples = action.ForwardConfig?.TargetGroups ?? [];
        if (action.TargetGroupArn && tuples.length > 0 && !(tuples.length === 1 && tuples[0]?.TargetGroupArn === action.TargetGroupArn)) {
          throw validationError('You cannot specify both a target group ARN and a forward config with other target groups');
        }
        if (!action.TargetGroupArn && tuples.length === 0) throw validationError('A target group ARN must be specified');
        if (tuples.length > 5) throw validationError('A forward action can have at most 5 target groups');
        for (const tuple of tuples) checkRange('Target group weight', tuple.Weight, 0, 999);
        const list = tuples.length > 0 ? tuples : [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }];
        for (const tuple of list) {
          const group = this.targetGroup(tuple.TargetGroupArn ?? '');
          const others = this.loadBalancersOf(group).filter((arn) => arn !== loadBalancerArn);
          if (others.length > 0) {
            throw new CloudError(
              'TargetGroupAssociationLimit',
              `The following target groups cannot be associated with more than one load balancer: ${group.arn}`,
            );
          }
        }
        const forwardConfig = {
          TargetGroups: list.map((t) => ({ TargetGroupArn: t.TargetGroupArn, Weight: t.Weight ?? 1 })),
          TargetGroupStickinessConfig: { Enabled: action.ForwardConfig?.TargetGroupStickinessConfig?.Enabled ?? false, ...(action.ForwardConfig?.TargetGroupStickinessConfig?.DurationSeconds === undefined ? {} : { DurationSeconds: action.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds }) },
        };
        return {
          Type: type,
          ...(list.length === 1 ? { TargetGroupArn: list[0]?.TargetGroupArn } : {}),
          ForwardConfig: forwardConfig,
          ...(action.Order === undefined ? {} : { Order: action.Order }),
        };
      }
      if (type === 'fixed-response') {
        const status = action.FixedResponseConfig?.StatusCode ?? '';
        if (!/^[2-5]\d\d$/.test(status)) throw validationError(`Fixed response status code '${status}' is not valid`);
        return action;
      }
      if (type === 'redirect') {
        if (!['HTTP_301', 'HTTP_302'].includes(action.RedirectConfig?.StatusCode ?? '')) throw validationError('Redirect status code must be HTTP_301 or HTTP_302');
        return action;
      }
      if (type === 'authenticate-oidc' || type === 'authenticate-cognito') return action;
      throw validationError(`Action type '${type ?? ''}' at index ${index} is not valid`);
    });
  }

  private normalizeConditions(conditions: RuleCondition[] | undefined): RuleCondition[] {
    if (!conditions?.length) throw validationError('A rule must have at least one condition');
    return conditions.map((condition) => {
      const field = condition.Field;
      if (field === 'path-pattern') return { Field: field, Values: conditionValues(condition), PathPatternConfig: { Values: conditionValues(condition) } };
      if (field === 'host-header') return { Field: field, Values: conditionValues(condition), HostHeaderConfig: { Values: conditionValues(condition) } };
      if (['http-header', 'http-request-method', 'query-string', 'source-ip'].includes(field ?? '')) return condition;
      throw validationError(`Condition field '${field ?? ''}' is not valid`);
    });
  }

  async createListener(input: CreateListenerInput): Promise<ListenerRecord> {
    const lb = this.loadBalancer(input.LoadBalancerArn ?? '');
    const port = input.Port ?? (input.Protocol === 'HTTPS' ? 443 : 80);
    checkRange('Port', port, 1, 65535);
    const protocol = input.Protocol ?? 'HTTP';
    if (protocol !== 'HTTP') throw new CloudError('UnsupportedProtocol', `The local cloud's listeners speak HTTP, not '${protocol}'`);
    const actions = this.normalizeActions(input.DefaultActions, lb.arn);
    const duplicate = [...this.listeners.values()].find((l) => l.loadBalancerArn === lb.arn && l.port === port);
    if (duplicate) {
      if (JSON.stringify(duplicate.rules[0]?.actions) === JSON.stringify(actions)) return duplicate;
      throw new CloudError('DuplicateListener', `A listener already exists on this port for this load balancer '${lb.arn}'`);
    }
    const lbPath = lb.arn.split(':loadbalancer/')[1] ?? '';
    const listenerArn = this.arn(`listener/${lbPath}/${shortId()}`);
    const listener: ListenerRecord = {
      arn: listenerArn,
      loadBalancerArn: lb.arn,
      port,
      protocol,
      rules: [{ arn: this.arn(`listener-rule/${lbPath}/${listenerArn.split('/').pop()}/${shortId()}`), priority: 'default', conditions: [], actions, isDefault: true }],
    };
    const metrics = new ListenerMetrics();
    const proxy = new ListenerProxy(
      lb.address,
      port,
      {
        rules: () => this.rulesInOrder(listener),
        pickTarget: (arn) => this.pickTarget(arn),
        idleTimeoutMs: () => Number(lb.attributes.get('idle_timeout.timeout_seconds') ?? '60') * 1000,
      },
      metrics,
    );
    try {
      await proxy.listen();
    } catch (error) {
      throw new CloudError('InvalidConfigurationRequest', `Cannot listen on ${lb.address}:${port}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.listeners.set(listener.arn, listener);
    this.proxies.set(listener.arn, proxy);
    this.metrics.set(listener.arn, metrics);
    this.setTags(listener.arn, input.Tags);
    this.nudgeGroups(actions);
    return listener;
  }

  private nudgeGroups(actions: Action[]): void {
    for (const action of actions) for (const arn of forwardTargetGroupArns(action)) this.checkers.get(arn)?.nudge();
  }

  rulesInOrder(listener: ListenerRecord): RuleRecord[] {
    const [defaultRule, ...others] = listener.rules;
    return [...others.sort((a, b) => Number(a.priority) - Number(b.priority)), ...(defaultRule ? [defaultRule] : [])];
  }

  modifyListener(arn: string, port: number | undefined, protocol: string | undefined, defaultActions: Action[] | undefined): Promise<ListenerRecord> {
    const listener = this.listener(arn);
    if (protocol !== undefined && protocol !== 'HTTP') throw new CloudError('UnsupportedProtocol', `The local cloud's listeners speak HTTP, not '${protocol}'`);
    if (defaultActions) {
      const defaultRule = listener.rules[0] as RuleRecord;
      defaultRule.actions = this.normalizeActions(defaultActions, listener.loadBalancerArn);
      this.nudgeGroups(defaultRule.actions);
    }
    if (port !== undefined && port !== listener.port) return this.moveListener(listener, port);
    return Promise.resolve(listener);
  }

  private async moveListener(listener: ListenerRecord, port: number): Promise<ListenerRecord> {
    checkRange('Port', port, 1, 65535);
    if ([...this.listeners.values()].some((l) => l.loadBalancerArn === listener.loadBalancerArn && l.port === port)) {
      throw new CloudError('DuplicateListener', `A listener already exists on this port for this load balancer '${listener.loadBalancerArn}'`);
    }
    const lb = this.loadBalancer(listener.loadBalancerArn);
    const old = this.proxies.get(listener.arn);
    const metrics = this.metrics.get(listener.arn) ?? new ListenerMetrics();
    const proxy = new ListenerProxy(
      lb.address,
      port,
      {
        rules: () => this.rulesInOrder(listener),
        pickTarget: (arn) => this.pickTarget(arn),
        idleTimeoutMs: () => Number(lb.attributes.get('idle_timeout.timeout_seconds') ?? '60') * 1000,
      },
      metrics,
    );
    await proxy.listen();
    await old?.close();
    this.proxies.set(listener.arn, proxy);
    listener.port = port;
    return listener;
  }

  async deleteListener(arn: string): Promise<void> {
    this.listener(arn);
    const proxy = this.proxies.get(arn);
    this.proxies.delete(arn);
    this.listeners.delete(arn);
    this.metrics.delete(arn);
    this.tags.delete(arn);
    await proxy?.close();
  }

  describeListener(listener: ListenerRecord): Listener {
    return {
      ListenerArn: listener.arn,
      LoadBalancerArn: listener.loadBalancerArn,
      Port: listener.port,
      Protocol: listener.protocol as Listener['Protocol'],
      DefaultActions: listener.rules[0]?.actions ?? [],
    };
  }

  findRule(arn: string): { listener: ListenerRecord; rule: RuleRecord } {
    for (const listener of this.listeners.values()) {
      const rule = listener.rules.find((r) => r.arn === arn);
      if (rule) return { listener, rule };
    }
    throw new CloudError('RuleNotFound', 'One or more rules not found');
  }

  createRule(input: CreateRuleInput): RuleRecord {
    const listener = this.listener(input.ListenerArn ?? '');
    const priority = input.Priority;
    if (priority === undefined) throw validationError('A priority must be specified');
    checkRange('Priority', priority, 1, 50000);
    if (listener.rules.some((r) => r.priority === String(priority))) throw new CloudError('PriorityInUse', `Priority '${priority}' is currently in use`);
    const rule: RuleRecord = {
      arn: this.arn(`listener-rule/${listener.arn.split(':listener/')[1] ?? ''}/${shortId()}`),
      priority: String(priority),
      conditions: this.normalizeConditions(input.Conditions),
      actions: this.normalizeActions(input.Actions, listener.loadBalancerArn),
      isDefault: false,
    };
    listener.rules.push(rule);
    this.setTags(rule.arn, input.Tags);
    this.nudgeGroups(rule.actions);
    return rule;
  }

  modifyRule(arn: string, conditions: RuleCondition[] | undefined, actions: Action[] | undefined): RuleRecord {
    const { listener, rule } = this.findRule(arn);
    if (conditions) {
      if (rule.isDefault) throw new CloudError('OperationNotPermitted', 'The default rule cannot have conditions');
      rule.conditions = this.normalizeConditions(conditions);
    }
    if (actions) {
      rule.actions = this.normalizeActions(actions, listener.loadBalancerArn);
      this.nudgeGroups(rule.actions);
    }
    return rule;
  }

  deleteRule(arn: string): void {
    const { listener, rule } = this.findRule(arn);
    if (rule.isDefault) throw new CloudError('OperationNotPermitted', 'The default rule cannot be deleted');
    listener.rules = listener.rules.filter((r) => r !== rule);
    this.tags.delete(arn);
  }

  setRulePriorities(priorities: { RuleArn?: string; Priority?: number }[]): RuleRecord[] {
    const found = priorities.map((p) => ({ ...this.findRule(p.RuleArn ?? ''), priority: p.Priority }));
    for (const { rule, listener, priority } of found) {
      if (rule.isDefault) throw new CloudError('OperationNotPermitted', 'The default rule priority cannot be changed');
      checkRange('Priority', priority, 1, 50000);
      const clash = listener.rules.find((r) => r.priority === String(priority) && !found.some((f) => f.rule === r));
      if (clash) throw new CloudError('PriorityInUse', `Priority '${priority}' is currently in use`);
    }
    for (const { rule, priority } of found) rule.priority = String(priority);
    return found.map((f) => f.rule);
  }

  describeRule(rule: RuleRecord): Rule {
    return { RuleArn: rule.arn, Priority: rule.priority, Conditions: rule.conditions, Actions: rule.actions, IsDefault: rule.isDefault };
  }

  // ---- internal endpoint ----

  listenerMetrics(windowSeconds: number): ({ listenerArn: string; loadBalancerArn: string; address: string; port: number } & MetricsSnapshot)[] {
    return [...this.listeners.values()].map((listener) => ({
      listenerArn: listener.arn,
      loadBalancerArn: listener.loadBalancerArn,
      address: this.loadBalancers.get(listener.loadBalancerArn)?.address ?? '',
      port: listener.port,
      ...(this.metrics.get(listener.arn) ?? new ListenerMetrics()).snapshot(windowSeconds),
    }));
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const timer of this.drainTimers) clearTimeout(timer);
    await Promise.all([...this.checkers.values()].map((c) => c.stop()));
    await Promise.all([...this.proxies.values()].map((p) => p.close()));
    this.proxies.clear();
  }
}
