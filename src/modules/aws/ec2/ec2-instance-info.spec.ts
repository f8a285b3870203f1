// amazon.aws.ec2_instance_info: the definition the engine validates tasks against (names, arguments,
// constraints), without the AWS SDK, which its implementation loads when it runs.
import type { ModuleSpec } from '../lazy-module.js';
import { withConnectionArgs } from '../connection-args.js';

export const ec2InstanceInfoSpec: ModuleSpec = {
  name: 'amazon.aws.ec2_instance_info',
  argSpec: withConnectionArgs({
    minimum_uptime: { type: 'int', aliases: ['uptime'] },
    instance_ids: { type: 'list', elements: 'str', default: [] },
    filters: { type: 'dict', default: {} },
  }),
  constraints: { mutuallyExclusive: [['instance_ids', 'filters']] },
  supportsCheckMode: true,
  controllerOnly: true,
};
