// bluegreen_register: the definition the engine validates tasks against (names, arguments,
// constraints), without the AWS SDK, which its implementation loads when it runs.
import type { ModuleSpec } from '../lazy-module.js';
import { withPairArgs } from './pair-args.js';

export const bluegreenRegisterSpec: ModuleSpec = {
  name: 'tsplay.aws.bluegreen_register',
  argSpec: withPairArgs({
    color: { type: 'str', required: true, choices: ['blue', 'green'] },
    instance_id: { type: 'str', required: true },
    target_port: { type: 'int' },
    termination_protection: { type: 'bool', default: true },
    allow_live: { type: 'bool', default: false },
  }),
  supportsCheckMode: true,
  controllerOnly: true,
};
