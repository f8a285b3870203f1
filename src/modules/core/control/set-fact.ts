// set_fact: host variables for the rest of the run (cacheable ones become facts too).
import { ModuleFailure, type ModuleDefinition } from '../../module.js';
import { toBoolean } from '../../../parsing/boolean.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const setFactModule: ModuleDefinition<Record<string, unknown>> = {
  name: 'ansible.builtin.set_fact',
  argSpec: { cacheable: { type: 'bool', default: false } },
  acceptsAnyArgs: true,
  invocation: false,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args) {
    const { cacheable, ...rest } = args;
    const facts: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) {
      if (!IDENTIFIER.test(key)) {
        throw new ModuleFailure(
          `The variable name '${key}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`,
        );
      }
      // As Ansible without native types: 'yes'/'true'/'no'/'false' strings become booleans.
      facts[key] = typeof value === 'string' && ['true', 'false', 'yes', 'no'].includes(value.toLowerCase()) ? toBoolean(value, false) : value;
    }
    if (Object.keys(facts).length === 0) {
      throw new ModuleFailure('No key/value pairs provided, at least one is required for this action to succeed');
    }
    return { ansible_facts: facts, _ansible_facts_cacheable: cacheable === true, changed: false };
  },
};
