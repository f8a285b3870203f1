// The views of `ansible-inventory`: --list (JSON, optionally --export) and --graph.
// Used to compare tsplay's inventory with Ansible's and for a `tsplay-inventory` command.
import { TsplayError } from '../errors.js';
import { pyStr } from '../template/runtime/repr.js';
import type { Group } from './group.js';
import type { Inventory } from './inventory.js';
import type { Vars } from './combine-vars.js';

/** Variables ansible-inventory never shows (run-level and magic variables). */
export const INTERNAL_VARS: ReadonlySet<string> = new Set([
  'ansible_diff_mode',
  'ansible_config_file',
  'ansible_facts',
  'ansible_forks',
  'ansible_inventory_sources',
  'ansible_limit',
  'ansible_playbook_python',
  'ansible_run_tags',
  'ansible_skip_tags',
  'ansible_verbosity',
  'ansible_version',
  'inventory_dir',
  'inventory_file',
  'inventory_hostname',
  'inventory_hostname_short',
  'groups',
  'group_names',
  'omit',
  'playbook_dir',
]);

export interface ListingOptions {
  /** --export: each group's and host's own variables instead of every host's merged ones. */
  export?: boolean;
  /** --playbook-dir; without it the merged (non-export) view uses `cwd` as Ansible does. */
  playbookDir?: string;
  cwd?: string;
}

function withoutInternal(vars: Vars): Vars {
  const out: Vars = {};
  for (const [k, v] of Object.entries(vars)) if (!INTERNAL_VARS.has(k)) out[k] = v;
  return out;
}

function hostVariables(inventory: Inventory, host: string, options: ListingOptions): Vars {
  if (options.export) {
    return withoutInternal(inventory.hostVarsForExport(host, options.playbookDir ? [options.playbookDir] : []));
  }
  const basedir = options.playbookDir ?? options.cwd ?? process.cwd();
  return withoutInternal({ ...inventory.hostVars(host, [basedir]) });
}

function groupVariables(inventory: Inventory, group: string, options: ListingOptions): Vars {
  return withoutInternal(inventory.groupVarsForExport(group, options.playbookDir ? [options.playbookDir] : []));
}

/** `ansible-inventory --list [--export]` as data (JSON.stringify it with sorted keys to print). */
export function inventoryList(inventory: Inventory, options: ListingOptions = {}): Record<string, unknown> {
  const seen = new Set<string>();
  const results: Record<string, unknown> = {};

  const formatGroup = (group: Group): void => {
    const entry: Record<string, unknown> = {};
    results[group.name] = entry;
    if (group.name !== 'all') entry.hosts = group.hosts.map((h) => h.name);
    entry.children = group.childGroups.map((c) => c.name);
    for (const child of group.childGroups) {
      if (!seen.has(child.name)) {
        formatGroup(child);
        seen.add(child.name);
      }
    }
    if (options.export) entry.vars = groupVariables(inventory, group.name, options);
    for (const key of ['hosts', 'vars', 'children']) {
      const value = entry[key];
      if (value !== undefined && (Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0)) {
        delete entry[key];
      }
    }
    if (Object.keys(entry).length === 0) delete results[group.name];
  };

  formatGroup(inventory.data.group('all'));
  const hostvars: Record<string, Vars> = {};
  for (const host of inventory.getHosts('all')) {
    const vars = hostVariables(inventory, host.name, options);
    if (Object.keys(vars).length > 0) hostvars[host.name] = vars;
  }
  results._meta = { hostvars };
  return results;
}

/** `ansible-inventory --graph [group] [--vars]` text. */
export function inventoryGraph(inventory: Inventory, groupName = 'all', options: ListingOptions & { vars?: boolean } = {}): string {
  const start = inventory.getGroup(groupName);
  if (!start) throw new TsplayError('Pattern must be valid group name when using --graph');
  const line = (name: string, depth: number) => (depth ? `${'  |'.repeat(depth)}--${name}` : name);
  const showVars = (vars: Vars, depth: number) =>
    Object.keys(vars)
      .sort()
      .map((k) => line(`{${k} = ${pyStr(vars[k])}}`, depth));

  const graphGroup = (group: Group, depth: number): string[] => {
    const out = [line(`@${group.name}:`, depth)];
    for (const child of group.childGroups) out.push(...graphGroup(child, depth + 1));
    if (group.name !== 'all') {
      for (const host of group.hosts) {
        out.push(line(host.name, depth + 1));
        if (options.vars) out.push(...showVars(hostVariables(inventory, host.name, options), depth + 2));
      }
    }
    if (options.vars) out.push(...showVars(groupVariables(inventory, group.name, options), depth + 1));
    return out;
  };
  return graphGroup(start, 0).join('\n');
}
