// The legacy `ec2` module (amazon.aws.ec2 before 4.0.0), which the article's roles use:
// launch `count` instances, or keep `exact_count` of them that match `count_tag`; start,
// stop, reboot or terminate instances by id or tags. It returns instance_ids, instances
// (those launched, changed or terminated by this run) and tagged_instances (for
// exact_count: all that match count_tag afterwards), each described as boto 2 did.
//
// Where tsplay is stricter than Ansible, on purpose: exact_count with a missing or empty
// count_tag is refused (Ansible's filter-less search once terminated every instance of an
// account); surplus instances are terminated oldest launch_time first (Ansible took the
// lowest ids), and the result says which. Check mode is supported: nothing is launched,
// started, stopped or terminated, and the result says what would be.
import {
  type BlockDeviceMapping,
  DescribeInstanceAttributeCommand,
  type EC2Client,
  type Filter,
  type Instance,
  type InstanceNetworkInterfaceSpecification,
  ModifyInstanceAttributeCommand,
  RebootInstancesCommand,
  type RunInstancesCommandInput,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { type ModuleContext, type ModuleDefinition, ModuleFailure, type ModuleResult } from '../../module.js';
import { awsFailure, send } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import type { AwsConnectionArgs } from '../connection-args.js';
import { pyStr } from '../../../template/runtime/repr.js';
import { countTagFilters, matchesCountTag, parseCountTag, type TagConditions } from './count-tag.js';
import {
  asctime,
  describeInstances,
  hasTags,
  inState,
  requireSecurityGroupIds,
  securityGroupIdsByName,
  vpcOfSubnet,
  waitForInstances,
} from './instances-api.js';
import { legacyInstanceInfo } from './legacy-instance.js';
import { legacyBlockDeviceMappings } from './legacy-volumes.js';
import { ec2LegacySpec } from './ec2-legacy.spec.js';

export interface LegacyEc2Args extends AwsConnectionArgs {
  key_name?: string | null;
  id?: string | null;
  group?: string[] | null;
  group_id?: string[] | null;
  zone?: string | null;
  instance_type?: string | null;
  tenancy?: string | null;
  spot_price?: string | null;
  spot_type?: string | null;
  spot_launch_group?: string | null;
  image?: string | null;
  kernel?: string | null;
  ramdisk?: string | null;
  wait?: boolean | null;
  wait_timeout?: number | null;
  spot_wait_timeout?: number | null;
  count?: number | null;
  monitoring?: boolean | null;
  user_data?: string | null;
  instance_tags?: Record<string, unknown> | null;
  placement_group?: string | null;
  vpc_subnet_id?: string | null;
  assign_public_ip?: boolean | null;
  private_ip?: string | null;
  instance_profile_name?: string | null;
  instance_ids?: string[] | null;
  source_dest_check?: boolean | null;
  termination_protection?: boolean | null;
  instance_initiated_shutdown_behavior?: string | null;
  state?: string | null;
  volumes?: unknown[] | null;
  ebs_optimized?: boolean | null;
  exact_count?: number | null;
  count_tag?: unknown;
  network_interfaces?: string[] | null;
}

/** Instance states that still count: everything but shutting-down and terminated. */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/** How long a just-launched instance may take to appear, with its tags, in DescribeInstances. */
const VISIBILITY_TIMEOUT_MS = 60_000;

const set = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null && (value as unknown) !== '';

const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.id).localeCompare(String(b.id));

interface Outcome {
  changed: boolean;
  instanceIds: string[];
  instances: Record<string, unknown>[];
  taggedInstances: Record<string, unknown>[];
  msg?: string;
  warnings?: string[];
  diff?: { before: Record<string, unknown>; after: Record<string, unknown> };
}

/** The launch that create_instances would make, kept for check mode's plan and --diff. */
interface LaunchPlan {
  count: number;
  input: RunInstancesCommandInput;
}

function summary(instance: Instance): string {
  return [instance.State?.Name, instance.PrivateIpAddress, instance.LaunchTime ? `launched ${instance.LaunchTime.toISOString()}` : undefined]
    .filter(Boolean)
    .join(', ');
}

function launchSummary(plan: LaunchPlan): string {
  const input = plan.input;
  const where = input.SubnetId ?? input.NetworkInterfaces?.[0]?.SubnetId ?? input.Placement?.AvailabilityZone ?? 'default subnet';
  return `launch ${input.InstanceType ?? 'default type'} from ${input.ImageId} in ${where}`;
}

