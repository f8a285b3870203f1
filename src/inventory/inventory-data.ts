// The hosts and groups of an inventory and the rules that keep them consistent: the
// `all` and `ungrouped` groups, the implicit localhost, the first source a host came from.
// Inventory sources (INI, YAML, scripts, host lists) and runtime changes (add_host,
// group_by) all go through this class.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TsplayError } from '../errors.js';
import { combineVars, type HashBehaviour } from './combine-vars.js';
import { Group } from './group.js';
import { Host } from './host.js';

/** The names Ansible treats as the control node itself. */
export const LOCALHOST_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

/** What to do with group names that are not valid variable names (force_valid_group_names). */
export type TransformInvalidGroupChars = 'always' | 'never' | 'ignore' | 'silently';

export interface InventoryDataOptions {
  hashBehaviour?: HashBehaviour;
  transformInvalidGroupChars?: TransformInvalidGroupChars;
  /** ansible_python_interpreter of the implicit localhost (Ansible: its own Python). */
  localhostPythonInterpreter?: string;
  warn?: (message: string) => void;
}

// Python's INVALID_VARIABLE_NAMES: a leading digit/non-word char, or any non-word char.
const INVALID_NAME_CHARS = /^[\p{N}]|[^\p{L}\p{N}_]/gu;

/**
 * Ansible's to_safe_group_name: with `force` (used by the INI, script and runtime paths of
 * some plugins) or transformInvalidGroupChars=always/silently, bad characters become `_`.
 */
export function toSafeGroupName(
  name: string,
  setting: TransformInvalidGroupChars,
  warn: (message: string) => void,
  force = false,
): string {
  if (!name) return name;
  INVALID_NAME_CHARS.lastIndex = 0;
  if (!INVALID_NAME_CHARS.test(name)) return name;
  if (force || (setting !== 'never' && setting !== 'ignore')) {
    const replaced = name.replace(INVALID_NAME_CHARS, '_');
    if (!force && setting !== 'silently') {
      warn('Invalid characters were found in group names and automatically replaced, use -vvvv to see details');
    }
    return replaced;
  }
  if (setting === 'never') warn('Invalid characters were found in group names but not replaced, use -vvvv to see details');
  return name;
}

export class InventoryData {
  readonly groups = new Map<string, Group>();
  readonly hosts = new Map<string, Host>();
  /** The host that stands for the control node: the first localhost-like entry, or the implicit one. */
  localhost: Host | undefined;
  /** The source being parsed: new hosts get inventory_file/inventory_dir from it. */
  currentSource: string | undefined;
  readonly processedSources: string[] = [];
  readonly hashBehaviour: HashBehaviour;
  readonly transformInvalidGroupChars: TransformInvalidGroupChars;
  private readonly localhostPython: string;
  readonly warn: (message: string) => void;
  private groupsDictCache: Record<string, string[]> | undefined;
  /** Bumped on every change, so that derived data (variables, patterns) can be cached. */
  version = 0;

