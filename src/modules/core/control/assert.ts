// assert: every condition in `that` must hold.
import type { ModuleDefinition } from '../../module.js';

interface AssertArgs {
  that: unknown;
  fail_msg?: unknown;
  msg?: unknown;
  success_msg?: unknown;
  quiet: boolean;
}

export const assertModule: ModuleDefinition<AssertArgs> = {
  name: 'ansible.builtin.assert',
  argSpec: {
    // An action plugin in Ansible: a single string is one condition, never split at commas.
    that: { type: 'raw', required: true },
    fail_msg: { type: 'raw', aliases: ['msg'] },
    success_msg: { type: 'raw' },
    quiet: { type: 'bool', default: false },
  },
  invocation: false,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args, ctx) {
    for (const condition of Array.isArray(args.that) ? args.that : [args.that]) {
      if (!ctx.templar.evaluateConditional(condition, ctx.vars)) {
        return {
          failed: true,
          evaluated_to: false,
          assertion: condition,
          msg: args.fail_msg ?? 'Assertion failed',
          changed: false,
          _ansible_verbose_always: true,
        };
      }
    }
    const result: Record<string, unknown> = { changed: false, msg: args.success_msg ?? 'All assertions passed', _ansible_verbose_always: true };
    if (args.quiet) result._ansible_verbose_override = true;
    return result;
  },
};
