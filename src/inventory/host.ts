// An inventory host: its own variables (from the inventory source) and every group it
// belongs to, directly or through a parent group.
import { combineVars, isMapping, type HashBehaviour, type Vars } from './combine-vars.js';
import { isIpv4, isIpv6 } from './address.js';
import type { Group } from './group.js';

export class Host {
  vars: Vars = {};
  /** Direct groups and their ancestors, in the order they were joined. */
  readonly groups: Group[] = [];
  /** The localhost Ansible makes up when a play targets it without an inventory entry. */
  implicit = false;
  address: string;

  constructor(
    readonly name: string,
    port?: number,
  ) {
    this.address = name;
    if (port) this.vars.ansible_port = port;
  }

  toString(): string {
    return this.name;
  }

  addGroup(group: Group): boolean {
    for (const ancestor of group.ancestors()) if (!this.groups.includes(ancestor)) this.groups.push(ancestor);
    if (this.groups.includes(group)) return false;
    this.groups.push(group);
    return true;
  }

  populateAncestors(additions: Iterable<Group>): void {
    for (const g of additions) if (!this.groups.includes(g)) this.groups.push(g);
  }

  removeGroup(group: Group): boolean {
    const index = this.groups.indexOf(group);
    if (index < 0) return false;
    this.groups.splice(index, 1);
    // drop ancestors no other remaining group leads to (except all)
    for (const old of group.ancestors()) {
      if (old.name === 'all') continue;
      if (!this.groups.some((g) => g.ancestors().has(old))) this.removeGroup(old);
    }
    return true;
  }

  setVariable(key: string, value: unknown, behaviour: HashBehaviour): void {
    if (isMapping(this.vars[key]) && isMapping(value)) {
      this.vars = combineVars(this.vars, { [key]: value }, behaviour);
    } else {
      this.vars[key] = value;
    }
  }

  /** inventory_hostname, inventory_hostname_short and group_names. */
  magicVars(): Vars {
    return {
      inventory_hostname: this.name,
      inventory_hostname_short: isIpv4(this.name) || isIpv6(this.name) ? this.name : this.name.split('.')[0],
      group_names: this.groups
        .filter((g) => g.name !== 'all')
        .map((g) => g.name)
        .sort(),
    };
  }

  /** The host's own inventory variables plus its magic variables (Host.get_vars). */
  getVars(): Vars {
    return { ...this.vars, ...this.magicVars() };
  }
}
