// amazon.aws.ec2_instance: the boto3-era instance module for new playbooks. Instances are
// found by `filters` (or, by default, live instances in the subnet with the same Name tag
// and image); then they are terminated (absent), kept at exact_count (the oldest go first),
// updated (tags, termination protection, security groups, state), or launched.
// Results: instance_ids, instances (snake_case, tags as a dict), changed_ids/terminated_ids,
// spec (the RunInstances request) and msg, as the Ansible module returns them.
import {
  DescribeInstanceAttributeCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  type Instance,
  type InstanceNetworkInterfaceSpecification,
  ModifyInstanceAttributeCommand,
  type ModifyInstanceAttributeCommandInput,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
} from '@aws-sdk/client-ec2';
import { randomUUID } from 'node:crypto';
import { type ModuleContext, type ModuleDefinition, ModuleFailure, type ModuleResult } from '../../module.js';
import { AwsCallError, awsFailure, isAwsErrorCode, send } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import type { AwsConnectionArgs } from '../connection-args.js';
import { pyStr } from '../../../template/runtime/repr.js';
import { compareTags, filterDictToList, tagListToDict } from '../tags.js';
import { describeInstances, hasTags, inState, securityGroupIds, waitForInstances } from './instances-api.js';
import { prettyInstance, rawInstance } from './instance-view.js';
import { ec2InstanceSpec } from './ec2-instance.spec.js';

type State = 'present' | 'started' | 'running' | 'stopped' | 'restarted' | 'rebooted' | 'terminated' | 'absent';

export interface Ec2InstanceArgs extends AwsConnectionArgs {
  state?: State | null;
  wait?: boolean | null;
  wait_timeout?: number | null;
  count?: number | null;
  exact_count?: number | null;
  image?: { id?: string | null; ramdisk?: string | null; kernel?: string | null } | null;
  image_id?: string | null;
  instance_type?: string | null;
  user_data?: string | null;
  ebs_optimized?: boolean | null;
  vpc_subnet_id?: string | null;
  availability_zone?: string | null;
  security_groups?: string[] | null;
  security_group?: string | null;
  iam_instance_profile?: string | null;
  name?: string | null;
  tags?: Record<string, unknown> | null;
  purge_tags?: boolean | null;
  filters?: Record<string, unknown> | null;
  launch_template?: { id?: string | null; name?: string | null; version?: string | null } | null;
  key_name?: string | null;
  cpu_credit_specification?: string | null;
  cpu_options?: { core_count: number; threads_per_core: number } | null;
  tenancy?: string | null;
  placement_group?: string | null;
  instance_initiated_shutdown_behavior?: string | null;
  termination_protection?: boolean | null;
  hibernation_options?: boolean | null;
  detailed_monitoring?: boolean | null;
  instance_ids?: string[] | null;
  network?: Record<string, unknown> | null;
  volumes?: Record<string, unknown>[] | null;
  metadata_options?: Record<string, unknown> | null;
}

const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/** What each module state means for the instance. */
const EC2_STATE: Record<State, string> = {
  present: 'running',
  started: 'running',
  running: 'running',
  stopped: 'stopped',
  restarted: 'running',
  rebooted: 'running',
  terminated: 'terminated',
  absent: 'terminated',
};

const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

interface StateChange {
  changed: string[];
  /** Instances AWS refused to move. */
  failed: string[];
  /** botocore's words for the last refusal. */
  reason: string;
  instances: Instance[];
}

/** RunInstances wants the user data in base64, which boto3 does by itself and the JS SDK does not. */
function onTheWire(spec: RunInstancesCommandInput): RunInstancesCommandInput {
  return spec.UserData === undefined ? spec : { ...spec, UserData: Buffer.from(spec.UserData, 'utf8').toString('base64') };
}

/** fail_json (not fail_json_aws: no AWS error keys) naming what moved and what did not. */
function failIfAny(outcome: StateChange, msg: string, lists: string): void {
  if (outcome.failed.length === 0) return;
  throw new ModuleFailure(`${msg}: ${outcome.reason}`, { [`${lists}_success`]: outcome.changed, [`${lists}_failed`]: outcome.failed });
}

