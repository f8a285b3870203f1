// set_stats: custom statistics shown after the recap (show_custom_stats) and in callbacks.
// An action plugin in Ansible: `data` is not converted by an argument spec, it must already
// be a mapping whose keys are variable names.
import { ModuleFailure, type ModuleDefinition } from '../../module.js';

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const setStatsModule: ModuleDefinition<{ data: unknown; per_host: boolean; aggregate: boolean }> = {
  name: 'ansible.builtin.set_stats',
  argSpec: {
    data: { type: 'raw', default: {} },
    per_host: { type: 'bool', default: false },
    aggregate: { type: 'bool', default: true },
  },
  invocation: false,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args) {
    const { data } = args;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ModuleFailure("The 'data' option needs to be a dictionary/hash");
    for (const name of Object.keys(data)) {
      if (!VARIABLE_NAME.test(name)) {
        throw new ModuleFailure(`The variable name '${name}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`);
      }
    }
    return { changed: false, ansible_stats: { data, per_host: args.per_host, aggregate: args.aggregate } };
  },
};
