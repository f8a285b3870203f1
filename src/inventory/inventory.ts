// The inventory of a run (Ansible's InventoryManager): parses the -i sources with the
// inventory plugins, selects hosts by pattern (with --limit and serial restrictions),
// takes runtime changes (add_host, group_by, refresh_inventory) and gives each host its
// inventory-level variables, level by level as the variable precedence needs them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { OptionsError, TsplayError } from '../errors.js';
import { unfrackPath } from '../config/paths.js';
import { combineVars, type HashBehaviour, type Vars } from './combine-vars.js';
import type { Group } from './group.js';
import type { Host } from './host.js';
import { InventoryData, LOCALHOST_NAMES, type TransformInvalidGroupChars } from './inventory-data.js';
import { applySubscript, compileHostPattern, orderPatterns, splitHostPattern, splitSubscript } from './patterns.js';
import { autoPlugin } from './plugins/auto.js';
import { hostListPlugin } from './plugins/host-list.js';
import { iniPlugin } from './plugins/ini.js';
import type { InventoryPlugin, InventoryPluginContext } from './plugins/plugin.js';
import { findInventoryPlugin, registerInventoryPlugin } from './plugins/registry.js';
import { scriptPlugin } from './plugins/script.js';
import { yamlPlugin } from './plugins/yaml.js';
import { VarsFilesLoader } from './vars-files.js';

for (const plugin of [hostListPlugin, scriptPlugin, autoPlugin, yamlPlugin, iniPlugin]) registerInventoryPlugin(plugin);

export type HostOrder = 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle';

/** Ansible's levels of inventory variables, lowest precedence first by default. */
export type GroupVarsLevel =
  | 'all_inventory'
  | 'groups_inventory'
  | 'all_plugins_inventory'
  | 'all_plugins_play'
  | 'groups_plugins_inventory'
  | 'groups_plugins_play';
export type HostVarsLevel = 'host_inventory' | 'host_plugins_inventory' | 'host_plugins_play';
export type InventoryVarsLevel = GroupVarsLevel | HostVarsLevel;

export const DEFAULT_VARIABLE_PRECEDENCE: readonly GroupVarsLevel[] = [
  'all_inventory',
  'groups_inventory',
  'all_plugins_inventory',
  'all_plugins_play',
  'groups_plugins_inventory',
  'groups_plugins_play',
];

export interface InventoryOptions {
  /** Directory relative sources and `@file` limits are resolved against (default: process.cwd()). */
  cwd?: string;
  /** For ~ and $VAR in source paths (default: process.env and the user's home). */
  env?: Readonly<Record<string, string | undefined>>;
  home?: string;
  /** INVENTORY_ENABLED: plugins tried on each source, in order. */
  enabledPlugins?: readonly string[];
  /** INVENTORY_IGNORE_EXTS / INVENTORY_IGNORE_PATTERNS: entries of inventory directories to skip. */
  ignoreExtensions?: readonly string[];
  ignorePatterns?: readonly string[];
  /** INVENTORY_ANY_UNPARSED_IS_FAILED, INVENTORY_UNPARSED_IS_FAILED, INVENTORY_UNPARSED_WARNING */
  anyUnparsedIsFailed?: boolean;
  unparsedIsFailed?: boolean;
  unparsedWarning?: boolean;
  /** HOST_PATTERN_MISMATCH */
  hostPatternMismatch?: 'warning' | 'error' | 'ignore';
  /** DEFAULT_HASH_BEHAVIOUR */
  hashBehaviour?: HashBehaviour;
  /** TRANSFORM_INVALID_GROUP_CHARS */
  transformInvalidGroupChars?: TransformInvalidGroupChars;
  /** VARIABLE_PRECEDENCE */
  variablePrecedence?: readonly string[];
  /** LOCALHOST_WARNING */
  localhostWarning?: boolean;
  localhostPythonInterpreter?: string;
}

export const DEFAULT_ENABLED_PLUGINS: readonly string[] = ['host_list', 'script', 'auto', 'yaml', 'ini', 'toml'];
export const DEFAULT_IGNORE_EXTENSIONS: readonly string[] = [
  '.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry',
];

/** A source a plugin tried and could not parse (reported as warnings unless configured to fail). */
export interface SourceFailure {
  source: string;
  plugin: string;
  error: TsplayError;
}

