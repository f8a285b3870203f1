// fail: stop the host with a message.
import type { ModuleDefinition } from '../../module.js';

export const failModule: ModuleDefinition<{ msg: unknown }> = {
  name: 'ansible.builtin.fail',
  argSpec: { msg: { type: 'raw', default: 'Failed as requested from task' } },
  invocation: false,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args) {
    return { failed: true, msg: args.msg, changed: false };
  },
};
