// bluegreen_switch: the definition the engine validates tasks against (names, arguments,
// constraints), without the AWS SDK, which its implementation loads when it runs.
import type { ModuleSpec } from '../lazy-module.js';
import { withPairArgs } from './pair-args.js';

export const bluegreenSwitchSpec: ModuleSpec = {
  name: 'tsplay.aws.bluegreen_switch',
  argSpec: withPairArgs({
    live_color: { type: 'str', required: true, choices: ['blue', 'green'] },
    steps: { type: 'list', elements: 'int' },
    step_pause: { type: 'int', default: 0 },
    health_gate: { type: 'bool', default: true },
    min_healthy: { type: 'int', default: 1 },
    gate_timeout: { type: 'int', default: 300 },
    unhealthy_grace: { type: 'int', default: 60 },
    max_error_rate: { type: 'float', default: 0.05 },
    min_requests: { type: 'int', default: 10 },
    error_window: { type: 'int', default: 10 },
    bake_seconds: { type: 'int', default: 0 },
    check_interval: { type: 'float', default: 1 },
    auto_rollback: { type: 'bool', default: true },
    metrics: { type: 'str', default: 'auto', choices: ['auto', 'localcloud', 'cloudwatch', 'none'] },
    heartbeat: { type: 'int', default: 10 },
  }),
  supportsCheckMode: true,
  controllerOnly: true,
};
