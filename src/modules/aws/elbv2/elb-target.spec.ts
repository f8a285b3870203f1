// community.aws.elb_target: the definition the engine validates tasks against (names, arguments,
// constraints), without the AWS SDK, which its implementation loads when it runs.
import type { ModuleSpec } from '../lazy-module.js';
import { withConnectionArgs } from '../connection-args.js';

export const TARGET_STATES = ['initial', 'healthy', 'unhealthy', 'unused', 'draining', 'unavailable'];

export const elbTargetSpec: ModuleSpec = {
  name: 'community.aws.elb_target',
  aliases: ['amazon.aws.elb_target'],
  argSpec: withConnectionArgs({
    deregister_unused: { type: 'bool', default: false },
    target_az: { type: 'str' },
    target_group_arn: { type: 'str' },
    target_group_name: { type: 'str' },
    target_id: { type: 'str', required: true },
    target_port: { type: 'int' },
    target_status: { type: 'str', choices: TARGET_STATES },
    target_status_timeout: { type: 'int', default: 60 },
    state: { type: 'str', required: true, choices: ['present', 'absent'] },
  }),
  constraints: { mutuallyExclusive: [['target_group_arn', 'target_group_name']] },
  supportsCheckMode: true,
  controllerOnly: true,
};
