// raw: a command line sent to the target's shell as is (no module machinery), the way
// Ansible bootstraps hosts without Python. Output is returned unstripped; over ssh it is
// a terminal's (stderr merged into stdout, "\r\n" line ends), as with Ansible.
import type { ModuleDefinition } from '../../module.js';
import { withOutputLines } from '../files/target.js';

interface RawArgs {
  _raw_params?: string | null;
  executable?: string | null;
}

export const rawModule: ModuleDefinition<RawArgs> = {
  name: 'ansible.builtin.raw',
  argSpec: { _raw_params: { type: 'str' }, executable: { type: 'str' } },
  // An action plugin in Ansible, not a module: its results carry no invocation.
  invocation: false,
  freeForm: true,
  // The raw action does not validate its arguments.
  acceptsAnyArgs: true,
  // In check mode the action itself reports the task as skipped (without a message).
  supportsCheckMode: true,
  async run(args, ctx) {
    if (Object.keys(ctx.environment).length) ctx.warn('raw module does not support the environment keyword');
    if (ctx.checkMode) return { skipped: true, changed: false };
    const result = await ctx.connection.run(args._raw_params ?? '', {
      become: ctx.become,
      executable: args.executable || undefined,
      signal: ctx.signal,
      // Over ssh, Ansible runs raw on a terminal (ssh -tt).
      pty: true,
      report: ctx.noLog ? 'censored' : 'output',
    });
    const out = withOutputLines({ changed: true, rc: result.rc, stdout: result.stdout, stderr: result.stderr });
    return result.rc !== 0 ? { ...out, failed: true, msg: 'non-zero return code' } : out;
  },
};
