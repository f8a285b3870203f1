// community.aws.elb_target_group_info: target groups (all, by load balancer, by ARNs or by
// names) in snake_case with their attributes and tags, and optionally their targets' health.
import type { ModuleDefinition } from '../../module.js';
import { awsFailure, isAwsErrorCode } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import type { AwsConnectionArgs } from '../connection-args.js';
import { camelDictToSnakeDict } from '../snake-case.js';
import { tagListToDict } from '../tags.js';
import { describeTargetGroups, resourceTags, targetGroupAttributes, targetHealth } from './target-groups-api.js';
import { elbTargetGroupInfoSpec } from './elb-target-group-info.spec.js';

export interface ElbTargetGroupInfoArgs extends AwsConnectionArgs {
  load_balancer_arn?: string | null;
  target_group_arns?: string[] | null;
  names?: string[] | null;
  collect_targets_health?: boolean | null;
}

export const elbTargetGroupInfoModule: ModuleDefinition<ElbTargetGroupInfoArgs> = {
  ...elbTargetGroupInfoSpec,
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