function snakeToCamel(key: string): string {
  return key
    .split('_')
    .map((part) => (part ? part[0]!.toUpperCase() + part.slice(1) : '_'))
    .join('');
}

/** snake_dict_to_camel_dict(..., capitalize_first=True) for the volumes list. */
function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeToCamel(k), camelize(v)]));
  return value;
}

class Ec2InstanceTask {
  private readonly signal: AbortSignal;
  private readonly state: State;

  constructor(
    private readonly ec2: EC2Client,
    private readonly args: Ec2InstanceArgs,
    private readonly ctx: ModuleContext,
  ) {
    this.signal = ctx.signal;
    this.state = args.state ?? 'present';
  }

  private get waitTimeoutMs(): number {
    return (this.args.wait_timeout ?? 600) * 1000;
  }

  private async defaultSubnet(): Promise<string | undefined> {
    const vpcs = await send(this.ec2, new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }), this.signal);
    const vpcId = vpcs.Vpcs?.[0]?.VpcId;
    if (!vpcId) return undefined;
    const subnets = await send(
      this.ec2,
      new DescribeSubnetsCommand({ Filters: filterDictToList({ 'vpc-id': vpcId, state: 'available', 'default-for-az': 'true' }) }),
      this.signal,
    );
    const all = [...(subnets.Subnets ?? [])].sort((x, y) => (x.AvailabilityZone ?? '').localeCompare(y.AvailabilityZone ?? ''));
    return (all.find((s) => s.AvailabilityZone === this.args.availability_zone) ?? all[0])?.SubnetId;
  }

  /** build_filters: the instances this task is about, when no `filters` are given. */
  async filters(): Promise<Record<string, unknown>> {
    if (this.args.filters) return this.args.filters;
    const filters: Record<string, unknown> = { 'instance-state-name': LIVE_STATES };
    if (this.args.instance_ids?.length) {
      filters['instance-id'] = this.args.instance_ids;
      return filters;
    }
    if (this.args.vpc_subnet_id) filters['subnet-id'] = [this.args.vpc_subnet_id];
    else if (this.args.network && Array.isArray(this.args.network.interfaces) && this.args.network.interfaces.length) {
      filters['network-interface.network-interface-id'] = this.args.network.interfaces.map((i) => (typeof i === 'object' && i ? (i as { id: string }).id : i));
    } else {
      const subnet = await this.defaultSubnet();
      if (subnet) filters['subnet-id'] = subnet;
    }
    const name = this.args.name ?? (this.args.tags?.Name !== undefined ? pyStr(this.args.tags.Name) : undefined);
    if (name) filters['tag:Name'] = [name];
    const image = this.args.image_id ?? this.args.image?.id;
    if (image) filters['image-id'] = [image];
    return filters;
  }

  async find(filters: Record<string, unknown>): Promise<Instance[]> {
    const sanitized = Object.fromEntries(Object.entries(filters).map(([key, value]) => [key.startsWith('tag:') ? key : key.replace(/_/g, '-'), value]));
    try {
      return await describeInstances(this.ec2, { filters: filterDictToList(sanitized) }, this.signal);
    } catch (error) {
      throw awsFailure(error, 'Could not describe instances');
    }
  }

  private wantedTags(): Record<string, string> {
    const tags = Object.fromEntries(Object.entries(this.args.tags ?? {}).map(([k, v]) => [k, pyStr(v)]));
    if (this.args.name) tags.Name = this.args.name;
    return tags;
  }

  private async runSpec(count: number): Promise<RunInstancesCommandInput> {
    const a = this.args;
    const spec: RunInstancesCommandInput = { ClientToken: randomUUID().replace(/-/g, ''), MinCount: count, MaxCount: count };
    const imageId = a.image_id ?? a.image?.id;
    if (imageId) spec.ImageId = imageId;
    if (a.image?.ramdisk) spec.RamdiskId = a.image.ramdisk;
    if (a.image?.kernel) spec.KernelId = a.image.kernel;
    if (!imageId && !a.launch_template) throw new ModuleFailure('You must include an image_id or image.id parameter to create an instance, or use a launch_template.');
    if (given(a.key_name)) spec.KeyName = a.key_name;
    // The text, as Ansible's spec shows it: boto3 (and launch() here) encode it for the wire.
    if (given(a.user_data)) spec.UserData = a.user_data;
    if (a.launch_template) {
      if (!a.launch_template.id && !a.launch_template.name) {
        throw new ModuleFailure('Could not create instance with launch template. Either launch_template.name or launch_template.id parameters are required');
      }
      spec.LaunchTemplate = {
        ...(a.launch_template.id ? { LaunchTemplateId: a.launch_template.id } : {}),
        ...(a.launch_template.name ? { LaunchTemplateName: a.launch_template.name } : {}),
        ...(given(a.launch_template.version) ? { Version: String(a.launch_template.version) } : {}),
      };
    }
    if (a.detailed_monitoring) spec.Monitoring = { Enabled: true };
    if (given(a.cpu_credit_specification)) spec.CreditSpecification = { CpuCredits: a.cpu_credit_specification };
    if (given(a.tenancy)) spec.Placement = { Tenancy: a.tenancy as never };
    if (a.placement_group) spec.Placement = { ...spec.Placement, GroupName: String(a.placement_group) };
    if (given(a.ebs_optimized)) spec.EbsOptimized = a.ebs_optimized;
    if (a.instance_initiated_shutdown_behavior) spec.InstanceInitiatedShutdownBehavior = a.instance_initiated_shutdown_behavior as never;
    if (given(a.termination_protection)) spec.DisableApiTermination = a.termination_protection;
    if (a.cpu_options) spec.CpuOptions = { ThreadsPerCore: a.cpu_options.threads_per_core, CoreCount: a.cpu_options.core_count };
    if (a.metadata_options) {
      const m = a.metadata_options;
      spec.MetadataOptions = {
        HttpEndpoint: (m.http_endpoint ?? 'enabled') as never,
        HttpTokens: (m.http_tokens ?? 'optional') as never,
        HttpPutResponseHopLimit: Number(m.http_put_response_hop_limit ?? 1),
        HttpProtocolIpv6: (m.http_protocol_ipv6 ?? 'disabled') as never,
        InstanceMetadataTags: (m.instance_metadata_tags ?? 'disabled') as never,
      };
    }
    spec.NetworkInterfaces = await this.networkSpec();
    spec.BlockDeviceMappings = this.volumeSpec();
    if (a.hibernation_options && a.volumes) {
      if (!a.volumes.every((v) => (v.ebs as { encrypted?: boolean } | undefined)?.encrypted)) {
        throw new ModuleFailure('Hibernation prerequisites not satisfied. Refer https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/hibernating-prerequisites.html');
      }
      spec.HibernationOptions = { Configured: true };
    }
    const tags = this.wantedTags();
    if (Object.keys(tags).length) {
      const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      spec.TagSpecifications = [
        { ResourceType: 'volume', Tags: list },
        { ResourceType: 'instance', Tags: list },
      ];
    }
    if (a.iam_instance_profile) {
      // An ARN is passed as is; a name is passed by name (AWS resolves it) rather than through IAM.
      spec.IamInstanceProfile = a.iam_instance_profile.startsWith('arn:') ? { Arn: a.iam_instance_profile } : { Name: a.iam_instance_profile };
    }
    if (!a.launch_template || a.instance_type) spec.InstanceType = (a.instance_type ?? 't2.micro') as never;
    return spec;
  }

  private volumeSpec(): RunInstancesCommandInput['BlockDeviceMappings'] {
    return (this.args.volumes ?? []).map((volume) => {
      const copy = structuredClone(volume) as Record<string, Record<string, unknown>>;
      const ebs = copy.ebs;
      if (ebs) {
        for (const key of ['volume_size', 'iops']) if (ebs[key] !== undefined) ebs[key] = Number(ebs[key]);
        if (ebs.volume_type === 'gp3') {
          ebs.iops ||= 3000;
          ebs.throughput = ebs.throughput !== undefined ? Number(ebs.throughput) : 125;
        }
      }
      return camelize(copy) as NonNullable<RunInstancesCommandInput['BlockDeviceMappings']>[number];
    });
  }

  private async networkSpec(): Promise<InstanceNetworkInterfaceSpecification[]> {
    const a = this.args;
    const network = a.network ?? {};
    const interfaces = Array.isArray(network.interfaces) ? network.interfaces : [];
    if (interfaces.length === 0) {
      const spec: InstanceNetworkInterfaceSpecification = { DeviceIndex: 0 };
      if (given(network.assign_public_ip)) spec.AssociatePublicIpAddress = Boolean(network.assign_public_ip);
      spec.SubnetId = a.vpc_subnet_id ?? (await this.defaultSubnet());
      if (!spec.SubnetId) throw new ModuleFailure('No default subnet could be found - you must include a VPC subnet ID (vpc_subnet_id parameter) to create an instance');
      if (network.private_ip_address) spec.PrivateIpAddress = String(network.private_ip_address);
      const groups = a.security_group ? [a.security_group] : (a.security_groups ?? []);
      if (groups.length) spec.Groups = await this.groupIds(groups, spec.SubnetId);
      if (given(network.description)) spec.Description = String(network.description);
      return [spec];
    }
    return interfaces.map((item, index) => {
      const i = typeof item === 'string' ? { id: item } : (item as Record<string, unknown>);
      if (i.id) return { DeviceIndex: index, NetworkInterfaceId: String(i.id) };
      const subnet = (i.subnet_id as string | undefined) ?? a.vpc_subnet_id ?? undefined;
      if (!subnet) throw new ModuleFailure(`Failed to assign subnet to interface ${JSON.stringify(i)}`);
      return {
        DeviceIndex: index,
        SubnetId: subnet,
        DeleteOnTermination: i.delete_on_termination === undefined ? true : Boolean(i.delete_on_termination),
        ...(Array.isArray(i.ipv6_addresses) && i.ipv6_addresses.length ? { Ipv6Addresses: i.ipv6_addresses.map((x) => ({ Ipv6Address: String(x) })) } : {}),
        ...(i.private_ip_address ? { PrivateIpAddress: String(i.private_ip_address) } : {}),
        ...(i.description ? { Description: String(i.description) } : {}),
      };
    });
  }

  private async groupIds(groups: string[], subnetId: string | undefined): Promise<string[]> {
    let vpcId: string | undefined;
    if (subnetId) {
      try {
        vpcId = (await send(this.ec2, new DescribeSubnetsCommand({ SubnetIds: [subnetId] }), this.signal)).Subnets?.[0]?.VpcId;
      } catch (error) {
        throw awsFailure(error, `Error while searching for subnet ${subnetId} parent VPC.`);
      }
    }
    return securityGroupIds(this.ec2, groups, vpcId, this.signal);
  }

  private async waitFor(ids: string[], state: State, force = false): Promise<void> {
    if ((!this.args.wait && !force) || this.ctx.checkMode || ids.length === 0) return;
    const target = state === 'present' ? undefined : EC2_STATE[state];
    const outcome = await waitForInstances(this.ec2, ids, target ? inState(target) : () => true, { timeoutMs: this.waitTimeoutMs, signal: this.signal });
    if (!outcome.done) {
      this.ctx.warn(`Instances ${ids.join(', ')} took too long to reach state ${target ?? 'exists'}.`);
    }
  }

  // ---- launching ------------------------------------------------------------------------

  async ensurePresent(existing: Instance[], toLaunch: number): Promise<ModuleResult> {
    const spec = await this.runSpec(toLaunch);
    const existingIds = existing.map((i) => i.InstanceId ?? '');
    if (this.ctx.checkMode) {
      return {
        changed: true,
        spec,
        msg: 'Would have launched instances if not in check_mode.',
        // As amazon.aws 5.5: boto3's dicts here, not pretty_instance.
        ...(existing.length ? { instance_ids: existingIds, instances: existing.map(rawInstance) } : {}),
      };
    }
    let launched: Instance[];
    try {
      launched = (await send(this.ec2, new RunInstancesCommand(onTheWire(spec)), this.signal)).Instances ?? [];
    } catch (error) {
      throw awsFailure(error, 'Failed to create new EC2 instance');
    }
    const ids = launched.map((i) => i.InstanceId ?? '');
    // New instances show up (with their tags) in DescribeInstances after a moment.
    await waitForInstances(this.ec2, ids, hasTags(this.wantedTags()), { timeoutMs: 60_000, signal: this.signal });
    const allIds = [...existingIds, ...ids];
    if (!this.args.wait) {
      return existing.length ? { changed: true, changed_ids: ids, instance_ids: allIds, spec } : { changed: true, instance_ids: ids, spec };
    }
    await this.waitFor(ids, this.state);
    const described = await describeInstances(this.ec2, { ids }, this.signal);
    const all = [...existing, ...described];
    return existing.length
      ? { changed: true, changed_ids: ids, instance_ids: allIds, instances: all.map(prettyInstance), spec }
      : { changed: true, instance_ids: ids, instances: described.map(prettyInstance), spec };
  }

  async enforceCount(existing: Instance[], exactCount: number): Promise<ModuleResult> {
    if (existing.length === exactCount) {
      return {
        changed: false,
        instances: existing.map(prettyInstance),
        instance_ids: existing.map((i) => i.InstanceId),
        msg: `${exactCount} instances already running, nothing to do.`,
      };
    }
    if (existing.length < exactCount) return this.ensurePresent(existing, exactCount - existing.length);
    const oldestFirst = [...existing].sort((a, b) => (a.LaunchTime?.getTime() ?? 0) - (b.LaunchTime?.getTime() ?? 0));
    const allIds = oldestFirst.map((i) => i.InstanceId ?? '');
    const terminateIds = allIds.slice(0, existing.length - exactCount);
    if (this.ctx.checkMode) {
      return { changed: true, terminated_ids: terminateIds, instance_ids: allIds, msg: `Would have terminated following instances if not in check mode ${JSON.stringify(terminateIds)}` };
    }
    try {
      await send(this.ec2, new TerminateInstancesCommand({ InstanceIds: terminateIds }), this.signal);
    } catch (error) {
      if (!isAwsErrorCode(error, 'InvalidInstanceID.NotFound')) throw awsFailure(error, 'Unable to terminate instances');
    }
    await this.waitFor(terminateIds, 'terminated', true);
    return {
      changed: true,
      msg: 'Successfully terminated instances.',
      terminated_ids: terminateIds,
      instance_ids: allIds,
      // As amazon.aws 5.5: boto3's dicts, as found before terminating.
      instances: oldestFirst.map(rawInstance),
    };
  }

  // ---- existing instances -------------------------------------------------------------------

  private async attributeChanges(instance: Instance): Promise<ModifyInstanceAttributeCommandInput[]> {
    const id = instance.InstanceId ?? '';
    const changes: ModifyInstanceAttributeCommandInput[] = [];
    const mapped: [boolean | null | undefined, 'ebsOptimized' | 'disableApiTermination'][] = [
      [this.args.ebs_optimized, 'ebsOptimized'],
      [this.args.termination_protection, 'disableApiTermination'],
    ];
    for (const [value, attribute] of mapped) {
      if (!given(value)) continue;
      const current = await send(this.ec2, new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: attribute }), this.signal);
      const now = attribute === 'ebsOptimized' ? current.EbsOptimized?.Value : current.DisableApiTermination?.Value;
      if (now !== value) changes.push(attribute === 'ebsOptimized' ? { InstanceId: id, EbsOptimized: { Value: value } } : { InstanceId: id, DisableApiTermination: { Value: value } });
    }
    const groups = this.args.security_group ? [this.args.security_group] : (this.args.security_groups ?? []);
    if (groups.length) {
      const wanted = await this.groupIds(groups, this.args.vpc_subnet_id ?? instance.SubnetId);
      const current = (instance.SecurityGroups ?? []).map((g) => g.GroupId ?? '');
      if (wanted.length !== current.length || wanted.some((g) => !current.includes(g))) changes.push({ InstanceId: id, Groups: wanted });
    }
    const sourceDest = this.args.network?.source_dest_check;
    if (given(sourceDest) && instance.SourceDestCheck !== Boolean(sourceDest)) changes.push({ InstanceId: id, SourceDestCheck: { Value: Boolean(sourceDest) } });
    return changes;
  }

  private async ensureTags(instance: Instance): Promise<boolean> {
    let tags = this.args.tags ?? undefined;
    let purge = this.args.purge_tags !== false;
    if (this.args.name) {
      if (!tags) {
        purge = false;
        tags = {};
      }
      tags = { ...tags, Name: this.args.name };
    }
    if (!tags) return false;
    const { set, remove } = compareTags(tagListToDict(instance.Tags), tags, purge);
    const id = instance.InstanceId ?? '';
    if (!this.ctx.checkMode) {
      if (remove.length) await send(this.ec2, new DeleteTagsCommand({ Resources: [id], Tags: remove.map((Key) => ({ Key })) }), this.signal);
      if (Object.keys(set).length) await send(this.ec2, new CreateTagsCommand({ Resources: [id], Tags: Object.entries(set).map(([Key, Value]) => ({ Key, Value })) }), this.signal);
    }
    return remove.length > 0 || Object.keys(set).length > 0;
  }

  async handleExisting(existing: Instance[]): Promise<ModuleResult> {
    let changed = false;
    let changes: ModifyInstanceAttributeCommandInput[] = [];
    for (const instance of existing) {
      changed = (await this.ensureTags(instance)) || changed;
      changes = await this.attributeChanges(instance);
      for (const change of changes) {
        if (this.ctx.checkMode) continue;
        try {
          await send(this.ec2, new ModifyInstanceAttributeCommand(change), this.signal);
        } catch (error) {
          throw awsFailure(error, `Could not apply change ${JSON.stringify(change)} to existing instance.`);
        }
      }
      changed ||= changes.length > 0;
    }
    const altered = await describeInstances(this.ec2, { ids: existing.map((i) => i.InstanceId ?? '') }, this.signal);
    const stateResults = await this.ensureState(altered);
    return {
      ...stateResults,
      changed: changed || stateResults.changed === true,
      instances: altered.map(prettyInstance),
      instance_ids: altered.map((i) => i.InstanceId),
      // As Ansible: the ModifyInstanceAttribute requests (of the last instance), unconverted.
      changes,
    };
  }

  /** Moves the instances to the state asked for: start, stop (and start again), terminate. */
  async ensureState(instances: Instance[]): Promise<ModuleResult> {
    const state = this.state;
    if (state === 'present') return {};
    if (state === 'restarted' || state === 'rebooted') {
      const stopped = await this.changeState(instances, 'stopped');
      failIfAny(stopped, 'Unable to stop instances', 'stop');
      const started = await this.changeState(await this.refresh(instances), 'running');
      failIfAny(started, 'Unable to restart instances', 'reboot');
      const success = [...new Set([...stopped.changed, ...started.changed])];
      return { msg: 'Instances restarted', reboot_success: success, reboot_failed: [], changed: success.length > 0, instances: started.instances.map(prettyInstance) };
    }
    const target = EC2_STATE[state] as 'running' | 'stopped' | 'terminated';
    const outcome = await this.changeState(instances, target);
    const kind = target === 'running' ? 'start' : target === 'stopped' ? 'stop' : 'terminate';
    // Ansible names a failed start's lists reboot_*.
    failIfAny(outcome, `Unable to ${kind} instances`, kind === 'start' ? 'reboot' : kind);
    const results: ModuleResult = {
      msg: target === 'running' ? 'Instances started' : target === 'stopped' ? 'Instances stopped' : 'Instances terminated',
      [`${kind}_success`]: outcome.changed,
      [`${kind}_failed`]: [],
      changed: outcome.changed.length > 0,
      instances: outcome.instances.map(prettyInstance),
    };
    if (kind === 'start') Object.assign(results, { reboot_success: outcome.changed, reboot_failed: [] });
    const done = { start: 'started', stop: 'stopped', terminate: 'terminated' }[kind];
    if (this.ctx.checkMode && outcome.changed.length) results.msg = `Would have ${done} ${outcome.changed.join(', ')} if not in check mode`;
    return results;
  }

  private async refresh(instances: Instance[]): Promise<Instance[]> {
    if (this.ctx.checkMode || instances.length === 0) return instances;
    return describeInstances(this.ec2, { ids: instances.map((i) => i.InstanceId ?? '') }, this.signal);
  }

  /**
   * change_instance_state: asks each instance in turn; one that AWS refuses does not stop
   * the others, and the last refusal is the reason the module gives. (Ansible also counts
   * instances already on their way, pending or stopping, as failed: a start right after a
   * launch without wait fails there. Here they are only waited for.)
   */
  private async changeState(instances: Instance[], target: 'running' | 'stopped' | 'terminated'): Promise<StateChange> {
    const changed: string[] = [];
    const unchanged: string[] = [];
    const failed: string[] = [];
    let reason = '';
    for (const instance of instances) {
      const id = instance.InstanceId ?? '';
      const current = instance.State?.Name ?? '';
      // Terminating is asked again of terminated instances (a filter may match them for an hour), as Ansible does.
      if (current === target && target !== 'terminated') continue;
      if (target === 'running' && (current === 'pending' || current === 'running')) {
        unchanged.push(id);
        continue;
      }
      if (target === 'stopped' && (current === 'stopping' || current === 'stopped')) {
        unchanged.push(id);
        continue;
      }
      if (target !== 'running' && current === 'pending') await this.waitForState([id], 'running');
      if (current === 'stopping') await this.waitForState([id], 'stopped');
      if (this.ctx.checkMode) {
        changed.push(id);
        continue;
      }
      const command =
        target === 'terminated'
          ? new TerminateInstancesCommand({ InstanceIds: [id] })
          : target === 'stopped'
            ? new StopInstancesCommand({ InstanceIds: [id] })
            : new StartInstancesCommand({ InstanceIds: [id] });
      try {
        await send(this.ec2, command, this.signal);
        changed.push(id);
      } catch (error) {
        if (!(error instanceof AwsCallError)) throw error;
        failed.push(id);
        reason = error.message;
      }
    }
    if (changed.length && !this.ctx.checkMode && this.args.wait !== false) await this.waitForState([...changed, ...unchanged], target);
    return { changed, failed, reason, instances: await this.refresh(instances) };
  }

  private async waitForState(ids: string[], state: string): Promise<void> {
    if (this.ctx.checkMode) return;
    const outcome = await waitForInstances(this.ec2, ids, inState(state), { timeoutMs: this.waitTimeoutMs, signal: this.signal });
    if (!outcome.done) this.ctx.warn(`Instances ${ids.join(', ')} took too long to reach state ${state}.`);
  }
}

