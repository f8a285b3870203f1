// add_host: put a host (and its variables) into the in-memory inventory for later plays.
import { ModuleFailure, type ModuleDefinition } from '../../module.js';

export const addHostModule: ModuleDefinition<Record<string, unknown>> = {
  name: 'ansible.builtin.add_host',
  argSpec: {
    name: { type: 'str', aliases: ['host', 'hostname'] },
    groups: { type: 'list', elements: 'str', aliases: ['group', 'groupname'] },
  },
  acceptsAnyArgs: true,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args) {
    const { name, groups, _raw_params: _raw, ...hostVars } = args;
    if (name === undefined || name === null) throw new ModuleFailure('name, host or hostname needs to be provided');
    let hostName = String(name);
    const match = /^([^:[\]]+):(\d+)$/.exec(hostName);
    if (match) {
      hostName = match[1]!;
      hostVars.ansible_ssh_port = Number(match[2]);
    }
    const list = Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? groups.split(',') : [];
    const unique = [...new Set(list.map((g) => g.trim()).filter(Boolean))];
    return { changed: false, add_host: { host_name: hostName, groups: unique, host_vars: hostVars } };
  },
};
