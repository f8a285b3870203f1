// community.aws.elb_target: register (state=present) or deregister (state=absent) one
// target in a target group given by ARN or name, optionally waiting until the target
// reaches target_status. Returns target_group_arn and target_health_descriptions (the
// first target's health, as the Ansible module returns it).
//
// Draining targets: deregistering a target that is already draining changes nothing
// (wait for target_status: unused to see the drain finish); registering a draining target
// registers it again, which is how a blue-green rollback brings the old color back
// (Ansible left such a target draining). Check mode is supported.
import {
  DeregisterTargetsCommand,
  type ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
  type TargetDescription,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { type ModuleContext, type ModuleDefinition, ModuleFailure, type ModuleResult } from '../../module.js';
import { awsFailure, send } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import type { AwsConnectionArgs } from '../connection-args.js';
import { pollUntil } from '../poll.js';
import { camelDictToSnakeDict } from '../snake-case.js';
import { targetGroupArn, targetHealth } from './target-groups-api.js';
import { elbTargetSpec } from './elb-target.spec.js';

export interface ElbTargetArgs extends AwsConnectionArgs {
  state: 'present' | 'absent';
  target_id: string;
  target_group_arn?: string | null;
  target_group_name?: string | null;
  target_port?: number | null;
  target_az?: string | null;
  target_status?: string | null;
  target_status_timeout?: number | null;
  deregister_unused?: boolean | null;
}


async function describeTarget(elb: ElasticLoadBalancingV2Client, arn: string, target: TargetDescription, signal: AbortSignal): Promise<TargetHealthDescription> {
  try {
    return (await targetHealth(elb, arn, [target], signal))[0] ?? {};
  } catch (error) {
    throw awsFailure(error, `Unable to describe target health for target ${JSON.stringify(target)}`);
  }
}

async function waitForStatus(elb: ElasticLoadBalancingV2Client, arn: string, target: TargetDescription, status: string, timeoutSeconds: number, ctx: ModuleContext): Promise<void> {
  const outcome = await pollUntil(
    async () => {
      const state = (await describeTarget(elb, arn, target, ctx.signal)).TargetHealth?.State;
      return { value: state, ready: state === status };
    },
    { timeoutMs: timeoutSeconds * 1000, intervalMs: 1000, maxIntervalMs: 1000, signal: ctx.signal },
  );
  if (!outcome.done) throw new ModuleFailure(`Status check timeout of ${timeoutSeconds} exceeded, last status was ${outcome.last ?? 'unknown'}: `);
}

export const elbTargetModule: ModuleDefinition<ElbTargetArgs> = {
  ...elbTargetSpec,
  async run(args, ctx) {
    const elb = await new AwsSession(args, ctx.environment, 'elb_target').elbv2();
    try {
      let arn = args.target_group_arn;
      if (!arn) {
        if (!args.target_group_name) throw new ModuleFailure('one of the following is required: target_group_arn, target_group_name');
        try {
          arn = await targetGroupArn(elb, args.target_group_name, ctx.signal);
        } catch (error) {
          throw awsFailure(error, `Unable to describe target group ${args.target_group_name}`);
        }
      }
      const target: TargetDescription = { Id: args.target_id };
      if (args.state === 'present' && args.target_az) target.AvailabilityZone = args.target_az;
      if (args.target_port) target.Port = args.target_port;

      const health = (await describeTarget(elb, arn, target, ctx.signal)).TargetHealth ?? {};
      let changed = false;
      let msg: string | undefined;
      const result: ModuleResult = {};
      if (args.state === 'present') {
        if (health.Reason === 'Target.NotRegistered' || health.State === 'draining') {
          changed = true;
          const again = health.State === 'draining' ? ' (it was draining: registered again)' : '';
          if (ctx.checkMode) msg = `Would have registered ${args.target_id}${again} if not in check mode`;
          else {
            try {
              await send(elb, new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [target] }), ctx.signal);
            } catch (error) {
              throw awsFailure(error, `Unable to register target ${JSON.stringify(target)}`);
            }
            // Ansible's module says nothing when it registers; a draining target it would have left alone.
            if (again) msg = `Registered ${args.target_id}${again}`;
            if (args.target_status) await waitForStatus(elb, arn, target, args.target_status, args.target_status_timeout ?? 60, ctx);
          }
        }
      } else {
        const unusedButRegistered = health.State === 'unused' && health.Reason !== 'Target.NotRegistered';
        const needsDeregister = args.deregister_unused && unusedButRegistered ? true : !['unused', 'draining'].includes(health.State ?? '');
        if (needsDeregister) {
          changed = true;
          if (ctx.checkMode) msg = `Would have deregistered ${args.target_id} if not in check mode`;
          else {
            try {
              await send(elb, new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [target] }), ctx.signal);
            } catch (error) {
              throw awsFailure(error, `Unable to deregister target ${JSON.stringify(target)}`);
            }
          }
        } else if (unusedButRegistered) {
          result.warnings = [
            "Your specified target has an 'unused' state but is still registered to the target group. To force deregistration use the 'deregister_unused' option.",
          ];
        }
        if (args.target_status && !ctx.checkMode) await waitForStatus(elb, arn, target, args.target_status, args.target_status_timeout ?? 60, ctx);
      }
      const all = await targetHealth(elb, arn, undefined, ctx.signal);
      return {
        ...result,
        changed,
        ...(msg ? { msg } : {}),
        target_health_descriptions: all[0] ? camelDictToSnakeDict(all[0] as Record<string, unknown>) : {},
        target_group_arn: arn,
      };
    } catch (error) {
      throw awsFailure(error);
    }
  },
};
