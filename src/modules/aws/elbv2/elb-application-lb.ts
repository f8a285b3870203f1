// amazon.aws.elb_application_lb: an Application Load Balancer with its subnets, security
// groups, attributes, tags, listeners (matched by port) and listener rules (matched by
// priority). Forward actions may split traffic over weighted target groups, which is how
// a blue-green switch moves traffic. Returns the load balancer in snake_case with its
// attributes, listeners and their rules.
//
// purge_rules defaults to false here (Ansible: true), so that a task that declares some
// rules never deletes rules another task or a deploy added. In check mode the result lists
// every change that would be made, rather than stopping at the first as Ansible does.
import {
  type Action,
  AddTagsCommand,
  CreateListenerCommand,
  type CreateListenerCommandInput,
  CreateLoadBalancerCommand,
  type CreateLoadBalancerCommandInput,
  CreateRuleCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  type DescribeListenersCommandOutput,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type LoadBalancer,
  ModifyListenerCommand,
  type ModifyListenerCommandInput,
  ModifyLoadBalancerAttributesCommand,
  ModifyRuleCommand,
  RemoveTagsCommand,
  type Rule,
  type RuleCondition,
  SetIpAddressTypeCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeSecurityGroupsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { type ModuleContext, type ModuleDefinition, ModuleFailure, type ModuleResult } from '../../module.js';
import { awsFailure, isAwsErrorCode, send } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import type { AwsConnectionArgs } from '../connection-args.js';
import { securityGroupIds } from '../ec2/instances-api.js';
import { pollUntil } from '../poll.js';
import { camelDictToSnakeDict } from '../snake-case.js';
import { compareTags, tagDictToList, tagListToDict } from '../tags.js';
import { pruneEmpty, sameActions, sameConditions, withTargetGroupArns } from './actions.js';
import { attributesDict, resourceTags, targetGroupArn } from './target-groups-api.js';
import { elbApplicationLbSpec } from './elb-application-lb.spec.js';

interface ListenerArg {
  Protocol: string;
  Port: number;
  SslPolicy?: string | null;
  Certificates?: { CertificateArn?: string }[] | null;
  DefaultActions: Record<string, unknown>[];
  Rules?: Record<string, unknown>[] | null;
}

export interface ElbApplicationLbArgs extends AwsConnectionArgs {
  name: string;
  state?: 'present' | 'absent' | null;
  access_logs_enabled?: boolean | null;
  access_logs_s3_bucket?: string | null;
  access_logs_s3_prefix?: string | null;
  deletion_protection?: boolean | null;
  http2?: boolean | null;
  http_desync_mitigation_mode?: string | null;
  http_drop_invalid_header_fields?: boolean | null;
  http_x_amzn_tls_version_and_cipher_suite?: boolean | null;
  http_xff_client_port?: boolean | null;
  idle_timeout?: number | null;
  listeners?: ListenerArg[] | null;
  purge_listeners?: boolean | null;
  purge_tags?: boolean | null;
  subnets?: string[] | null;
  security_groups?: string[] | null;
  scheme?: string | null;
  tags?: Record<string, unknown> | null;
  waf_fail_open?: boolean | null;
  wait_timeout?: number | null;
  wait?: boolean | null;
  purge_rules?: boolean | null;
  ip_address_type?: string | null;
}

interface WantedRule {
  Priority: number;
  Conditions: RuleCondition[];
  Actions: Action[];
}

interface WantedListener {
  Port: number;
  Protocol: string;
  SslPolicy?: string;
  Certificates?: { CertificateArn?: string }[];
  DefaultActions: Action[];
  Rules?: WantedRule[];
}

const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

/** ALB attributes the arguments set: [argument value, attribute key]. */
function wantedAttributes(a: ElbApplicationLbArgs): [string, string][] {
  const text = (v: unknown) => String(v).toLowerCase();
  const pairs: [unknown, string, (v: never) => string][] = [
    [a.access_logs_enabled, 'access_logs.s3.enabled', text],
    [a.access_logs_s3_bucket, 'access_logs.s3.bucket', String],
    [a.access_logs_s3_prefix, 'access_logs.s3.prefix', String],
    [a.deletion_protection, 'deletion_protection.enabled', text],
    [a.idle_timeout, 'idle_timeout.timeout_seconds', String],
    [a.http2, 'routing.http2.enabled', text],
    [a.http_desync_mitigation_mode, 'routing.http.desync_mitigation_mode', text],
    [a.http_drop_invalid_header_fields, 'routing.http.drop_invalid_header_fields.enabled', text],
    [a.http_x_amzn_tls_version_and_cipher_suite, 'routing.http.x_amzn_tls_version_and_cipher_suite.enabled', text],
    [a.http_xff_client_port, 'routing.http.xff_client_port.enabled', text],
    [a.waf_fail_open, 'waf.fail_open.enabled', text],
  ];
  return pairs.filter(([value]) => given(value)).map(([value, key, format]) => [format(value as never), key]);
}

class ApplicationLoadBalancerTask {
  changed = false;
  readonly planned: string[] = [];
  private readonly signal: AbortSignal;

  constructor(
    private readonly elb: ElasticLoadBalancingV2Client,
    private readonly ec2: EC2Client,
    private readonly args: ElbApplicationLbArgs,
    private readonly ctx: ModuleContext,
  ) {
    this.signal = ctx.signal;
  }

  private async apply(description: string, action: () => Promise<unknown>): Promise<void> {
    this.changed = true;
    this.planned.push(description);
    if (this.ctx.checkMode) return;
    try {
      await action();
    } catch (error) {
      // Ansible's elbv2 helpers fail with botocore's words alone (fail_json_aws(e)).
      throw awsFailure(error);
    }
  }

  private async loadBalancer(): Promise<LoadBalancer | undefined> {
    try {
      const answer = await send(this.elb, new DescribeLoadBalancersCommand({ Names: [this.args.name] }), this.signal);
      return answer.LoadBalancers?.[0];
    } catch (error) {
      if (isAwsErrorCode(error, 'LoadBalancerNotFound')) return undefined;
      throw error;
    }
  }

  private async attributes(arn: string): Promise<Record<string, string>> {
    const answer = await send(this.elb, new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }), this.signal);
    return attributesDict(answer.Attributes);
  }

  private async listeners(arn: string): Promise<Listener[]> {
    const listeners: Listener[] = [];
    let marker: string | undefined;
    do {
      const page: DescribeListenersCommandOutput = await send(this.elb, new DescribeListenersCommand({ LoadBalancerArn: arn, ...(marker ? { Marker: marker } : {}) }), this.signal);
      listeners.push(...(page.Listeners ?? []));
      marker = page.NextMarker;
    } while (marker);
    return listeners;
  }

  private async rules(listenerArn: string): Promise<Rule[]> {
    return (await send(this.elb, new DescribeRulesCommand({ ListenerArn: listenerArn }), this.signal)).Rules ?? [];
  }

  private async defaultSecurityGroup(vpcId: string): Promise<string> {
    const answer = await send(this.ec2, new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }), this.signal);
    const groups = answer.SecurityGroups ?? [];
    if (groups.length === 0) throw new ModuleFailure(`No default security group found for VPC ${vpcId}`);
    if (groups.length > 1) throw new ModuleFailure(`Multiple security groups named "default" found for VPC ${vpcId}`);
    return groups[0]?.GroupId ?? '';
  }

  private async wantedListeners(): Promise<WantedListener[]> {
    const arnOf = (name: string) => targetGroupArn(this.elb, name, this.signal);
    const out: WantedListener[] = [];
    for (const listener of this.args.listeners ?? []) {
      const wanted: WantedListener = {
        Port: Number(listener.Port),
        Protocol: listener.Protocol,
        DefaultActions: await withTargetGroupArns(listener.DefaultActions, arnOf),
      };
      if (listener.SslPolicy) wanted.SslPolicy = listener.SslPolicy;
      if (listener.Certificates) wanted.Certificates = listener.Certificates;
      if (listener.Rules) {
        wanted.Rules = [];
        for (const rule of listener.Rules) {
          wanted.Rules.push({
            Priority: Number(rule.Priority),
            Conditions: (pruneEmpty(rule.Conditions ?? []) ?? []) as RuleCondition[],
            Actions: await withTargetGroupArns((rule.Actions ?? []) as Record<string, unknown>[], arnOf),
          });
        }
      }
      out.push(wanted);
    }
    return out;
  }

  private async waitFor(what: string, ready: () => Promise<boolean>): Promise<void> {
    if (!this.args.wait || this.ctx.checkMode) return;
    const outcome = await pollUntil(async () => ({ ready: await ready() }), {
      timeoutMs: (this.args.wait_timeout ?? 600) * 1000,
      intervalMs: 1000,
      maxIntervalMs: 15_000,
      signal: this.signal,
    });
    if (!outcome.done) throw new ModuleFailure(`Timed out waiting for the load balancer ${this.args.name} to be ${what}`);
  }

  async present(): Promise<ModuleResult> {
    const a = this.args;
    let lb = await this.loadBalancer();
    let securityGroups = a.security_groups ? await securityGroupIds(this.ec2, a.security_groups, undefined, this.signal) : undefined;
    if (lb && a.security_groups?.length === 0) securityGroups = [await this.defaultSecurityGroup(lb.VpcId ?? '')];
    const wantedTags = given(a.tags) ? a.tags : undefined;

    if (lb) {
      const arn = lb.LoadBalancerArn ?? '';
      const currentSubnets = new Set((lb.AvailabilityZones ?? []).map((z) => z.SubnetId));
      if (a.subnets && (a.subnets.length !== currentSubnets.size || a.subnets.some((s) => !currentSubnets.has(s)))) {
        await this.apply(`set subnets ${a.subnets.join(', ')}`, () => send(this.elb, new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: a.subnets ?? [] }), this.signal));
      }
      const currentGroups = new Set(lb.SecurityGroups ?? []);
      if (securityGroups && (securityGroups.length !== currentGroups.size || securityGroups.some((g) => !currentGroups.has(g)))) {
        const groups = securityGroups;
        await this.apply(`set security groups ${groups.join(', ')}`, () => send(this.elb, new SetSecurityGroupsCommand({ LoadBalancerArn: arn, SecurityGroups: groups }), this.signal));
      }
      await this.reconcileAttributes(arn);
      if (wantedTags) {
        const { set, remove } = compareTags(tagListToDict(await resourceTags(this.elb, arn, this.signal)), wantedTags, a.purge_tags !== false);
        if (remove.length) await this.apply(`remove tags ${remove.join(', ')}`, () => send(this.elb, new RemoveTagsCommand({ ResourceArns: [arn], TagKeys: remove }), this.signal));
        if (Object.keys(set).length) await this.apply(`set tags ${Object.keys(set).join(', ')}`, () => send(this.elb, new AddTagsCommand({ ResourceArns: [arn], Tags: tagDictToList(set) }), this.signal));
      }
    } else {
      const input: CreateLoadBalancerCommandInput = { Name: a.name, Type: 'application', Scheme: (a.scheme ?? 'internet-facing') as never };
      if (a.subnets) input.Subnets = a.subnets;
      if (securityGroups) input.SecurityGroups = securityGroups;
      if (a.ip_address_type) input.IpAddressType = a.ip_address_type as never;
      if (wantedTags && Object.keys(wantedTags).length) input.Tags = tagDictToList(wantedTags);
      // The listeners' target groups are resolved first, so that a typo fails before anything is created.
      await this.wantedListeners();
      let created: LoadBalancer | undefined;
      await this.apply(`create load balancer ${a.name}`, async () => {
        created = (await send(this.elb, new CreateLoadBalancerCommand(input), this.signal)).LoadBalancers?.[0];
      });
      if (this.ctx.checkMode) {
        for (const listener of a.listeners ?? []) this.planned.push(`add listener ${listener.Protocol}:${listener.Port}`);
        return { changed: true, msg: `Would have created ALB if not in check mode: ${this.planned.join('; ')}` };
      }
      lb = created as LoadBalancer | undefined;
      const arn = lb?.LoadBalancerArn ?? '';
      await this.waitFor('active', async () => (await this.loadBalancer())?.State?.Code === 'active');
      await this.reconcileAttributes(arn);
    }

    const arn = lb?.LoadBalancerArn ?? '';
    await this.reconcileListeners(arn);
    if (a.ip_address_type && lb?.IpAddressType !== a.ip_address_type) {
      await this.apply(`set ip address type ${a.ip_address_type}`, () => send(this.elb, new SetIpAddressTypeCommand({ LoadBalancerArn: arn, IpAddressType: a.ip_address_type as never }), this.signal));
    }
    if (this.ctx.checkMode) {
      return this.changed
        ? { changed: true, msg: `Would have updated ALB if not in check mode: ${this.planned.join('; ')}` }
        : { changed: false, msg: 'IN CHECK MODE - no changes to make to ALB specified.' };
    }
    return this.describe(arn);
  }

  private async reconcileAttributes(arn: string): Promise<void> {
    const current = this.ctx.checkMode && !arn ? {} : await this.attributes(arn);
    const updates = wantedAttributes(this.args)
      .filter(([value, key]) => current[key.replace(/\./g, '_')] !== value)
      .map(([Value, Key]) => ({ Key, Value }));
    if (updates.length) {
      await this.apply(`set ${updates.map((u) => `${u.Key}=${u.Value}`).join(', ')}`, () =>
        send(this.elb, new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: updates }), this.signal),
      );
    }
  }

  private async reconcileListeners(arn: string): Promise<void> {
    if (!given(this.args.listeners)) return;
    const wanted = await this.wantedListeners();
    const current = arn ? await this.listeners(arn) : [];
    for (const listener of current) {
      if (!wanted.some((w) => w.Port === listener.Port) && this.args.purge_listeners !== false) {
        await this.apply(`delete listener ${listener.Protocol}:${listener.Port}`, () => send(this.elb, new DeleteListenerCommand({ ListenerArn: listener.ListenerArn }), this.signal));
      }
    }
    for (const listener of wanted) {
      const existing = current.find((c) => c.Port === listener.Port);
      const { Rules: _rules, ...spec } = listener;
      if (!existing) {
        await this.apply(`add listener ${listener.Protocol}:${listener.Port}`, () => send(this.elb, new CreateListenerCommand({ LoadBalancerArn: arn, ...spec } as CreateListenerCommandInput), this.signal));
        continue;
      }
      const modified: Record<string, unknown> = {};
      if (existing.Protocol !== listener.Protocol) modified.Protocol = listener.Protocol;
      if (listener.Protocol === 'HTTPS') {
        if (existing.SslPolicy !== listener.SslPolicy) modified.SslPolicy = listener.SslPolicy;
        const cert = listener.Certificates?.[0]?.CertificateArn;
        if (existing.Certificates?.[0]?.CertificateArn !== cert) modified.Certificates = [{ CertificateArn: cert }];
      }
      if (!sameActions(existing.DefaultActions ?? [], listener.DefaultActions)) modified.DefaultActions = listener.DefaultActions;
      if (Object.keys(modified).length) {
        await this.apply(`modify listener ${listener.Protocol}:${listener.Port} (${Object.keys(modified).join(', ')})`, () =>
          send(this.elb, new ModifyListenerCommand({ ListenerArn: existing.ListenerArn, Port: listener.Port, ...modified } as ModifyListenerCommandInput), this.signal),
        );
      }
    }
    if (this.ctx.checkMode && !arn) return;
    const listeners = arn ? await this.listeners(arn) : [];
    for (const listener of wanted) {
      if (!listener.Rules) continue;
      const live = listeners.find((l) => l.Port === listener.Port);
      await this.reconcileRules(listener, live?.ListenerArn);
    }
  }

  private async reconcileRules(listener: WantedListener, listenerArn: string | undefined): Promise<void> {
    const current = listenerArn ? await this.rules(listenerArn) : [];
    const wanted = listener.Rules ?? [];
    const where = `listener ${listener.Protocol}:${listener.Port}`;
    for (const rule of current) {
      if (rule.IsDefault || wanted.some((w) => String(w.Priority) === rule.Priority)) continue;
      if (this.args.purge_rules === true) {
        await this.apply(`delete rule ${rule.Priority} of ${where}`, () => send(this.elb, new DeleteRuleCommand({ RuleArn: rule.RuleArn }), this.signal));
      }
    }
    for (const rule of wanted) {
      const existing = current.find((c) => c.Priority === String(rule.Priority));
      if (!existing) {
        await this.apply(`add rule ${rule.Priority} to ${where}`, () =>
          send(this.elb, new CreateRuleCommand({ ListenerArn: listenerArn, Priority: rule.Priority, Conditions: rule.Conditions, Actions: rule.Actions }), this.signal),
        );
        continue;
      }
      if (!sameActions(existing.Actions ?? [], rule.Actions) || !sameConditions(existing.Conditions ?? [], rule.Conditions)) {
        await this.apply(`modify rule ${rule.Priority} of ${where}`, () =>
          send(this.elb, new ModifyRuleCommand({ RuleArn: existing.RuleArn, Conditions: rule.Conditions, Actions: rule.Actions }), this.signal),
        );
      }
    }
  }

  private async describe(arn: string): Promise<ModuleResult> {
    const lb = (await this.loadBalancer()) ?? {};
    const snaked = camelDictToSnakeDict({ ...(lb as Record<string, unknown>) });
    Object.assign(snaked, camelDictToSnakeDict(await this.attributes(arn)));
    const listeners = [];
    for (const listener of await this.listeners(arn)) {
      listeners.push(camelDictToSnakeDict({ ...listener, Rules: await this.rules(listener.ListenerArn ?? '') }));
    }
    snaked.listeners = listeners;
    snaked.tags = tagListToDict(await resourceTags(this.elb, arn, this.signal));
    snaked.ip_address_type = (lb as LoadBalancer).IpAddressType ?? null;
    return { changed: this.changed, ...snaked };
  }

  async absent(): Promise<ModuleResult> {
    const lb = await this.loadBalancer();
    if (!lb) return this.ctx.checkMode ? { changed: false, msg: 'IN CHECK MODE - ALB already absent.' } : { changed: false };
    if (this.ctx.checkMode) return { changed: true, msg: 'Would have deleted ALB if not in check mode.' };
    const arn = lb.LoadBalancerArn ?? '';
    for (const listener of await this.listeners(arn)) {
      await this.apply(`delete listener ${listener.Port}`, () => send(this.elb, new DeleteListenerCommand({ ListenerArn: listener.ListenerArn }), this.signal));
    }
    await this.apply(`delete load balancer ${this.args.name}`, () => send(this.elb, new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }), this.signal));
    await this.waitFor('deleted', async () => (await this.loadBalancer()) === undefined);
    return { changed: true };
  }
}

export const elbApplicationLbModule: ModuleDefinition<ElbApplicationLbArgs> = {
  ...elbApplicationLbSpec,
  async run(args, ctx) {
    for (const listener of args.listeners ?? []) {
      if (listener.Protocol === 'HTTPS') {
        if (!listener.SslPolicy) throw new ModuleFailure("'SslPolicy' is a required listener dict key when Protocol = HTTPS");
        if (!listener.Certificates) throw new ModuleFailure("'Certificates' is a required listener dict key when Protocol = HTTPS");
      }
    }
    const session = new AwsSession(args, ctx.environment, 'elb_application_lb');
    const task = new ApplicationLoadBalancerTask(await session.elbv2(), await session.ec2(), args, ctx);
    try {
      const lb = args.state === 'absent' ? await task.absent() : await task.present();
      return lb;
    } catch (error) {
      throw awsFailure(error);
    }
  },
};
