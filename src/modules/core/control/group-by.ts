// group_by: add the current host to a group named from its variables.
import type { ModuleDefinition } from '../../module.js';

export const groupByModule: ModuleDefinition<{ key: string; parents: string[] }> = {
  name: 'ansible.builtin.group_by',
  argSpec: {
    key: { type: 'str', required: true },
    parents: { type: 'list', elements: 'str', default: ['all'] },
  },
  invocation: false,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args) {
    // As Ansible's action: spaces become dashes; the inventory sanitises the rest.
    return { changed: false, add_group: args.key.replace(/ /g, '-'), parent_groups: args.parents.map((p) => p.replace(/ /g, '-')) };
  },
};
