// community.aws.elb_target_group_info: target groups (all, by load balancer, by ARNs or by
// names) in snake_case with their attributes and tags, and optionally their targets' health.
import type { ModuleDefinition } from '../../module.js';
import { awsFailure, isAwsErrorCode } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import { type AwsConnectionArgs, withConnectionArgs } from '../connection-args.js';
import { camelDictToSnakeDict } from '../snake-case.js';
import { tagListToDict } from '../tags.js';
import { describeTargetGroups, resourceTags, targetGroupAttributes, targetHealth } from './target-groups-api.js';

export interface ElbTargetGroupInfoArgs extends AwsConnectionArgs {
  load_balancer_arn?: string | null;
  target_group_arns?: string[] | null;
  names?: string[] | null;
  collect_targets_health?: boolean | null;
}

export const elbTargetGroupInfoModule: ModuleDefinition<ElbTargetGroupInfoArgs> = {
  name: 'community.aws.elb_target_group_info',
  aliases: ['amazon.aws.elb_target_group_info'],
  argSpec: withConnectionArgs({
    load_balancer_arn: { type: 'str' },
    target_group_arns: { type: 'list', elements: 'str' },
    names: { type: 'list', elements: 'str' },
    collect_targets_health: { type: 'bool', default: false },
  }),
  constraints: { mutuallyExclusive: [['load_balancer_arn', 'target_group_arns', 'names']] },
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args, ctx) {
    const elb = await new AwsSession(args, ctx.environment, 'elb_target_group_info').elbv2();
    const signal = ctx.signal;
    let groups;
    try {
      groups = await describeTargetGroups(
        elb,
        args.names?.length
          ? { Names: args.names }
          : args.target_group_arns?.length
            ? { TargetGroupArns: args.target_group_arns }
            : args.load_balancer_arn
              ? { LoadBalancerArn: args.load_balancer_arn }
              : {},
        signal,
      );
    } catch (error) {
      if (isAwsErrorCode(error, 'TargetGroupNotFound')) return { changed: false, target_groups: [] };
      throw awsFailure(error, 'Failed to list target groups');
    }
    try {
      const described = [];
      for (const group of groups) {
        const arn = group.TargetGroupArn ?? '';
        const snaked = camelDictToSnakeDict({ ...group, ...(await targetGroupAttributes(elb, arn, signal)) });
        snaked.tags = tagListToDict(await resourceTags(elb, arn, signal));
        if (args.collect_targets_health) {
          snaked.targets_health_description = (await targetHealth(elb, arn, undefined, signal)).map((d) => camelDictToSnakeDict(d as Record<string, unknown>));
        }
        described.push(snaked);
      }
      return { changed: false, target_groups: described };
    } catch (error) {
      throw awsFailure(error, 'Failed to describe target groups');
    }
  },
};
