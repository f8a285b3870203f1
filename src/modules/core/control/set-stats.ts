// set_stats: custom statistics shown after the recap (show_custom_stats) and in callbacks.
import type { ModuleDefinition } from '../../module.js';

export const setStatsModule: ModuleDefinition<{ data: Record<string, unknown>; per_host: boolean; aggregate: boolean }> = {
  name: 'ansible.builtin.set_stats',
  argSpec: {
    data: { type: 'dict', required: true },
    per_host: { type: 'bool', default: false },
    aggregate: { type: 'bool', default: true },
  },
  invocation: false,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args) {
    return { changed: false, ansible_stats: { data: args.data, per_host: args.per_host, aggregate: args.aggregate } };
  },
};
