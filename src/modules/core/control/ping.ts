// ping: proves the host answers (runs a command over the connection, as Ansible runs its module).
import { ModuleFailure, type ModuleDefinition } from '../../module.js';

export const pingModule: ModuleDefinition<{ data: string }> = {
  name: 'ansible.builtin.ping',
  argSpec: { data: { type: 'str', default: 'pong' } },
  supportsCheckMode: true,
  async run(args, ctx) {
    if (args.data === 'crash') throw new ModuleFailure('boom');
    const result = await ctx.connection.run(['true']);
    if (result.rc !== 0) throw new ModuleFailure(`ping failed: ${result.stderr.trim()}`);
    return { ping: args.data, changed: false };
  },
};
