// bluegreen_info: the definition the engine validates tasks against (names, arguments,
// constraints), without the AWS SDK, which its implementation loads when it runs.
import type { ModuleSpec } from '../lazy-module.js';
import { withPairArgs } from './pair-args.js';

export const bluegreenInfoSpec: ModuleSpec = {
  name: 'tsplay.aws.bluegreen_info',
  argSpec: withPairArgs({}),
  supportsCheckMode: true,
  controllerOnly: true,
};