export interface GetHostsOptions {
  ignoreLimits?: boolean;
  ignoreRestrictions?: boolean;
  order?: string | undefined;
}

export interface VarsLayer {
  level: InventoryVarsLevel;
  vars: Readonly<Vars>;
}

interface DynamicHost {
  name: string;
  groups: readonly string[];
  vars: Vars;
}

interface DynamicGrouping {
  host: string;
  group: string;
  parents: readonly string[];
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Python's repr of a bytes path, as Ansible's limit-file errors print it. */
function bytesRepr(path: string): string {
  const quote = path.includes("'") && !path.includes('"') ? '"' : "'";
  const body = [...Buffer.from(path, 'utf8')]
    .map((b) => {
      const ch = String.fromCharCode(b);
      if (ch === '\\' || ch === quote) return `\\${ch}`;
      if (b === 9) return '\\t';
      if (b === 10) return '\\n';
      if (b === 13) return '\\r';
      if (b < 32 || b >= 127) return `\\x${b.toString(16).padStart(2, '0')}`;
      return ch;
    })
    .join('');
  return `b${quote}${body}${quote}`;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A failure to load the inventory, with the warnings Ansible prints before the error. */
export class InventoryLoadError extends TsplayError {
  constructor(
    readonly error: TsplayError,
    readonly warnings: string[],
  ) {
    super(error.message, { pos: error.pos, exitCode: error.exitCode, cause: error });
    this.name = 'InventoryLoadError';
  }

  override describe(): string {
    return this.error.describe();
  }
}

export class Inventory {
  data: InventoryData;
  /** The sources as given (-i values and the configured default), paths made absolute. */
  readonly sourceList: readonly string[];
  /** Parse failures of every source, including those Ansible only warns about. */
  failures: SourceFailure[] = [];
  /** Whether at least one source was parsed. */
  parsed = false;

  private readonly options: InventoryOptions;
  private readonly cwd: string;
  private readonly ignored: RegExp;
  private readonly varsFiles: VarsFilesLoader;
  private readonly precedence: GroupVarsLevel[];
  private readonly pendingWarnings: string[] = [];
  private readonly shownWarnings = new Set<string>();
  private subsetPatterns: string[] | undefined;
  private restriction: Set<string> | undefined;
  private hostsPatternCache = new Map<string, Host[]>();
  private patternCache = new Map<string, Host[]>();
  private readonly dynamicHosts: DynamicHost[] = [];
  private readonly dynamicGroupings: DynamicGrouping[] = [];
  private varsCache = new Map<string, Vars>();
  private varsCacheVersion = -1;

  constructor(sources: readonly string[], options: InventoryOptions = {}) {
    this.options = options;
    this.cwd = options.cwd ?? process.cwd();
    const env = options.env ?? process.env;
    const home = options.home ?? homedir();
    this.sourceList = sources.map((s) => (s && !s.includes(',') ? unfrackPath(s, this.cwd, { env, home }) : s));
    const ignoreParts = [
      String.raw`^\.`,
      '^host_vars$',
      '^group_vars$',
      '^vars_plugins$',
      ...(options.ignorePatterns ?? []),
      ...(options.ignoreExtensions ?? DEFAULT_IGNORE_EXTENSIONS).map((ext) => `${escapeRegex(ext)}$`),
    ];
    this.ignored = new RegExp(ignoreParts.join('|'));
    this.varsFiles = new VarsFilesLoader(options.hashBehaviour, (m) => this.warn(m));
    this.precedence = [];
    for (const entry of options.variablePrecedence ?? DEFAULT_VARIABLE_PRECEDENCE) {
      if ((DEFAULT_VARIABLE_PRECEDENCE as readonly string[]).includes(entry)) this.precedence.push(entry as GroupVarsLevel);
      else this.warn(`Ignoring unknown variable precedence entry: ${entry}`);
    }
    this.data = this.newData();
    try {
      this.parseSources();
    } catch (err) {
      if (err instanceof TsplayError) throw new InventoryLoadError(err, this.takeWarnings());
      throw err;
    }
  }

  private newData(): InventoryData {
    return new InventoryData({
      hashBehaviour: this.options.hashBehaviour,
      transformInvalidGroupChars: this.options.transformInvalidGroupChars,
      localhostPythonInterpreter: this.options.localhostPythonInterpreter,
      warn: (m) => this.warn(m),
    });
  }

  // ---------------------------------------------------------------- warnings

  private warn(message: string): void {
    // Ansible shows each distinct warning once per run.
    if (this.shownWarnings.has(message)) return;
    this.shownWarnings.add(message);
    this.pendingWarnings.push(message);
  }

  /**
   * Warnings raised since the last call, each once per run, in Ansible's wording and
   * without the `[WARNING]: ` prefix (the display adds it and wraps the text).
   */
  takeWarnings(): string[] {
    return this.pendingWarnings.splice(0);
  }

  // ---------------------------------------------------------------- parsing

  private plugins(): InventoryPlugin[] {
    const out: InventoryPlugin[] = [];
    for (const name of this.options.enabledPlugins ?? DEFAULT_ENABLED_PLUGINS) {
      const plugin = findInventoryPlugin(name);
      // toml inventories are not supported; Ansible's own list enables it by default
      if (plugin) out.push(plugin);
      else if (name !== 'toml' && name !== 'ansible.builtin.toml') this.warn(`Failed to load inventory plugin, skipping ${name}`);
    }
    if (out.length === 0) {
      throw new TsplayError('No inventory plugins available to generate inventory, make sure you have at least one enabled.');
    }
    return out;
  }

  private parseSources(): void {
    let parsed = false;
    for (const source of this.sourceList) {
      if (source && this.parseSource(source)) parsed = true;
    }
    this.parsed = parsed;
    if (parsed) {
      this.data.reconcile();
    } else if (this.options.unparsedIsFailed) {
      throw new TsplayError('No inventory was parsed, please check your configuration and options.');
    } else if (this.options.unparsedWarning ?? true) {
      this.warn('No inventory was parsed, only implicit localhost is available');
    }
    this.clearCaches();
  }

  private parseSource(source: string): boolean {
    let parsed = false;
    const failures: SourceFailure[] = [];
    if (isDirectory(source)) {
      for (const entry of readdirSync(source).sort()) {
        if (this.ignored.test(entry)) continue;
        if (this.parseSource(join(source, entry)) && !parsed) parsed = true;
      }
    } else {
      this.data.currentSource = source;
      const ctx: InventoryPluginContext = { data: this.data, warn: (m) => this.warn(m) };
      for (const plugin of this.plugins()) {
        let wants = false;
        try {
          wants = plugin.verifyFile(source);
        } catch {
          wants = false;
        }
        if (!wants) continue;
        try {
          plugin.parse(ctx, source);
          parsed = true;
          break;
        } catch (err) {
          if (!(err instanceof TsplayError)) throw err;
          failures.push({ source, plugin: plugin.name, error: err });
        }
      }
    }
    if (parsed) {
      if (this.data.currentSource) this.data.processedSources.push(this.data.currentSource);
    } else if (source !== '/etc/ansible/hosts' || existsSync(source)) {
      this.failures.push(...failures);
      for (const f of failures) this.warn(`\n* Failed to parse ${f.source} with ${f.plugin} plugin: ${f.error.describe()}`);
      if (this.options.anyUnparsedIsFailed) {
        throw new TsplayError(`Completely failed to parse inventory source ${source}`, { cause: failures[0]?.error });
      }
      this.warn(`Unable to parse ${source} as an inventory source`);
    }
    this.data.currentSource = undefined;
    return parsed;
  }

  /** meta: refresh_inventory — parse the sources again and replay add_host/group_by. */
  refresh(): void {
    this.clearCaches();
    this.varsFiles.clear();
    this.data = this.newData();
    this.parseSources();
    for (const host of this.dynamicHosts) this.applyDynamicHost(host, true);
    for (const grouping of this.dynamicGroupings) this.applyDynamicGrouping(grouping, true);
  }

  private clearCaches(): void {
    this.hostsPatternCache = new Map();
    this.patternCache = new Map();
  }

  private reconcile(): void {
    this.clearCaches();
    this.data.reconcile();
  }

  // ---------------------------------------------------------------- lookups

  /** A host by name (localhost names give the implicit localhost). */
  getHost(name: string): Host | undefined {
    return this.data.getHost(name);
  }

  getGroup(name: string): Group | undefined {
    return this.data.groups.get(name);
  }

  /** The -i sources (ansible_inventory_sources). */
  sources(): string[] {
    return [...this.sourceList];
  }

  hasHost(name: string): boolean {
    return this.data.getHost(name) !== undefined;
  }

  /** `groups`: every group with its hosts, in inventory order. */
  groups(): Readonly<Record<string, string[]>> {
    return this.data.groupsDict();
  }

  /** `group_names` of a host: its groups except all, sorted. */
  groupNames(host: string): string[] {
    return (this.data.getHost(host)?.magicVars().group_names as string[] | undefined) ?? [];
  }

  /** inventory_file / inventory_dir of a host, when it came from a file or directory source. */
  inventorySource(host: string): { dir: string; file: string } | undefined {
    const h = this.data.getHost(host);
    const file = h?.vars.inventory_file;
    const dir = h?.vars.inventory_dir;
    return typeof file === 'string' && typeof dir === 'string' ? { dir, file } : undefined;
  }

  /** Group names, sorted (list_groups). */
  listGroups(): string[] {
    return [...this.data.groups.keys()].sort();
  }

  // ---------------------------------------------------------------- patterns

  /**
   * Hosts matching a pattern (string or list), with --limit (unless ignoreLimits) and the
   * serial restriction (unless ignoreRestrictions) applied, in the play's `order`.
   */
  getHosts(pattern: string | readonly string[] = 'all', options: GetHostsOptions = {}): Host[] {
    const patternList = typeof pattern === 'string' ? [pattern] : [...pattern];
    if (patternList.length === 0) return [];
    const useSubset = !options.ignoreLimits && this.subsetPatterns;
    const useRestriction = !options.ignoreRestrictions && this.restriction;
    if (useSubset) patternList.push(...this.subsetPatterns!);
    if (useRestriction) patternList.push(...this.restriction!);
    const key = JSON.stringify(patternList);
    let cached = this.hostsPatternCache.get(key);
    if (!cached) {
      let hosts = this.evaluatePatterns(splitHostPattern(pattern));
      if (useSubset) {
        const subset = new Set(this.evaluatePatterns(this.subsetPatterns!));
        hosts = hosts.filter((h) => subset.has(h));
      }
      if (useRestriction) hosts = hosts.filter((h) => this.restriction!.has(h.name));
      cached = [...new Set(hosts)];
      this.hostsPatternCache.set(key, cached);
    }
    switch (options.order ?? 'inventory') {
      case 'inventory':
        return [...cached];
      case 'reverse_inventory':
        return [...cached].reverse();
      case 'sorted':
        return [...cached].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      case 'reverse_sorted':
        return [...cached].sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      case 'shuffle':
        return shuffle([...cached]);
      default:
        throw new OptionsError(`Invalid 'order' specified for inventory hosts: ${options.order}`);
    }
  }

  /** Host names for a play's `hosts:` patterns (InventoryView). */
  selectHosts(patterns: string | readonly string[], order?: string): string[] {
    return this.getHosts(patterns, { order }).map((h) => h.name);
  }

  /** Names for a pattern; a localhost name gives itself when nothing else matches (list_hosts). */
  listHosts(pattern = 'all'): string[] {
    const names = this.getHosts(pattern).map((h) => h.name);
    if (names.length === 0 && LOCALHOST_NAMES.includes(pattern)) return [pattern];
    return names;
  }

  private evaluatePatterns(patterns: readonly string[]): Host[] {
    let hosts: Host[] = [];
    for (const p of orderPatterns(patterns)) {
      if (this.data.hosts.has(p)) {
        hosts.push(this.data.hosts.get(p)!);
        continue;
      }
      const that = this.matchOnePattern(p);
      if (p[0] === '!') {
        const drop = new Set(that);
        hosts = hosts.filter((h) => !drop.has(h));
      } else if (p[0] === '&') {
        const keep = new Set(that);
        hosts = hosts.filter((h) => keep.has(h));
      } else {
        const existing = new Set(hosts.map((h) => h.name));
        hosts.push(...that.filter((h) => !existing.has(h.name)));
      }
    }
    return hosts;
  }

  private matchOnePattern(raw: string): Host[] {
    const pattern = raw[0] === '&' || raw[0] === '!' ? raw.slice(1) : raw;
    let hosts = this.patternCache.get(pattern);
    if (!hosts) {
      const { pattern: expr, subscript } = splitSubscript(pattern, (m) => this.warn(m));
      hosts = applySubscript(this.enumerateMatches(expr), subscript, pattern);
      this.patternCache.set(pattern, hosts);
    }
    return hosts;
  }

  private enumerateMatches(pattern: string): Host[] {
    const results: Host[] = [];
    const matcher = compileHostPattern(pattern);
    const matchingGroups = [...this.data.groups.keys()].filter((g) => matcher.test(g));
    for (const name of matchingGroups) results.push(...this.data.groups.get(name)!.allHosts());
    if (matchingGroups.length === 0 || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
      for (const [name, host] of this.data.hosts) if (matcher.test(name)) results.push(host);
    }
    if (results.length === 0 && LOCALHOST_NAMES.includes(pattern)) {
      const implicit = this.data.getHost(pattern);
      if (implicit) results.push(implicit);
    }
    if (results.length === 0 && matchingGroups.length === 0 && pattern !== 'all') {
      const message = `Could not match supplied host pattern, ignoring: ${pattern}`;
      const mode = this.options.hostPatternMismatch ?? 'warning';
      if (mode === 'warning') this.warn(message);
      else if (mode === 'error') throw new TsplayError(message);
    }
    return results;
  }

  /**
   * --limit: patterns (string or list, comma/colon separated) and `@file` lists of them.
   * undefined removes the limit.
   */
  subset(limit: string | readonly string[] | undefined): void {
    if (limit === undefined) {
      this.subsetPatterns = undefined;
      this.clearCaches();
      return;
    }
    const results: string[] = [];
    for (const item of splitHostPattern(limit)) {
      if (!item) continue;
      if (item[0] === '@') {
        const file = resolve(this.cwd, item.slice(1));
        if (!existsSync(file)) throw new TsplayError(`Unable to find limit file ${bytesRepr(item.slice(1))}`);
        if (!statSync(file).isFile()) {
          throw new TsplayError(`Limit starting with "@" must be a file, not a directory: ${bytesRepr(item.slice(1))}`);
        }
        results.push(...readFileSync(file, 'utf8').split('\n').map((l) => l.trim()));
      } else {
        results.push(item);
      }
    }
    this.subsetPatterns = results;
    this.clearCaches();
  }

  /** Only these hosts are visible to getHosts (a serial batch minus failed hosts); undefined lifts it. */
  restrictToHosts(hosts: readonly (Host | string)[] | undefined): void {
    this.restriction = hosts === undefined ? undefined : new Set(hosts.map((h) => (typeof h === 'string' ? h : h.name)));
  }

  removeRestriction(): void {
    this.restriction = undefined;
  }

  /**
   * What ansible-playbook checks before running (CLI.get_host_list): warns when the
   * inventory is empty, applies --limit, and fails when the limit leaves no host.
   */
  checkHostList(limit: string | readonly string[] | undefined, pattern = 'all'): string[] {
    let noHosts = false;
    if (this.listHosts().length === 0) {
      if ((this.options.localhostWarning ?? true) && !LOCALHOST_NAMES.includes(pattern)) {
        this.warn("provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'");
      }
      noHosts = true;
    }
    this.subset(limit);
    const hosts = this.listHosts(pattern);
    if (hosts.length === 0 && !noHosts) {
      throw new TsplayError('Specified inventory, host pattern and/or --limit leaves us with no hosts to target.');
    }
    return hosts;
  }

  // ---------------------------------------------------------------- runtime changes

  /**
   * add_host: adds the host (to `all`) if new, merges `vars` into its inventory vars and
   * puts it into `groups` (created when missing). Returns whether anything changed.
   * The caller splits `name:port` into ansible_port as the add_host action does.
   */
  addHost(name: string, groups: readonly string[] = [], vars: Vars = {}): boolean {
    const entry = { name, groups: [...groups], vars };
    this.dynamicHosts.push(entry);
    return this.applyDynamicHost(entry, false);
  }

  private applyDynamicHost(entry: DynamicHost, _refresh: boolean): boolean {
    const data = this.data;
    const cacheWasCurrent = this.varsCacheVersion === data.version;
    let changed = false;
    if (!data.hosts.has(entry.name)) {
      data.addHost(entry.name, 'all');
      changed = true;
    }
    const host = data.hosts.get(entry.name)!;
    const before = host.getVars();
    const combined = combineVars(before, entry.vars, data.hashBehaviour);
    if (!sameData(before, combined)) {
      host.vars = combineVars(host.vars, entry.vars, data.hashBehaviour);
      data.version++;
      changed = true;
    }
    for (let groupName of entry.groups) {
      if (!data.groups.has(groupName)) {
        groupName = data.addGroup(groupName);
        changed = true;
      }
      if (data.groups.get(groupName)!.addHost(host)) changed = true;
    }
    if (changed) {
      this.reconcile();
      // only this host's variables can differ: keep the others cached
      if (cacheWasCurrent) this.keepCachedVarsExcept(entry.name);
    }
    return changed;
  }

  /** After a change that only concerns `host`, drop its cached variables and keep the rest. */
  private keepCachedVarsExcept(host: string): void {
    const prefix = `${host}\0`;
    for (const key of [...this.varsCache.keys()]) if (key.startsWith(prefix)) this.varsCache.delete(key);
    this.varsCacheVersion = this.data.version;
  }

  /**
   * group_by: puts `host` into `group`, creating it, and makes it a child of each of
   * `parents` (group_by's default: all). Returns whether anything changed. The caller
   * replaces spaces in the names with dashes, as the group_by action does.
   */
  addHostToGroup(host: string, group: string, parents: readonly string[] = ['all']): boolean {
    const entry = { host, group, parents: [...parents] };
    this.dynamicGroupings.push(entry);
    return this.applyDynamicGrouping(entry, false);
  }

  private applyDynamicGrouping(entry: DynamicGrouping, refresh: boolean): boolean {
    const data = this.data;
    const cacheWasCurrent = this.varsCacheVersion === data.version;
    // a new parent for a group that already has hosts changes those hosts' variables too
    let othersAffected = false;
    let changed = false;
    let realHost = data.hosts.get(entry.host);
    if (!realHost) {
      const localhost = data.getHost('localhost');
      if (localhost && entry.host === localhost.name) realHost = localhost;
      else if (!refresh) throw new TsplayError(`${entry.host} cannot be matched in inventory`);
      else return false;
    }
    const groupName = data.groups.has(entry.group) ? entry.group : data.addGroup(entry.group);
    for (const parent of entry.parents) {
      if (!data.groups.has(parent)) {
        data.addGroup(parent);
        changed = true;
      }
    }
    const group = data.groups.get(groupName)!;
    const hadHosts = group.allHosts().some((h) => h !== realHost);
    for (const parent of entry.parents) {
      if (data.groups.get(parent)!.addChildGroup(group)) {
        changed = true;
        if (hadHosts) othersAffected = true;
      }
    }
    if (!group.allHosts().includes(realHost)) changed = group.addHost(realHost);
    if (!realHost.groups.includes(group)) changed = realHost.addGroup(group);
    if (changed) {
      this.reconcile();
      if (cacheWasCurrent && !othersAffected) this.keepCachedVarsExcept(realHost.name);
    }
    return changed;
  }

  // ---------------------------------------------------------------- variables

  /** Directories whose group_vars/ and host_vars/ belong to the inventory (one per source). */
  private inventoryVarsDirs(): string[] {
    const dirs: string[] = [];
    for (const source of this.sourceList) {
      if (!source) continue;
      if (source.includes(',') && !existsSync(source)) continue;
      dirs.push(isDirectory(source) ? source : dirname(source));
    }
    return dirs;
  }

  private varsFromDirs(dirs: readonly string[], kind: 'group' | 'host', names: readonly string[]): Vars {
    let data: Vars = {};
    for (const dir of dirs) {
      for (const name of names) data = combineVars(data, this.varsFiles.varsFor(dir, kind, name), this.data.hashBehaviour);
    }
    return data;
  }

  /**
   * A host's inventory variables as separate levels, lowest precedence first: the group
   * levels in VARIABLE_PRECEDENCE order (all group from inventory files, the host's other
   * groups by depth, priority and name, group_vars/ beside the inventory sources and beside
   * the playbook), then the host's own inventory vars (with inventory_hostname(_short) and
   * group_names), host_vars/ beside the inventory, host_vars/ beside the playbook.
   * `playbookDirs`: the play's base directories (usually just the playbook's directory).
   */
  hostVarLayers(hostName: string, playbookDirs: string | readonly string[] | undefined = []): VarsLayer[] {
    const host = this.data.getHost(hostName);
    if (!host) throw new TsplayError(`Could not identify host named ${hostName}`);
    const playDirs = typeof playbookDirs === 'string' ? [playbookDirs] : [...playbookDirs];
    const all = this.data.group('all');
    const groups = sortGroups(host.groups.filter((g) => g.name !== 'all'));
    const groupNames = groups.map((g) => g.name);
    const inventoryDirs = this.inventoryVarsDirs();
    const behaviour = this.data.hashBehaviour;
    const levels: Record<GroupVarsLevel, () => Vars> = {
      all_inventory: () => ({ ...all.vars }),
      groups_inventory: () => groups.reduce<Vars>((acc, g) => combineVars(acc, g.vars, behaviour), {}),
      all_plugins_inventory: () => this.varsFromDirs(inventoryDirs, 'group', ['all']),
      all_plugins_play: () => this.varsFromDirs(playDirs, 'group', ['all']),
      groups_plugins_inventory: () => this.varsFromDirs(inventoryDirs, 'group', groupNames),
      groups_plugins_play: () => this.varsFromDirs(playDirs, 'group', groupNames),
    };
    const layers: VarsLayer[] = this.precedence.map((level) => ({ level, vars: levels[level]() }));
    layers.push({ level: 'host_inventory', vars: host.getVars() });
    layers.push({ level: 'host_plugins_inventory', vars: this.varsFromDirs(inventoryDirs, 'host', [host.name]) });
    layers.push({ level: 'host_plugins_play', vars: this.varsFromDirs(playDirs, 'host', [host.name]) });
    return layers;
  }

  /**
   * The host's inventory-level variables merged (hostVarLayers combined with
   * hash_behaviour). Cached until the inventory changes (add_host, group_by, refresh).
   */
  hostVars(hostName: string, playbookDirs: string | readonly string[] | undefined = []): Readonly<Vars> {
    if (this.varsCacheVersion !== this.data.version) {
      this.varsCache = new Map();
      this.varsCacheVersion = this.data.version;
    }
    const dirs = typeof playbookDirs === 'string' ? [playbookDirs] : [...playbookDirs];
    const key = `${hostName}\0${dirs.join('\0')}`;
    let vars = this.varsCache.get(key);
    if (!vars) {
      vars = {};
      for (const layer of this.hostVarLayers(hostName, dirs)) vars = combineVars(vars, layer.vars, this.data.hashBehaviour);
      this.varsCache.set(key, vars);
    }
    return vars;
  }

  /** Variables of a group as `ansible-inventory --export` shows them: its own plus group_vars/ files. */
  groupVarsForExport(groupName: string, playbookDirs: readonly string[] = []): Vars {
    const group = this.data.group(groupName);
    let vars = combineVars(group.vars, this.varsFromDirs(this.inventoryVarsDirs(), 'group', [groupName]), this.data.hashBehaviour);
    if (playbookDirs.length > 0) vars = combineVars(vars, this.varsFromDirs(playbookDirs, 'group', [groupName]), this.data.hashBehaviour);
    if (group.priority !== 1) vars.ansible_group_priority = group.priority;
    return vars;
  }

  /** Variables of a host as `ansible-inventory --export` shows them: its own plus host_vars/ files. */
  hostVarsForExport(hostName: string, playbookDirs: readonly string[] = []): Vars {
    const host = this.data.getHost(hostName);
    if (!host) throw new TsplayError(`Could not identify host named ${hostName}`);
    let vars = combineVars(host.getVars(), this.varsFromDirs(this.inventoryVarsDirs(), 'host', [hostName]), this.data.hashBehaviour);
    if (playbookDirs.length > 0) vars = combineVars(vars, this.varsFromDirs(playbookDirs, 'host', [hostName]), this.data.hashBehaviour);
    return vars;
  }
}

/** Groups in variable-merging order: depth, then ansible_group_priority, then name. */
export function sortGroups(groups: readonly Group[]): Group[] {
  return [...groups].sort((a, b) => a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameData((a as Vars)[k], (b as Vars)[k]));
}

/** Parse inventory sources (-i values, or the configured default list). */
export function loadInventory(sources: readonly string[], options: InventoryOptions = {}): Inventory {
  return new Inventory(sources, options);
}
