// Ansible's variable precedence, built as a stack of layers instead of merged copies:
// a task's scope is an array of references to long-lived objects (play vars, a host's
// inventory vars, its facts...), so building one costs the same for 2 or 2000 hosts.
//
// Highest first (Ansible's documented order, reversed):
//   magic vars > extra vars > include params > role params > set_fact/register >
//   include_vars > task and block vars > the task's role vars > role vars of the play >
//   vars_files > play vars > facts > inventory host/group vars > the task's role defaults >
//   role defaults of the play
import { randomBytes } from 'node:crypto';
import { IncludedBlock } from '../playbook/block.js';
import type { Play } from '../playbook/play.js';
import type { RoleInstance } from '../playbook/role.js';
import type { Task } from '../playbook/task.js';
import type { HostStore } from './host-store.js';
import type { InventoryView } from './inventory-view.js';
import { LayeredScope, type VarLayer, type VarScope } from './scope.js';

export const ANSIBLE_COMPAT_VERSION = { full: '2.14.18', major: 2, minor: 14, revision: 18, string: '2.14.18' };

export interface RunFacts {
  checkMode: boolean;
  diffMode: boolean;
  forks: number;
  verbosity: number;
  runTags: readonly string[];
  skipTags: readonly string[];
  configFile: string | undefined;
}

const merge = (layers: Iterable<Readonly<Record<string, unknown>>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const layer of layers) Object.assign(out, layer);
  return out;
};

/** Variables of a role as its tasks see them: dependencies' first, then the role's own. */
function roleLayer(role: RoleInstance, pick: (r: RoleInstance) => Record<string, unknown>): Record<string, unknown> {
  return merge([...role.withDependencies()].map(pick));
}

/** The run-wide variable state; `forPlay` gives the per-play view tasks use. */
export class VariableManager {
  /** Ansible's omit placeholder: a recognisable value with a random suffix per run. */
  readonly omit = `__omit_place_holder__${randomBytes(20).toString('hex')}`;

  constructor(
    readonly inventory: InventoryView,
    readonly store: HostStore,
    readonly extraVars: Readonly<Record<string, unknown>>,
    readonly run: RunFacts,
  ) {}

  forPlay(play: Play): PlayVariables {
    return new PlayVariables(this, play);
  }
}

/** Lists the executor keeps current while a play runs (magic vars read them live). */
export interface PlayHostLists {
  /** ansible_play_hosts_all */
  all: string[];
  /** ansible_play_hosts: the hosts still active (not failed or unreachable). */
  active: string[];
  /** ansible_play_batch: the active hosts of the current serial batch. */
  batch: string[];
}

export class PlayVariables {
  readonly hostLists: PlayHostLists = { all: [], active: [], batch: [] };
  /** vars_files, loaded per host (they may template host variables). */
  readonly varsFilesOf = new Map<string, Record<string, unknown>>();
  /** Loads vars_files for a host into the given layer; installed by the executor. */
  varsFilesLoader: ((host: string, into: Record<string, unknown>) => void) | undefined;
  private readonly playVars: Record<string, unknown>;
  private readonly rolesVars: Record<string, unknown>;
  private readonly rolesDefaults: Record<string, unknown>;
  private readonly magicByHost = new Map<string, Record<string, unknown>>();
  private readonly roleLayers = new Map<RoleInstance, { vars: Record<string, unknown>; defaults: Record<string, unknown>; params: Record<string, unknown> }>();
  readonly hostvars: HostVars;

  constructor(
    readonly manager: VariableManager,
    readonly play: Play,
  ) {
    this.playVars = (play.keywords.vars as Record<string, unknown> | undefined) ?? {};
    const playRoles = () => [...play.roles, ...play.includedRoles.filter((r) => r.isPublic)];
    this.rolesVars = merge(playRoles().map((r) => roleLayer(r, (x) => x.vars)));
    this.rolesDefaults = merge(playRoles().map((r) => roleLayer(r, (x) => x.defaults)));
    this.hostvars = new HostVars(this);
  }

  /** Make an include_role public: its defaults and vars become play-wide. */
  publishRole(role: RoleInstance): void {
    Object.assign(this.rolesVars, roleLayer(role, (x) => x.vars));
    Object.assign(this.rolesDefaults, roleLayer(role, (x) => x.defaults));
  }

  private roleLayersOf(role: RoleInstance) {
    let layers = this.roleLayers.get(role);
    if (!layers) {
      layers = {
        vars: roleLayer(role, (r) => r.vars),
        defaults: roleLayer(role, (r) => r.defaults),
        params: role.params as Record<string, unknown>,
      };
      this.roleLayers.set(role, layers);
    }
    return layers;
  }

