// community.aws.elb_target_group_info: the definition the engine validates tasks against (names, arguments,
// constraints), without the AWS SDK, which its implementation loads when it runs.
import type { ModuleSpec } from '../lazy-module.js';
import { withConnectionArgs } from '../connection-args.js';

export const elbTargetGroupInfoSpec: ModuleSpec = {
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
};