  constructor(options: InventoryDataOptions = {}) {
    this.hashBehaviour = options.hashBehaviour ?? 'replace';
    this.transformInvalidGroupChars = options.transformInvalidGroupChars ?? 'never';
    this.localhostPython = options.localhostPythonInterpreter ?? '/usr/bin/python3';
    this.warn = options.warn ?? (() => {});
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  private changed(): void {
    this.groupsDictCache = undefined;
    this.version++;
  }

  group(name: string): Group {
    const g = this.groups.get(name);
    if (!g) throw new TsplayError(`${name} is not a known group`);
    return g;
  }

  /** Adds a group if new; returns the name actually used. */
  addGroup(name: unknown): string {
    if (typeof name !== 'string') {
      if (!name) throw new TsplayError(`Invalid empty/false group name provided: ${String(name)}`);
      throw new TsplayError(`Invalid group name supplied, expected a string but got ${typeof name} for ${String(name)}`);
    }
    if (!name) throw new TsplayError(`Invalid empty/false group name provided: ${name}`);
    if (this.groups.has(name)) return name;
    const safe = toSafeGroupName(name, this.transformInvalidGroupChars, this.warn);
    if (!this.groups.has(safe)) {
      this.groups.set(safe, new Group(safe));
      this.changed();
    }
    return safe;
  }

  removeGroup(name: string): void {
    const group = this.groups.get(name);
    if (group) {
      this.groups.delete(name);
      for (const host of this.hosts.values()) host.removeGroup(group);
      this.changed();
    }
  }

  /** Adds a host if new (and to `group` when given); returns its name. */
  addHost(name: unknown, group?: string, port?: number): string {
    if (typeof name !== 'string') {
      if (!name) throw new TsplayError(`Invalid empty host name provided: ${String(name)}`);
      throw new TsplayError(`Invalid host name supplied, expected a string but got ${typeof name} for ${String(name)}`);
    }
    if (!name) throw new TsplayError(`Invalid empty host name provided: ${name}`);
    let g: Group | undefined;
    if (group) {
      g = this.groups.get(group);
      if (!g) throw new TsplayError(`Could not find group ${group} in inventory`);
    }
    let host = this.hosts.get(name);
    if (!host) {
      host = new Host(name, port);
      this.hosts.set(name, host);
      host.setVariable('inventory_file', this.currentSource ?? null, this.hashBehaviour);
      host.setVariable('inventory_dir', this.currentSource ? inventoryDirOf(this.currentSource) : null, this.hashBehaviour);
      if (LOCALHOST_NAMES.includes(name)) {
        if (this.localhost === undefined) this.localhost = host;
        else this.warn(`A duplicate localhost-like entry was found (${name}). First found localhost was ${this.localhost.name}`);
      }
      this.changed();
    }
    if (g && g.addHost(host)) this.changed();
    return name;
  }

  removeHost(host: Host): void {
    this.hosts.delete(host.name);
    for (const g of this.groups.values()) g.removeHost(host);
    this.changed();
  }

  /** Sets a variable on the group or host of that name (groups first). */
  setVariable(entity: string, key: string, value: unknown): void {
    const target = this.groups.get(entity) ?? this.hosts.get(entity);
    if (!target) throw new TsplayError(`Could not identify group or host named ${entity}`);
    target.setVariable(key, value, this.hashBehaviour);
    this.changed();
  }

  /** Puts a group or a host into `group`. */
  addChild(group: string, child: string): boolean {
    const parent = this.groups.get(group);
    if (!parent) throw new TsplayError(`${group} is not a known group`);
    let added: boolean;
    const childGroup = this.groups.get(child);
    if (childGroup) added = parent.addChildGroup(childGroup);
    else {
      const host = this.hosts.get(child);
      if (!host) throw new TsplayError(`${child} is not a known host nor group`);
      added = parent.addHost(host);
    }
    this.changed();
    return added;
  }

  /** A host by name; localhost names give the implicit localhost when not in the inventory. */
  getHost(name: string): Host | undefined {
    const host = this.hosts.get(name);
    if (host === undefined && LOCALHOST_NAMES.includes(name)) return this.implicitLocalhost(name);
    return host;
  }

  private implicitLocalhost(name: string): Host {
    if (this.localhost) return this.localhost;
    const host = new Host(name);
    host.address = '127.0.0.1';
    host.implicit = true;
    host.setVariable('ansible_python_interpreter', this.localhostPython, this.hashBehaviour);
    host.setVariable('ansible_connection', 'local', this.hashBehaviour);
    this.localhost = host;
    return host;
  }

  /** Enforces the inventory rules after sources are parsed or the inventory changes. */
  reconcile(): void {
    this.currentSource = undefined;
    const all = this.group('all');
    const ungrouped = this.group('ungrouped');
    for (const group of [...this.groups.values()]) {
      if (group.name !== 'all' && group.ancestors().size === 0) this.addChild('all', group.name);
    }
    for (const host of this.hosts.values()) {
      const mine = host.groups;
      if (mine.includes(ungrouped)) {
        if (mine.some((g) => g !== all && g !== ungrouped)) ungrouped.removeHost(host);
      } else if (!host.implicit) {
        if (mine.length === 0 || (mine.length === 1 && mine[0] === all)) this.addChild('ungrouped', host.name);
      }
      if (host.implicit) host.vars = combineVars(all.vars, host.vars, this.hashBehaviour);
    }
    for (const name of this.groups.keys()) {
      if (this.hosts.has(name)) this.warn(`Found both group and host with same name: ${name}`);
    }
    this.changed();
  }

  /** The `groups` magic variable: every group name with its host names. */
  groupsDict(): Record<string, string[]> {
    if (!this.groupsDictCache) {
      const out: Record<string, string[]> = {};
      for (const [name, group] of this.groups) out[name] = group.allHosts().map((h) => h.name);
      this.groupsDictCache = out;
    }
    return this.groupsDictCache;
  }
}

/** Ansible's basedir(): a directory is its own inventory_dir, a file its directory, a host list none. */
function inventoryDirOf(source: string): string | null {
  try {
    const stat = statSync(source);
    if (stat.isDirectory()) return resolve(source);
    if (stat.isFile()) return resolve(dirname(source));
  } catch {
    // not a path (a host list)
  }
  return null;
}
