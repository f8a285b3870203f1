// An inventory group: its own hosts and variables, its place in the group graph
// (parents, children, depth) and its priority for variable merging.
import { TsplayError } from '../errors.js';
import { combineVars, isMapping, type HashBehaviour, type Vars } from './combine-vars.js';
import type { Host } from './host.js';

export class Group {
  /** Hosts listed directly in this group, in the order they were added. */
  readonly hosts: Host[] = [];
  readonly childGroups: Group[] = [];
  readonly parentGroups: Group[] = [];
  vars: Vars = {};
  /** Distance from `all` along the longest parent chain; deeper groups' vars win. */
  depth = 0;
  /** ansible_group_priority: among groups of the same depth, higher wins. */
  priority = 1;
  private hostsCache: Host[] | undefined;

  constructor(readonly name: string) {}

  toString(): string {
    return this.name;
  }

  /** Every group above this one (not itself). */
  ancestors(): Set<Group> {
    return walk(this, 'parentGroups');
  }

  /** This group (when asked) and every group below it, nearest first. */
  descendants(includeSelf = false): Group[] {
    const ordered: Group[] = includeSelf ? [this] : [];
    const seen = new Set<Group>(includeSelf ? [this] : []);
    let layer: Group[] = [...this.childGroups];
    for (const g of layer) if (!seen.has(g)) (seen.add(g), ordered.push(g));
    while (layer.length > 0) {
      const next: Group[] = [];
      for (const g of layer) {
        for (const child of g.childGroups) {
          if (seen.has(child)) continue;
          seen.add(child);
          ordered.push(child);
          next.push(child);
        }
      }
      layer = next;
    }
    return ordered;
  }

  /** Adds `child` below this group; false when it already was. */
  addChildGroup(child: Group): boolean {
    if (child === this) throw new TsplayError("can't add group to itself");
    if (this.childGroups.includes(child)) return false;
    const childAncestors = child.ancestors();
    const newAncestors = this.ancestors();
    if (newAncestors.has(child)) {
      throw new TsplayError(`Adding group '${child.name}' as child to '${this.name}' creates a recursive dependency loop.`);
    }
    newAncestors.add(this);
    for (const g of childAncestors) newAncestors.delete(g);

    this.childGroups.push(child);
    child.depth = Math.max(this.depth + 1, child.depth);
    child.checkChildrenDepth();
    if (!child.parentGroups.some((g) => g.name === this.name)) {
      child.parentGroups.push(this);
      for (const host of child.allHosts()) host.populateAncestors(newAncestors);
    }
    this.clearHostsCache();
    return true;
  }

  private checkChildrenDepth(): void {
    let depth = this.depth;
    const start = this.depth;
    const seen = new Set<Group>();
    let pending = new Set<Group>(this.childGroups);
    while (pending.size > 0) {
      for (const g of pending) seen.add(g);
      depth += 1;
      const next = new Set<Group>();
      for (const g of pending) {
        if (g.depth < depth) {
          g.depth = depth;
          for (const c of g.childGroups) next.add(c);
        }
      }
      pending = next;
      if (depth - start > seen.size) {
        throw new TsplayError(`The group named '${this.name}' has a recursive dependency loop.`);
      }
    }
  }

  addHost(host: Host): boolean {
    if (this.hosts.includes(host)) return false;
    this.hosts.push(host);
    host.addGroup(this);
    this.clearHostsCache();
    return true;
  }

  removeHost(host: Host): boolean {
    const index = this.hosts.indexOf(host);
    if (index < 0) return false;
    this.hosts.splice(index, 1);
    host.removeGroup(this);
    this.clearHostsCache();
    return true;
  }

  setVariable(key: string, value: unknown, behaviour: HashBehaviour): void {
    if (key === 'ansible_group_priority') {
      this.priority = pyIntOf(value, this.priority);
    } else if (isMapping(this.vars[key]) && isMapping(value)) {
      this.vars = combineVars(this.vars, { [key]: value }, behaviour);
    } else {
      this.vars[key] = value;
    }
  }

  clearHostsCache(): void {
    this.hostsCache = undefined;
    for (const g of this.ancestors()) g.hostsCache = undefined;
  }

  /** Hosts of this group and of every group below it, without duplicates. */
  allHosts(): Host[] {
    if (!this.hostsCache) {
      const seen = new Set<Host>();
      const out: Host[] = [];
      for (const g of this.descendants(true)) {
        for (const h of g.hosts) {
          if (seen.has(h)) continue;
          seen.add(h);
          // the implicit localhost is never part of `all`
          if (this.name === 'all' && h.implicit) continue;
          out.push(h);
        }
      }
      this.hostsCache = out;
    }
    return this.hostsCache;
  }
}

function walk(start: Group, relation: 'parentGroups' | 'childGroups'): Set<Group> {
  const seen = new Set<Group>();
  let pending: Group[] = [...start[relation]];
  while (pending.length > 0) {
    const next: Group[] = [];
    for (const g of pending) {
      if (seen.has(g)) continue;
      seen.add(g);
      next.push(...g[relation]);
    }
    pending = next;
  }
  return seen;
}

/** int() as Ansible applies it to ansible_group_priority. */
function pyIntOf(value: unknown, fallback: number): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'string' && /^\s*[-+]?[0-9]+\s*$/.test(value)) return Number.parseInt(value, 10);
  if (value === null || value === undefined) return fallback;
  throw new TsplayError(`invalid literal for int() with base 10: '${String(value)}'`);
}