export const ec2InstanceModule: ModuleDefinition<Ec2InstanceArgs> = {
  ...ec2InstanceSpec,
  async run(args, ctx) {
    const interfaces = args.network?.interfaces;
    if (Array.isArray(interfaces) && interfaces.length) {
      if (args.security_group) throw new ModuleFailure("Parameter network.interfaces can't be used with security_group");
      if (args.security_groups?.length) throw new ModuleFailure("Parameter network.interfaces can't be used with security_groups");
    }
    if (given(args.exact_count) && args.exact_count < 0) throw new ModuleFailure(`exact_count must be 0 or more (got ${args.exact_count})`);
    const ec2 = await new AwsSession(args, ctx.environment, 'ec2_instance').ec2();
    const task = new Ec2InstanceTask(ec2, args, ctx);
    const state = args.state ?? 'present';
    try {
      const existing = await task.find(await task.filters());
      if (state === 'absent' || state === 'terminated') {
        if (existing.length === 0) return { changed: false, msg: 'No matching instances found' };
        return await task.ensureState(existing);
      }
      if (given(args.exact_count)) return await task.enforceCount(existing, args.exact_count);
      if (existing.length && !args.count) return await task.handleExisting(existing);
      return await task.ensurePresent(existing, args.count ?? 1);
    } catch (error) {
      throw awsFailure(error);
    }
  },
};
