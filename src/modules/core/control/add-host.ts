// add_host: put a host (and its variables) into the in-memory inventory for later plays.
import { ModuleFailure, type ModuleDefinition } from '../../module.js';

export const addHostModule: ModuleDefinition<Record<string, unknown>> = {
  name: 'ansible.builtin.add_host',
  // No spec: the action reads its own keys; whatever is not a name or a group is a host variable.
  argSpec: {},
  acceptsAnyArgs: true,
  invocation: false,
  supportsCheckMode: true,
  controllerOnly: true,
  // Ansible runs add_host once, for the first host of the play, and it stands for all.
  bypassHostLoop: true,
  async run(args) {
    const { _raw_params: _raw, ...rest } = args;
    const name = rest.name ?? rest.hostname ?? rest.host;
    const groups = rest.groupname ?? rest.groups ?? rest.group;
    const hostVars: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) if (!['name', 'hostname', 'groupname', 'groups'].includes(key)) hostVars[key] = value;
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