function instancesDiff(before: Instance[], after: Instance[], launches?: LaunchPlan): Outcome['diff'] {
  const view = (list: Instance[]) => Object.fromEntries(list.map((i) => [i.InstanceId ?? '', summary(i)]));
  const planned: Record<string, string> = {};
  for (let i = 1; i <= (launches?.count ?? 0); i++) planned[`(new instance ${i} of ${launches?.count})`] = launchSummary(launches as LaunchPlan);
  return { before: { instances: view(before) }, after: { instances: { ...view(after), ...planned } } };
}

class LegacyEc2 {
  private readonly signal: AbortSignal;
  private readonly waitTimeoutMs: number;

  constructor(
    private readonly ec2: EC2Client,
    private readonly args: LegacyEc2Args,
    private readonly ctx: ModuleContext,
  ) {
    this.signal = ctx.signal;
    this.waitTimeoutMs = (args.wait_timeout ?? 300) * 1000;
  }

  private get wait(): boolean {
    return this.args.wait === true;
  }

  /** The VPC of vpc_subnet_id, for security group names and the count search. */
  private vpcId: string | undefined | null = null;

  private async subnetVpc(): Promise<string | undefined> {
    if (this.vpcId === null) this.vpcId = set(this.args.vpc_subnet_id) ? await vpcOfSubnet(this.ec2, this.args.vpc_subnet_id, this.signal) : undefined;
    return this.vpcId;
  }

  // ---- state: present ------------------------------------------------------------------

  async present(): Promise<Outcome> {
    if (!set(this.args.image)) throw new ModuleFailure('image parameter is required for new instance');
    if (this.args.exact_count === undefined || this.args.exact_count === null) return this.createInstances(this.args.count ?? 1);
    return this.enforceCount(this.args.exact_count);
  }

  private async countTagMatches(conditions: TagConditions): Promise<Instance[]> {
    const filters: Filter[] = countTagFilters(conditions);
    if (set(this.args.vpc_subnet_id)) {
      filters.push({ Name: 'subnet-id', Values: [this.args.vpc_subnet_id] });
      const vpcId = await this.subnetVpc();
      if (vpcId) filters.push({ Name: 'vpc-id', Values: [vpcId] });
    }
    if (set(this.args.zone)) filters.push({ Name: 'availability-zone', Values: [this.args.zone] });
    if (set(this.args.id)) filters.push({ Name: 'client-token', Values: [this.args.id] });
    filters.push({ Name: 'instance-state-name', Values: LIVE_STATES });
    const found = await describeInstances(this.ec2, { filters }, this.signal);
    return found.filter((i) => LIVE_STATES.includes(i.State?.Name ?? '') && matchesCountTag(i, conditions));
  }

  private async enforceCount(exactCount: number): Promise<Outcome> {
    if (exactCount < 0) throw new ModuleFailure(`exact_count must be 0 or more (got ${exactCount})`);
    const conditions = parseCountTag(this.args.count_tag);
    const matching = await this.countTagMatches(conditions);
    const warnings = this.countTagWarnings(conditions);

    if (matching.length === exactCount) {
      return {
        changed: false,
        instanceIds: [],
        instances: [],
        taggedInstances: matching.map(legacyInstanceInfo),
        msg: `${exactCount} instance(s) matching count_tag already present, nothing to do.`,
        diff: instancesDiff(matching, matching),
        warnings,
      };
    }
    if (matching.length < exactCount) {
      const created = await this.createInstances(exactCount - matching.length, matching);
      return {
        ...created,
        taggedInstances: [...matching.map(legacyInstanceInfo), ...created.instances],
        warnings: [...warnings, ...(created.warnings ?? [])],
      };
    }

    // Too many: the oldest go first, so that the instances launched last (a new release) stay.
    const oldestFirst = [...matching].sort(
      (a, b) => (a.LaunchTime?.getTime() ?? 0) - (b.LaunchTime?.getTime() ?? 0) || String(a.InstanceId).localeCompare(String(b.InstanceId)),
    );
    const doomed = oldestFirst.slice(0, matching.length - exactCount);
    const kept = oldestFirst.slice(matching.length - exactCount);
    const doomedIds = doomed.map((i) => i.InstanceId ?? '');
    const which = doomed.map((i) => `${i.InstanceId} (launched ${i.LaunchTime?.toISOString() ?? 'unknown'})`).join(', ');
    const diff = instancesDiff(matching, kept);
    if (this.ctx.checkMode) {
      return {
        changed: true,
        instanceIds: [],
        instances: [],
        taggedInstances: matching.map(legacyInstanceInfo),
        msg: `Would have terminated ${which} to keep exact_count=${exactCount} (oldest launch_time first) if not in check mode`,
        diff,
        warnings,
      };
    }
    const terminated = await this.terminate(doomedIds, doomed);
    return {
      changed: true,
      instanceIds: terminated.instanceIds,
      instances: terminated.instances.map((i) => ({ ...i, state: 'terminated' })),
      taggedInstances: kept.map(legacyInstanceInfo),
      msg: `Terminated ${which} to keep exact_count=${exactCount} (oldest launch_time first)`,
      diff,
      warnings,
    };
  }