  private magic(host: string): Record<string, unknown> {
    let magic = this.magicByHost.get(host);
    if (magic) return magic;
    const { manager, play } = this;
    const { inventory, run } = manager;
    const source = inventory.inventorySource(host);
    const roleNames = play.roles.map((r) => r.name);
    const dependentNames = [...new Set(play.roles.flatMap((r) => [...r.withDependencies()].filter((d) => d !== r).map((d) => d.name)))];
    const lists = this.hostLists;
    magic = {
      inventory_hostname: host,
      inventory_hostname_short: host.split('.')[0],
      playbook_dir: play.basedir,
      ansible_play_name: play.name,
      ansible_play_role_names: roleNames,
      role_names: roleNames,
      ansible_role_names: [...new Set([...dependentNames, ...roleNames])],
      ansible_dependent_role_names: dependentNames,
      ansible_check_mode: run.checkMode,
      ansible_diff_mode: run.diffMode,
      ansible_forks: run.forks,
      ansible_verbosity: run.verbosity,
      ansible_version: ANSIBLE_COMPAT_VERSION,
      ansible_run_tags: run.runTags,
      ansible_skip_tags: run.skipTags,
      ansible_inventory_sources: inventory.sources(),
      ansible_config_file: run.configFile ?? null,
      ansible_playbook_python: '/usr/bin/python3',
      omit: manager.omit,
      hostvars: this.hostvars,
      ...(source ? { inventory_dir: source.dir, inventory_file: source.file } : { inventory_dir: null, inventory_file: null }),
    };
    Object.defineProperties(magic, {
      groups: { enumerable: true, get: () => inventory.groups() },
      group_names: { enumerable: true, get: () => inventory.groupNames(host) },
      ansible_play_hosts_all: { enumerable: true, get: () => lists.all },
      ansible_play_hosts: { enumerable: true, get: () => lists.active },
      ansible_play_batch: { enumerable: true, get: () => lists.batch },
      play_hosts: { enumerable: true, get: () => lists.batch },
    });
    this.magicByHost.set(host, magic);
    return magic;
  }

  private varsFiles(host: string): Record<string, unknown> {
    let vars = this.varsFilesOf.get(host);
    if (!vars) {
      // Registered before loading: file names may template variables, whose scope includes
      // this layer; entries fill it in place, so later names see earlier files.
      vars = {};
      this.varsFilesOf.set(host, vars);
      this.varsFilesLoader?.(host, vars);
    }
    return vars;
  }

  /** Play-level layers for a host (what hostvars[host] shows): no task, no role. */
  playLayers(host: string): VarLayer[] {
    const { store, inventory, extraVars } = this.manager;
    return [
      this.magic(host),
      extraVars,
      store.nonPersistentOf(host),
      store.includeVarsOf(host),
      this.rolesVars,
      this.varsFiles(host),
      this.playVars,
      store.factsLayer(host),
      inventory.hostVars(host, this.play.basedir),
      this.rolesDefaults,
    ];
  }

  /** The scope a task sees on a host. `extra` layers (loop vars) go on top. */
  scope(host: string, task?: Task, ...extra: VarLayer[]): LayeredScope {
    if (!task) return new LayeredScope([...extra, ...this.playLayers(host)]);
    const { store, inventory, extraVars } = this.manager;
    const role = task.role;
    const roleLayers = role ? this.roleLayersOf(role) : undefined;
    const layers: VarLayer[] = [...extra, this.magic(host)];
    if (role) layers.push(taskRoleMagic(role));
    layers.push(extraVars);
    const includeParams = includeParamsChain(task);
    if (includeParams) layers.push(includeParams);
    if (roleLayers) layers.push(roleLayers.params);
    layers.push(store.nonPersistentOf(host), store.includeVarsOf(host));
    const taskVars = task.varsChain();
    for (let i = taskVars.length - 1; i >= 0; i--) layers.push(taskVars[i]!);
    if (roleLayers) layers.push(roleLayers.vars);
    layers.push(
      this.rolesVars,
      this.varsFiles(host),
      this.playVars,
      store.factsLayer(host),
      inventory.hostVars(host, this.play.basedir),
    );
    if (roleLayers) layers.push(roleLayers.defaults);
    layers.push(this.rolesDefaults);
    return new LayeredScope(layers);
  }
}

const roleMagicCache = new WeakMap<RoleInstance, Record<string, unknown>>();

function taskRoleMagic(role: RoleInstance): Record<string, unknown> {
  let magic = roleMagicCache.get(role);
  if (!magic) {
    magic = {
      role_name: role.name,
      ansible_role_name: role.name,
      role_path: role.path,
      ansible_collection_name: null,
    };
    roleMagicCache.set(role, magic);
  }
  return magic;
}

/** Parameters of the include_tasks/include_role statements a task was included by (and its own, for an include). */
function includeParamsChain(task: Task): Record<string, unknown> | undefined {
  const chain: Readonly<Record<string, unknown>>[] = [];
  if (task.includeParams) chain.push(task.includeParams);
  for (let node = task.parent; node; node = node.parent) {
    if (node instanceof IncludedBlock) chain.push(node.includeParams);
  }
  if (chain.length === 0) return undefined;
  return chain.length === 1 ? (chain[0] as Record<string, unknown>) : merge(chain.reverse());
}

/** `hostvars`: every inventory host's play-level variables, computed when read. */
export class HostVars implements VarScope {
  constructor(private readonly playVars: PlayVariables) {}

  has(name: string): boolean {
    return this.playVars.manager.inventory.hasHost(name);
  }

  get(name: string): VarScope | undefined {
    // Built on each read: cheap, and never stale after add_host or group_by.
    return this.has(name) ? new LayeredScope(this.playVars.playLayers(name)) : undefined;
  }

  names(): Iterable<string> {
    return this.playVars.manager.inventory.groups().all ?? [];
  }
}
