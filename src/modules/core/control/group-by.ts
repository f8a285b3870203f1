// group_by: add the current host to a group named from its variables.
import type { ModuleDefinition } from '../../module.js';

export const groupByModule: ModuleDefinition<{ key: string; parents: string[] }> = {
  name: 'ansible.builtin.group_by',
  argSpec: {
    key: { type: 'str', required: true },
    parents: { type: 'list', elements: 'str', default: ['all'] },
  },
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args) {
    // Group names keep only word characters, as Ansible's transform does with a warning.
    const group = args.key.replace(/[^A-Za-z0-9_]/g, '_');
    return { changed: false, add_group: group, parent_groups: args.parents };
  },
};
