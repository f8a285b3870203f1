// bluegreen_retire: the definition the engine validates tasks against (names, arguments,
// constraints), without the AWS SDK, which its implementation loads when it runs.
import type { ModuleSpec } from '../lazy-module.js';
import { withPairArgs } from './pair-args.js';

export const bluegreenRetireSpec: ModuleSpec = {
  name: 'tsplay.aws.bluegreen_retire',
  argSpec: withPairArgs({
    instance_id: { type: 'str', required: true },
    color: { type: 'str', choices: ['blue', 'green'] },
    stop_workers: { type: 'str' },
    jobs: { type: 'dict', options: { process: { type: 'str' }, pid_file: { type: 'str' }, command: { type: 'str' }, url: { type: 'str' } } },
    jobs_timeout: { type: 'int', default: 3600 },
    probe_interval: { type: 'int', default: 2 },
    heartbeat: { type: 'int', default: 30 },
    deregistration_timeout: { type: 'int' },
    require_baked: { type: 'bool', default: true },
    force: { type: 'bool', default: false },
    terminate: { type: 'bool', default: true },
  }),
  supportsCheckMode: true,
};
