// bluegreen_register: put a freshly deployed instance into its color: tag it with the
// pair's identity (so that retirement finds it even after it left the target group), turn
// termination protection on (it stays on until bluegreen_retire has drained the instance),
// register it in the color's target group and stamp the group with the deploy time, which
// is what makes that color the next switch's candidate. Registering into the live color is
// refused: a deploy never changes what serves.
import { CreateTagsCommand, DescribeInstanceAttributeCommand, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { AddTagsCommand, RegisterTargetsCommand, RemoveTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { type ModuleDefinition, ModuleFailure } from '../../module.js';
import { awsFailure, send } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import { describeInstances } from '../ec2/instances-api.js';
import { tagListToDict } from '../tags.js';
import { type Color, type PairArgs } from './pair-args.js';
import { readPair } from './pair.js';
import { TAG, nowTag } from './state-tags.js';
import { bluegreenRegisterSpec } from './bluegreen-register.spec.js';

export interface BluegreenRegisterArgs extends PairArgs {
  color: Color;
  instance_id: string;
  target_port?: number | null;
  termination_protection: boolean;
  allow_live: boolean;
}

export const bluegreenRegisterModule: ModuleDefinition<BluegreenRegisterArgs> = {
  ...bluegreenRegisterSpec,
  async run(args, ctx) {
    const session = new AwsSession(args, ctx.environment, 'bluegreen_register');
    const signal = ctx.signal;
    try {
      const elb = await session.elbv2();
      const ec2 = await session.ec2();
      const state = await readPair(elb, args, signal);
      const group = state.colors[args.color];
      if (!group.targetGroupArn) throw new ModuleFailure(`Target group ${group.targetGroupName} (${args.color}) not found`);
      if (group.weight > 0 && !args.allow_live) {
        throw new ModuleFailure(`${args.color} is live for ${args.service} (weight ${group.weight}): a deploy registers into the idle color only (allow_live: true to do it anyway)`);
      }
      const instance = (await describeInstances(ec2, { ids: [args.instance_id] }, signal))[0];
      if (!instance) throw new ModuleFailure(`Instance ${args.instance_id} not found`);
      const changes: string[] = [];

      const tags = tagListToDict(instance.Tags);
      const identity = { [TAG.service]: args.service, [TAG.color]: args.color };
      const missing = Object.entries(identity).filter(([key, value]) => tags[key] !== value);
      if (missing.length > 0) {
        changes.push(`tag ${args.instance_id} as ${args.service}/${args.color}`);
        if (!ctx.checkMode) await send(ec2, new CreateTagsCommand({ Resources: [args.instance_id], Tags: missing.map(([Key, Value]) => ({ Key, Value })) }), signal);
      }

      if (args.termination_protection) {
        const attribute = await send(ec2, new DescribeInstanceAttributeCommand({ InstanceId: args.instance_id, Attribute: 'disableApiTermination' }), signal);
        if (attribute.DisableApiTermination?.Value !== true) {
          changes.push(`turn termination protection on for ${args.instance_id}`);
          if (!ctx.checkMode) await send(ec2, new ModifyInstanceAttributeCommand({ InstanceId: args.instance_id, DisableApiTermination: { Value: true } }), signal);
        }
      }

      const port = args.target_port ?? undefined;
      const registered = group.targets.find((t) => t.id === args.instance_id && (port === undefined || t.port === port));
      if (!registered || registered.state === 'draining' || registered.reason === 'Target.NotRegistered') {
        changes.push(`register ${args.instance_id}${port ? `:${port}` : ''} in ${group.targetGroupName}`);
        if (!ctx.checkMode) {
          await send(elb, new RegisterTargetsCommand({ TargetGroupArn: group.targetGroupArn, Targets: [{ Id: args.instance_id, ...(port ? { Port: port } : {}) }] }), signal);
        }
      }

      const deployedAt = nowTag();
      const groupTags = { ...identity, [TAG.deployedAt]: deployedAt };
      if (!ctx.checkMode) {
        await send(elb, new AddTagsCommand({ ResourceArns: [group.targetGroupArn], Tags: Object.entries(groupTags).map(([Key, Value]) => ({ Key, Value })) }), signal);
        // The color now holds a new release: it is no longer what a rollback goes back to.
        const stale = [TAG.rollbackTarget, TAG.rolledBackAt, TAG.rollbackReason].filter((key) => key in group.tags);
        if (stale.length > 0) await send(elb, new RemoveTagsCommand({ ResourceArns: [group.targetGroupArn], TagKeys: stale }), signal);
      }
      return {
        changed: changes.length > 0,
        instance_id: args.instance_id,
        color: args.color,
        target_group_arn: group.targetGroupArn,
        deployed_at: ctx.checkMode ? null : deployedAt,
        msg: changes.length > 0 ? `${ctx.checkMode ? 'Would ' : ''}${changes.join('; ')}` : `${args.instance_id} is registered in ${group.targetGroupName}`,
      };
    } catch (error) {
      throw awsFailure(error);
    }
  },
};