  /** New instances that do not carry the count_tag tags would be launched again on every run. */
  private countTagWarnings(conditions: TagConditions): string[] {
    const tags = this.instanceTags();
    const missing = [...conditions].filter(([key, value]) => !(key in tags) || (value !== undefined && tags[key] !== value));
    if (missing.length === 0) return [];
    const names = missing.map(([key, value]) => (value === undefined ? key : `${key}=${value}`)).join(', ');
    return [`instance_tags do not set the count_tag tag(s) ${names}: instances launched by this task will not count towards exact_count on the next run`];
  }

  private instanceTags(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.args.instance_tags ?? {}).map(([key, value]) => [key, pyStr(value)]));
  }

  private async securityGroupIds(): Promise<string[] | undefined> {
    if (this.args.group?.length) return securityGroupIdsByName(this.ec2, this.args.group, await this.subnetVpc(), this.signal);
    if (this.args.group_id?.length) {
      await requireSecurityGroupIds(this.ec2, this.args.group_id, this.signal);
      return [...this.args.group_id];
    }
    return undefined;
  }

  private async launchInput(count: number): Promise<RunInstancesCommandInput> {
    const a = this.args;
    const groupIds = await this.securityGroupIds();
    const input: RunInstancesCommandInput = {
      ImageId: a.image ?? undefined,
      MinCount: count,
      MaxCount: count,
      Monitoring: { Enabled: a.monitoring === true },
      InstanceInitiatedShutdownBehavior: (a.instance_initiated_shutdown_behavior ?? 'stop') as 'stop' | 'terminate',
    };
    if (set(a.instance_type)) input.InstanceType = a.instance_type as never;
    if (set(a.key_name)) input.KeyName = a.key_name;
    if (set(a.kernel)) input.KernelId = a.kernel;
    if (set(a.ramdisk)) input.RamdiskId = a.ramdisk;
    if (set(a.id)) input.ClientToken = a.id;
    if (a.user_data !== undefined && a.user_data !== null) input.UserData = Buffer.from(a.user_data, 'utf8').toString('base64');
    if (a.ebs_optimized) input.EbsOptimized = true;
    if (set(a.instance_profile_name)) input.IamInstanceProfile = { Name: a.instance_profile_name };
    if (a.termination_protection === true) input.DisableApiTermination = true;
    const placement: NonNullable<RunInstancesCommandInput['Placement']> = {};
    if (set(a.zone)) placement.AvailabilityZone = a.zone;
    if (set(a.placement_group)) placement.GroupName = a.placement_group;
    if (set(a.tenancy) && a.tenancy !== 'default') placement.Tenancy = a.tenancy as never;
    if (Object.keys(placement).length > 0) input.Placement = placement;

    if (a.assign_public_ip !== undefined && a.assign_public_ip !== null) {
      if (!set(a.vpc_subnet_id)) throw new ModuleFailure('assign_public_ip only available with vpc_subnet_id');
      const nic: InstanceNetworkInterfaceSpecification = { DeviceIndex: 0, SubnetId: a.vpc_subnet_id, AssociatePublicIpAddress: a.assign_public_ip };
      if (groupIds) nic.Groups = groupIds;
      if (set(a.private_ip)) nic.PrivateIpAddress = a.private_ip;
      input.NetworkInterfaces = [nic];
    } else if (a.network_interfaces?.length) {
      input.NetworkInterfaces = a.network_interfaces.map((id, index) => ({ NetworkInterfaceId: id, DeviceIndex: index }));
    } else {
      if (set(a.vpc_subnet_id)) {
        input.SubnetId = a.vpc_subnet_id;
        if (groupIds) input.SecurityGroupIds = groupIds;
      } else if (a.group?.length) {
        input.SecurityGroups = [...a.group];
      } else if (groupIds) {
        input.SecurityGroupIds = groupIds;
      }
      if (set(a.private_ip)) input.PrivateIpAddress = a.private_ip;
    }
    if (a.volumes?.length) {
      const mappings: BlockDeviceMapping[] = legacyBlockDeviceMappings(a.volumes);
      if (mappings.length > 0) input.BlockDeviceMappings = mappings;
    }
    const tags = this.instanceTags();
    if (Object.keys(tags).length > 0) {
      // Tagged at launch: an instance is never visible without the tags exact_count looks for.
      input.TagSpecifications = [{ ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }];
    }
    return input;
  }

  /** `alongside`: instances that already count (exact_count), shown in --diff. */
  private async createInstances(count: number, alongside: Instance[] = []): Promise<Outcome> {
    if (!set(this.args.image)) throw new ModuleFailure('image parameter is required for new instance');
    let running: Instance[] = [];
    let remaining = count;
    if (set(this.args.id)) {
      running = await describeInstances(
        this.ec2,
        { filters: [{ Name: 'client-token', Values: [this.args.id] }, { Name: 'instance-state-name', Values: ['running'] }] },
        this.signal,
      );
      remaining -= running.length;
    }
    if (remaining <= 0) {
      return { changed: false, instanceIds: running.map((i) => i.InstanceId ?? ''), instances: running.map(legacyInstanceInfo), taggedInstances: [] };
    }
    const before = [...alongside, ...running];
    const input = await this.launchInput(remaining);
    const plan: LaunchPlan = { count: remaining, input };
    if (this.ctx.checkMode) {
      return {
        changed: true,
        instanceIds: [],
        instances: [],
        taggedInstances: [],
        msg: `Would have launched ${remaining} instance(s) if not in check mode`,
        diff: instancesDiff(before, before, plan),
      };
    }

    let launched: Instance[];
    try {
      launched = (await send(this.ec2, new RunInstancesCommand(input), this.signal)).Instances ?? [];
    } catch (error) {
      throw awsFailure(error, 'Instance creation failed');
    }
    const terminatedBefore = launched.filter((i) => i.State?.Name === 'terminated').map((i) => i.InstanceId);
    if (terminatedBefore.length > 0) {
      throw new ModuleFailure(
        `Instances with id(s) ${JSON.stringify(terminatedBefore)} were created previously but have since been terminated - use a (possibly different) 'instanceid' parameter`,
      );
    }
    const ids = launched.map((i) => i.InstanceId ?? '');
    const tags = this.instanceTags();
    const visible = await waitForInstances(this.ec2, ids, hasTags(tags), { timeoutMs: VISIBILITY_TIMEOUT_MS, signal: this.signal });
    let described = visible.done ? visible.instances : launched;
    if (this.wait) {
      const outcome = await waitForInstances(this.ec2, ids, inState('running'), { timeoutMs: this.waitTimeoutMs, signal: this.signal });
      if (!outcome.done) throw new ModuleFailure(`wait for instances running timeout on ${asctime()}`, { instance_ids: [...ids].sort() });
      described = outcome.instances;
    }
    if (this.args.source_dest_check === false) {
      for (const id of ids) {
        await this.modifyAttribute({ InstanceId: id, SourceDestCheck: { Value: false } });
      }
    }
    return {
      changed: true,
      instanceIds: [...running, ...described].map((i) => i.InstanceId ?? ''),
      instances: [...running, ...described].map(legacyInstanceInfo),
      taggedInstances: [],
      msg: `Launched ${ids.length} instance(s): ${ids.join(', ')}`,
      diff: instancesDiff(before, [...before, ...described]),
    };
  }

  private async modifyAttribute(input: ConstructorParameters<typeof ModifyInstanceAttributeCommand>[0]): Promise<void> {
    try {
      await send(this.ec2, new ModifyInstanceAttributeCommand(input), this.signal);
    } catch (error) {
      throw awsFailure(error, `Unable to modify attributes of instance ${input.InstanceId}`);
    }
  }

  // ---- state: absent --------------------------------------------------------------------

  async absent(): Promise<Outcome> {
    const ids = this.args.instance_ids ?? [];
    if (ids.length === 0) throw new ModuleFailure('instance_ids list is required for absent state');
    const current = await describeInstances(this.ec2, { ids }, this.signal);
    const live = current.filter((i) => LIVE_STATES.includes(i.State?.Name ?? ''));
    if (this.ctx.checkMode) {
      const doomed = live.map((i) => i.InstanceId).join(', ');
      return {
        changed: live.length > 0,
        instanceIds: [],
        instances: [],
        taggedInstances: [],
        ...(live.length > 0 ? { msg: `Would have terminated ${doomed} if not in check mode` } : {}),
        diff: instancesDiff(live, []),
      };
    }
    const outcome = await this.terminate(
      live.map((i) => i.InstanceId ?? ''),
      live,
    );
    return { ...outcome, diff: instancesDiff(live, []) };
  }

  private async terminate(ids: string[], described: Instance[]): Promise<Outcome> {
    if (ids.length === 0) return { changed: false, instanceIds: [], instances: [], taggedInstances: [] };
    for (const id of ids) {
      try {
        await send(this.ec2, new TerminateInstancesCommand({ InstanceIds: [id] }), this.signal);
      } catch (error) {
        throw awsFailure(error, `Unable to terminate instance ${id}`);
      }
    }
    let instances = described.map(legacyInstanceInfo);
    if (this.wait) {
      const outcome = await waitForInstances(this.ec2, ids, inState('terminated'), { timeoutMs: this.waitTimeoutMs, signal: this.signal });
      if (!outcome.done) throw new ModuleFailure(`wait for instance termination timeout on ${asctime()}`, { instance_ids: ids });
      instances = outcome.instances.map(legacyInstanceInfo);
    }
    return { changed: true, instanceIds: ids, instances, taggedInstances: [], msg: `Terminated ${ids.join(', ')}` };
  }

  // ---- state: running / stopped / restarted -------------------------------------------

  private async selectExisting(withStates: boolean): Promise<Instance[]> {
    const ids = this.args.instance_ids;
    const tags = this.args.instance_tags;
    if (!Array.isArray(ids) && (typeof tags !== 'object' || tags === null)) {
      throw new ModuleFailure(`running list needs to be a list of instances or set of tags to run: ${ids === undefined || ids === null ? 'None' : JSON.stringify(ids)}`);
    }
    const filters: Filter[] = Object.entries(tags ?? {}).map(([key, value]) => ({ Name: `tag:${key}`, Values: [pyStr(value)] }));
    if (withStates) filters.push({ Name: 'instance-state-name', Values: LIVE_STATES });
    if (set(this.args.id)) filters.push({ Name: 'client-token', Values: [this.args.id] });
    return describeInstances(this.ec2, { ...(ids?.length ? { ids } : {}), filters }, this.signal);
  }

  /** termination_protection and source_dest_check of an existing instance; true when changed. */
  private async reconcileAttributes(instance: Instance): Promise<boolean> {
    let changed = false;
    const id = instance.InstanceId ?? '';
    const wanted: [boolean | null | undefined, 'disableApiTermination' | 'sourceDestCheck'][] = [
      [this.args.termination_protection, 'disableApiTermination'],
      [this.args.source_dest_check, 'sourceDestCheck'],
    ];
    for (const [value, attribute] of wanted) {
      if (value === undefined || value === null) continue;
      if (attribute === 'sourceDestCheck' && !instance.VpcId) continue;
      const current = await send(this.ec2, new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: attribute }), this.signal);
      const now = attribute === 'disableApiTermination' ? current.DisableApiTermination?.Value : current.SourceDestCheck?.Value;
      if (now === value) continue;
      changed = true;
      if (!this.ctx.checkMode) {
        await this.modifyAttribute(
          attribute === 'disableApiTermination' ? { InstanceId: id, DisableApiTermination: { Value: value } } : { InstanceId: id, SourceDestCheck: { Value: value } },
        );
      }
    }
    const groups = await this.wantedGroupIds(instance);
    if (groups && !sameSet(groups, (instance.SecurityGroups ?? []).map((g) => g.GroupId ?? ''))) {
      changed = true;
      if (!this.ctx.checkMode) await this.modifyAttribute({ InstanceId: id, Groups: groups });
    }
    return changed;
  }

  private async wantedGroupIds(instance: Instance): Promise<string[] | undefined> {
    if (!instance.VpcId) return undefined;
    if (this.args.group?.length) return securityGroupIdsByName(this.ec2, this.args.group, instance.VpcId, this.signal);
    if (this.args.group_id?.length) {
      const groups = await requireSecurityGroupIds(this.ec2, this.args.group_id, this.signal);
      return groups.map((g) => g.GroupId ?? '');
    }
    return undefined;
  }

  async startStop(state: 'running' | 'stopped'): Promise<Outcome> {
    const existing = await this.selectExisting(true);
    let changed = false;
    let instances: Record<string, unknown>[] = [];
    const toChange: Instance[] = [];
    for (const instance of existing) {
      changed = (await this.reconcileAttributes(instance)) || changed;
      if (instance.State?.Name === state) continue;
      instances.push(legacyInstanceInfo(instance));
      toChange.push(instance);
      changed = true;
    }
    const ids = [...new Set([...existing.map((i) => i.InstanceId ?? ''), ...(this.args.instance_ids ?? [])])];
    const after = existing.map((i) => ({ ...i, State: toChange.includes(i) ? { Name: state } : i.State }) as Instance);
    const diff = instancesDiff(existing, after);
    if (this.ctx.checkMode) {
      const verb = state === 'running' ? 'started' : 'stopped';
      return {
        changed,
        instanceIds: ids,
        instances,
        taggedInstances: [],
        ...(toChange.length ? { msg: `Would have ${verb} ${toChange.map((i) => i.InstanceId).join(', ')} if not in check mode` } : {}),
        diff,
      };
    }
    for (const instance of toChange) {
      const id = instance.InstanceId ?? '';
      try {
        await send(this.ec2, state === 'running' ? new StartInstancesCommand({ InstanceIds: [id] }) : new StopInstancesCommand({ InstanceIds: [id] }), this.signal);
      } catch (error) {
        throw awsFailure(error, `Unable to change state for instance ${id}`);
      }
    }
    if (this.wait) {
      const outcome = await waitForInstances(this.ec2, ids, inState(state), { timeoutMs: this.waitTimeoutMs, signal: this.signal });
      if (!outcome.done) throw new ModuleFailure(`wait for instances running timeout on ${asctime()}`);
      instances = outcome.instances.map(legacyInstanceInfo);
    }
    return { changed, instanceIds: ids, instances, taggedInstances: [], diff };
  }

  async restart(): Promise<Outcome> {
    const existing = await this.selectExisting(false);
    let changed = false;
    const instances: Record<string, unknown>[] = [];
    const rebooted: string[] = [];
    for (const instance of existing) {
      changed = (await this.reconcileAttributes(instance)) || changed;
      if (instance.State?.Name !== 'running') continue;
      instances.push(legacyInstanceInfo(instance));
      rebooted.push(instance.InstanceId ?? '');
      changed = true;
      if (this.ctx.checkMode) continue;
      try {
        await send(this.ec2, new RebootInstancesCommand({ InstanceIds: [instance.InstanceId ?? ''] }), this.signal);
      } catch (error) {
        throw awsFailure(error, `Unable to change state for instance ${instance.InstanceId}`);
      }
    }
    return {
      changed,
      instanceIds: this.args.instance_ids ?? existing.map((i) => i.InstanceId ?? ''),
      instances,
      taggedInstances: [],
      ...(this.ctx.checkMode && rebooted.length ? { msg: `Would have rebooted ${rebooted.join(', ')} if not in check mode` } : {}),
    };
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

function toResult(outcome: Outcome, ctx: ModuleContext): ModuleResult {
  const result: ModuleResult = {
    changed: outcome.changed,
    instance_ids: [...outcome.instanceIds].sort(),
    instances: [...outcome.instances].sort(byId),
    tagged_instances: [...outcome.taggedInstances].sort(byId),
  };
  if (outcome.msg) result.msg = outcome.msg;
  if (outcome.warnings?.length) result.warnings = outcome.warnings;
  if (ctx.diffMode && outcome.diff) result.diff = outcome.diff;
  return result;
}

export const ec2LegacyModule: ModuleDefinition<LegacyEc2Args> = {
  ...ec2LegacySpec,
  async run(args, ctx) {
    if (set(args.spot_price)) {
      throw new ModuleFailure('spot_price: spot instance requests are not supported by tsplay; use amazon.aws.ec2_spot_instance with Ansible, or on-demand instances');
    }
    const session = new AwsSession(args, ctx.environment, 'ec2');
    const ec2 = await session.ec2();
    const module = new LegacyEc2(ec2, args, ctx);
    const state = args.state ?? 'present';
    try {
      let outcome: Outcome;
      if (state === 'present') outcome = await module.present();
      else if (state === 'absent') outcome = await module.absent();
      else if (state === 'running' || state === 'stopped') outcome = await module.startStop(state);
      else outcome = await module.restart();
      return toResult(outcome, ctx);
    } catch (error) {
      throw awsFailure(error);
    }
  },
};
