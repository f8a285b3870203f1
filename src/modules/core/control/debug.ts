// debug: print a message or a variable's value (always shown, as Ansible's verbose_always).
import type { ModuleDefinition } from '../../module.js';

interface DebugArgs {
  msg?: unknown;
  var?: unknown;
  verbosity: number;
}

export const debugModule: ModuleDefinition<DebugArgs> = {
  name: 'ansible.builtin.debug',
  argSpec: {
    msg: { type: 'raw' },
    var: { type: 'raw' },
    verbosity: { type: 'int', default: 0 },
  },
  constraints: { mutuallyExclusive: [['msg', 'var']] },
  invocation: false,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args, ctx) {
    if (ctx.verbosity < args.verbosity) {
      return { skipped_reason: 'Verbosity threshold not met.', skipped: true, _ansible_verbose_always: true };
    }
    if (args.msg !== undefined) return { msg: args.msg, changed: false, _ansible_verbose_always: true };
    if (args.var !== undefined) {
      const name = args.var;
      let value: unknown;
      try {
        value = typeof name === 'string' ? ctx.templar.evaluateExpression(name, ctx.vars) : name;
      } catch (error) {
        value = 'VARIABLE IS NOT DEFINED!';
        if (ctx.verbosity > 0) value += `: ${error instanceof Error ? error.message : String(error)}`;
      }
      const key = typeof name === 'string' ? name : Array.isArray(name) ? "<class 'list'>" : "<class 'dict'>";
      return { [key]: value, changed: false, _ansible_verbose_always: true };
    }
    return { msg: 'Hello world!', changed: false, _ansible_verbose_always: true };
  },
};
