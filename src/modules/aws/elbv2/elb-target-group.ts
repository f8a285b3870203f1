// community.aws.elb_target_group: create, update or delete a target group: protocol, port
// and VPC (fixed once created), health check settings, attributes (deregistration delay,
// stickiness, algorithm...), tags, and optionally its targets. Returns the group's
// description in snake_case with its attributes and tags.
//
// Targets are only reconciled when modify_targets is true. Ansible defaults it to true,
// which deregisters every target of a group whose task lists none; tsplay defaults it to
// false so that a task that manages a group's settings never drains a live blue-green
// target group by accident. Check mode is supported (Ansible skips this module in it).
import {
  AddTagsCommand,
  CreateTargetGroupCommand,
  type CreateTargetGroupCommandInput,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  type ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type ModifyTargetGroupCommandInput,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  type TargetDescription,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { type ModuleContext, type ModuleDefinition, ModuleFailure, type ModuleResult } from '../../module.js';
import { awsFailure, send } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import type { AwsConnectionArgs } from '../connection-args.js';
import { pollUntil } from '../poll.js';
import { pyStr } from '../../../template/runtime/repr.js';
import { camelDictToSnakeDict } from '../snake-case.js';
import { compareTags, tagDictToList, tagListToDict } from '../tags.js';
import { resourceTags, targetGroupAttributes, targetGroupByName, targetHealth } from './target-groups-api.js';
import { elbTargetGroupSpec } from './elb-target-group.spec.js';


export interface ElbTargetGroupArgs extends AwsConnectionArgs {
  name: string;
  state: 'present' | 'absent';
  deregistration_delay_timeout?: number | null;
  deregistration_connection_termination?: boolean | null;
  health_check_protocol?: string | null;
  health_check_port?: string | null;
  health_check_path?: string | null;
  health_check_interval?: number | null;
  health_check_timeout?: number | null;
  healthy_threshold_count?: number | null;
  unhealthy_threshold_count?: number | null;
  successful_response_codes?: string | null;
  modify_targets?: boolean | null;
  port?: number | null;
  protocol?: string | null;
  protocol_version?: string | null;
  purge_tags?: boolean | null;
  stickiness_enabled?: boolean | null;
  stickiness_type?: string | null;
  stickiness_lb_cookie_duration?: number | null;
  stickiness_app_cookie_duration?: number | null;
  stickiness_app_cookie_name?: string | null;
  load_balancing_algorithm_type?: string | null;
  tags?: Record<string, unknown> | null;
  target_type?: string | null;
  targets?: Record<string, unknown>[] | null;
  vpc_id?: string | null;
  preserve_client_ip_enabled?: boolean | null;
  proxy_protocol_v2_enabled?: boolean | null;
  wait?: boolean | null;
  wait_timeout?: number | null;
}

const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

/** Attribute updates the arguments ask for, compared with the group's current attributes. */
function attributeUpdates(args: ElbTargetGroupArgs, current: Record<string, string>): { Key: string; Value: string }[] {
  const updates: { Key: string; Value: string }[] = [];
  const want = (key: string, value: string, currentKey = key.replace(/\./g, '_')) => {
    if (current[currentKey] !== value) updates.push({ Key: key, Value: value });
  };
  const lower = (b: boolean) => String(b).toLowerCase();
  if (given(args.deregistration_delay_timeout)) want('deregistration_delay.timeout_seconds', String(args.deregistration_delay_timeout));
  if (args.deregistration_connection_termination) want('deregistration_delay.connection_termination.enabled', 'true');
  if (args.stickiness_enabled) want('stickiness.enabled', 'true');
  if (given(args.stickiness_lb_cookie_duration)) want('stickiness.lb_cookie.duration_seconds', String(args.stickiness_lb_cookie_duration));
  if (given(args.stickiness_type)) want('stickiness.type', args.stickiness_type);
  if (given(args.stickiness_app_cookie_name)) want('stickiness.app_cookie.cookie_name', args.stickiness_app_cookie_name);
  if (given(args.stickiness_app_cookie_duration)) want('stickiness.app_cookie.duration_seconds', String(args.stickiness_app_cookie_duration));
  if (given(args.preserve_client_ip_enabled) && !['udp', 'tcp_udp'].includes(args.target_type ?? '')) {
    want('preserve_client_ip.enabled', lower(args.preserve_client_ip_enabled));
  }
  if (given(args.proxy_protocol_v2_enabled)) want('proxy_protocol_v2.enabled', lower(args.proxy_protocol_v2_enabled));
  if (given(args.load_balancing_algorithm_type)) want('load_balancing.algorithm.type', args.load_balancing_algorithm_type);
  return updates;
}

/** The health check part of CreateTargetGroup/ModifyTargetGroup, when any health option is set. */
function healthCheckParams(args: ElbTargetGroupArgs): Partial<CreateTargetGroupCommandInput> {
  const options = [
    args.health_check_path,
    args.health_check_protocol,
    args.health_check_interval,
    args.health_check_timeout,
    args.healthy_threshold_count,
    args.unhealthy_threshold_count,
    args.successful_response_codes,
  ];
  if (!options.some(given)) return {};
  const params: Partial<CreateTargetGroupCommandInput> = {};
  if (given(args.health_check_protocol)) params.HealthCheckProtocol = args.health_check_protocol.toUpperCase() as never;
  if (given(args.health_check_port)) params.HealthCheckPort = args.health_check_port;
  if (given(args.health_check_interval)) params.HealthCheckIntervalSeconds = args.health_check_interval;
  if (given(args.health_check_timeout)) params.HealthCheckTimeoutSeconds = args.health_check_timeout;
  if (given(args.healthy_threshold_count)) params.HealthyThresholdCount = args.healthy_threshold_count;
  if (given(args.unhealthy_threshold_count)) params.UnhealthyThresholdCount = args.unhealthy_threshold_count;
  if (['HTTP', 'HTTPS'].includes((args.health_check_protocol ?? '').toUpperCase())) {
    if (given(args.health_check_path)) params.HealthCheckPath = args.health_check_path;
    if (given(args.successful_response_codes)) {
      params.Matcher = args.protocol_version?.toUpperCase() === 'GRPC' ? { GrpcCode: args.successful_response_codes } : { HttpCode: args.successful_response_codes };
    }
  }
  return params;
}

function healthCheckChanges(group: TargetGroup, wanted: Partial<CreateTargetGroupCommandInput>): Partial<ModifyTargetGroupCommandInput> {
  const changes: Partial<ModifyTargetGroupCommandInput> = {};
  const keys = ['HealthCheckProtocol', 'HealthCheckPort', 'HealthCheckIntervalSeconds', 'HealthCheckTimeoutSeconds', 'HealthyThresholdCount', 'UnhealthyThresholdCount'] as const;
  for (const key of keys) {
    if (key in wanted && group[key] !== wanted[key]) (changes as Record<string, unknown>)[key] = wanted[key];
  }
  if (group.HealthCheckProtocol === 'HTTP' || group.HealthCheckProtocol === 'HTTPS') {
    if ('HealthCheckPath' in wanted && group.HealthCheckPath !== wanted.HealthCheckPath) changes.HealthCheckPath = wanted.HealthCheckPath;
    if (wanted.Matcher) {
      const key = group.ProtocolVersion === 'GRPC' ? 'GrpcCode' : 'HttpCode';
      const current = new Set((group.Matcher?.[key] ?? '').split(','));
      const requested = (wanted.Matcher.HttpCode ?? wanted.Matcher.GrpcCode ?? '').split(',');
      if (current.size !== new Set(requested).size || requested.some((code) => !current.has(code))) changes.Matcher = { [key]: requested.join(',') };
    }
  }
  return changes;
}

/** The `targets` argument with ports defaulted to the group's and made integers. */
function wantedTargets(args: ElbTargetGroupArgs): TargetDescription[] {
  return (args.targets ?? []).map((target) => {
    const out: TargetDescription = { Id: pyStr(target.Id) };
    if (args.target_type !== 'lambda') {
      const port = Number(target.Port ?? args.port);
      if (!Number.isInteger(port)) throw new ModuleFailure(`The port of target ${out.Id} must be an integer (got ${JSON.stringify(target.Port ?? args.port)})`);
      out.Port = port;
    }
    if (target.AvailabilityZone) out.AvailabilityZone = String(target.AvailabilityZone);
    return out;
  });
}

class TargetGroupTask {
  changed = false;
  readonly planned: string[] = [];

  constructor(
    private readonly elb: ElasticLoadBalancingV2Client,
    private readonly args: ElbTargetGroupArgs,
    private readonly ctx: ModuleContext,
  ) {}

  /** Runs a change unless in check mode; either way the task has changed and says what. */
  private async apply(description: string, action: () => Promise<unknown>, failure: string): Promise<void> {
    this.changed = true;
    this.planned.push(description);
    if (this.ctx.checkMode) return;
    try {
      await action();
    } catch (error) {
      throw awsFailure(error, failure);
    }
  }

  private async waitForTargets(arn: string, targets: TargetDescription[], state: string, failure: string): Promise<void> {
    if (!this.args.wait || this.ctx.checkMode || targets.length === 0) return;
    const outcome = await pollUntil(
      async () => {
        const health = await targetHealth(this.elb, arn, targets, this.ctx.signal);
        return { value: health, ready: health.every((h) => h.TargetHealth?.State === state) };
      },
      { timeoutMs: (this.args.wait_timeout ?? 200) * 1000, intervalMs: 1000, maxIntervalMs: 5000, signal: this.ctx.signal },
    );
    if (!outcome.done) throw new ModuleFailure(failure);
  }

  async present(): Promise<ModuleResult> {
    const a = this.args;
    const targetType = a.target_type ?? 'instance';
    const health = healthCheckParams(a);
    let group = await targetGroupByName(this.elb, a.name, { signal: this.ctx.signal });

    if (group) {
      const fixed: [string, unknown, unknown][] = [
        ['Port', group.Port, a.port],
        ['Protocol', group.Protocol, a.protocol?.toUpperCase()],
        ['VpcId', group.VpcId, a.vpc_id],
      ];
      const diffs = fixed.filter(([, current, wanted]) => given(wanted) && current !== wanted).map(([name]) => name);
      if (diffs.length > 0) throw new ModuleFailure(`Cannot modify ${diffs.join(', ')} parameter(s) for a target group`);
      const changes = healthCheckChanges(group, health);
      if (Object.keys(changes).length > 0) {
        const arn = group.TargetGroupArn;
        await this.apply(`modify health check: ${Object.keys(changes).join(', ')}`, () => send(this.elb, new ModifyTargetGroupCommand({ TargetGroupArn: arn, ...changes }), this.ctx.signal), "Couldn't update target group");
      }
      if (a.modify_targets) await this.reconcileTargets(group);
    } else {
      if (targetType !== 'lambda' && (!given(a.protocol) || !given(a.port) || !given(a.vpc_id))) {
        throw new ModuleFailure(`target_type is ${targetType} but all of the following are missing: ${['protocol', 'port', 'vpc_id'].filter((k) => !given(a[k as keyof ElbTargetGroupArgs])).join(', ')}`);
      }
      const input: CreateTargetGroupCommandInput = { Name: a.name, TargetType: targetType as never, ...health };
      if (targetType !== 'lambda') {
        input.Protocol = (a.protocol ?? '').toUpperCase() as never;
        input.Port = a.port ?? undefined;
        input.VpcId = a.vpc_id ?? undefined;
        if (given(a.protocol_version)) input.ProtocolVersion = a.protocol_version;
      }
      await this.apply(`create target group ${a.name}`, () => send(this.elb, new CreateTargetGroupCommand(input), this.ctx.signal), "Couldn't create target group");
      if (this.ctx.checkMode) {
        const targets = wantedTargets(a);
        if (targets.length) this.planned.push(`register ${targets.map((t) => t.Id).join(', ')}`);
        return { changed: true, msg: `Would have made these changes if not in check mode: ${this.planned.join('; ')}` };
      }
      group = await targetGroupByName(this.elb, a.name, { retryMissing: true, signal: this.ctx.signal });
      if (!group) throw new ModuleFailure(`Target group ${a.name} was created but cannot be found`);
      const targets = wantedTargets(a);
      if (targets.length > 0) {
        const arn = group.TargetGroupArn;
        const toRegister = targetType === 'lambda' ? [{ Id: targets[0]?.Id }] : targets;
        await this.apply(`register ${targets.map((t) => t.Id).join(', ')}`, () => send(this.elb, new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: toRegister }), this.ctx.signal), "Couldn't register targets");
        if (targetType !== 'lambda') await this.waitForTargets(arn ?? '', targets, 'healthy', 'Error waiting for target registration to be healthy - please check the AWS console');
      }
    }

    const arn = group.TargetGroupArn ?? '';
    const attributes = await targetGroupAttributes(this.elb, arn, this.ctx.signal);
    const updates = attributeUpdates(a, attributes);
    if (updates.length > 0) {
      await this.apply(
        `set ${updates.map((u) => `${u.Key}=${u.Value}`).join(', ')}`,
        () => send(this.elb, new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: updates }), this.ctx.signal),
        "Couldn't modify target group attributes",
      );
    }
    if (given(a.tags)) {
      const current = tagListToDict(await resourceTags(this.elb, arn, this.ctx.signal));
      const { set, remove } = compareTags(current, a.tags, a.purge_tags !== false);
      if (remove.length) {
        await this.apply(`remove tags ${remove.join(', ')}`, () => send(this.elb, new RemoveTagsCommand({ ResourceArns: [arn], TagKeys: remove }), this.ctx.signal), "Couldn't delete tags from target group");
      }
      if (Object.keys(set).length) {
        await this.apply(`set tags ${Object.keys(set).join(', ')}`, () => send(this.elb, new AddTagsCommand({ ResourceArns: [arn], Tags: tagDictToList(set) }), this.ctx.signal), "Couldn't add tags to target group");
      }
    }

    const latest = (await targetGroupByName(this.elb, a.name, { signal: this.ctx.signal })) ?? group;
    const result: ModuleResult = {
      changed: this.changed,
      ...camelDictToSnakeDict({ ...latest, ...(await targetGroupAttributes(this.elb, arn, this.ctx.signal)) }),
      tags: tagListToDict(await resourceTags(this.elb, arn, this.ctx.signal)),
    };
    if (this.ctx.checkMode && this.planned.length) result.msg = `Would have made these changes if not in check mode: ${this.planned.join('; ')}`;
    return result;
  }

  /** modify_targets: register what `targets` lists and deregister what it does not. */
  private async reconcileTargets(group: TargetGroup): Promise<void> {
    const arn = group.TargetGroupArn ?? '';
    const current = await targetHealth(this.elb, arn, undefined, this.ctx.signal);
    const wanted = wantedTargets(this.args);
    if (group.TargetType === 'lambda' || this.args.target_type === 'lambda') {
      const currentIds = current.map((d) => d.Target?.Id);
      const target = wanted[0];
      if (target && !currentIds.every((id) => id === target.Id)) {
        await this.apply(`register ${target.Id}`, () => send(this.elb, new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: target.Id }] }), this.ctx.signal), "Couldn't register targets");
      } else if (!target && current[0]?.Target?.Id) {
        const id = current[0].Target.Id;
        await this.apply(`deregister ${id}`, () => send(this.elb, new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: id }] }), this.ctx.signal), "Couldn't remove targets");
      }
      return;
    }
    const currentIds = new Set(current.map((d) => d.Target?.Id));
    const wantedIds = new Set(wanted.map((t) => t.Id));
    const toAdd = wanted.filter((t) => !currentIds.has(t.Id));
    const toRemove = current.filter((d) => !wantedIds.has(d.Target?.Id) && d.TargetHealth?.State !== 'draining').map((d) => ({ Id: d.Target?.Id, Port: d.Target?.Port }));
    if (toAdd.length > 0) {
      await this.apply(`register ${toAdd.map((t) => t.Id).join(', ')}`, () => send(this.elb, new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: toAdd }), this.ctx.signal), "Couldn't register targets");
      await this.waitForTargets(arn, toAdd, 'healthy', 'Error waiting for target registration to be healthy - please check the AWS console');
    }
    if (toRemove.length > 0) {
      await this.apply(`deregister ${toRemove.map((t) => t.Id).join(', ')}`, () => send(this.elb, new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: toRemove }), this.ctx.signal), "Couldn't remove targets");
      await this.waitForTargets(arn, toRemove, 'unused', 'Error waiting for target deregistration - please check the AWS console');
    }
  }

  async absent(): Promise<ModuleResult> {
    const group = await targetGroupByName(this.elb, this.args.name, { signal: this.ctx.signal });
    if (group) {
      await this.apply(`delete target group ${this.args.name}`, () => send(this.elb, new DeleteTargetGroupCommand({ TargetGroupArn: group.TargetGroupArn }), this.ctx.signal), "Couldn't delete target group");
    }
    return { changed: this.changed, ...(this.ctx.checkMode && this.changed ? { msg: `Would have deleted target group ${this.args.name} if not in check mode` } : {}) };
  }
}

export const elbTargetGroupModule: ModuleDefinition<ElbTargetGroupArgs> = {
  ...elbTargetGroupSpec,
  async run(args, ctx) {
    if (args.state === 'present' && ['HTTP', 'HTTPS'].includes((args.protocol ?? '').toUpperCase()) && args.deregistration_connection_termination) {
      throw new ModuleFailure('A target group with HTTP/S protocol does not support setting deregistration_connection_termination');
    }
    const elb = await new AwsSession(args, ctx.environment, 'elb_target_group').elbv2();
    const task = new TargetGroupTask(elb, args, ctx);
    try {
      return args.state === 'present' ? await task.present() : await task.absent();
    } catch (error) {
      throw awsFailure(error);
    }
  },
};
