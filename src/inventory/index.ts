// Inventories as Ansible 2.14 reads them. Entry point for the CLI, variable manager and
// executor.
//
// Loading
//   const inventory = loadInventory(sources, { cwd, ...inventoryOptionsFromConfig(config) });
//   `sources`: the -i values (files, directories, `host1,host2,` lists), or config.inventory
//   when no -i is given. Each source is tried with the enabled plugins (host_list, script,
//   auto, yaml, ini) like Ansible; a source no plugin can parse gives warnings (and
//   inventory.failures keeps the TsplayErrors with file:line:column), not an error, unless
//   any_unparsed_is_failed / unparsed_is_failed is set. Then, as ansible-playbook:
//   inventory.checkHostList(limit) — warns on an empty inventory, applies --limit, throws
//   "Specified inventory, host pattern and/or --limit leaves us with no hosts to target."
//
// Warnings
//   inventory.takeWarnings(): string[] — Ansible's wording, no `[WARNING]: ` prefix, each
//   message once per run; drain after loading and after every getHosts/addHost/group_by.
//   (Parse failures start with "\n* Failed to parse"; Ansible's display turns the newline
//   into a space when wrapping.)
//
// Hosts and patterns
//   getHosts(pattern | patterns, { order, ignoreLimits, ignoreRestrictions }): Host[]
//   selectHosts(patterns, order): string[]; listHosts(pattern): string[] (implicit localhost)
//   subset(limit | undefined) for --limit (patterns, `@file`); restrictToHosts(hosts) and
//   removeRestriction() for serial batches; getHost(name) (localhost names give the
//   implicit localhost: ansible_connection=local, not in `all`); hasHost, groups() (the
//   `groups` magic variable), groupNames(host), listGroups(), sources().
//
// Variables (per host, Ansible's precedence levels kept apart)
//   hostVarLayers(host, playbookDirs): [{ level, vars }] lowest precedence first:
//     all_inventory, groups_inventory, all_plugins_inventory, all_plugins_play,
//     groups_plugins_inventory, groups_plugins_play (VARIABLE_PRECEDENCE order), then
//     host_inventory (includes inventory_file/dir, inventory_hostname(_short), group_names),
//     host_plugins_inventory, host_plugins_play.
//   hostVars(host, playbookDirs): those layers merged with hash_behaviour; cached until the
//     inventory changes. playbookDirs is the play's basedir (the playbook's directory);
//     pass [] or undefined for none (ad-hoc).
//   Bad group_vars/host_vars files throw TsplayError with exitCode 4 (Ansible's parser error).
//
// Runtime changes
//   addHost(name, groups, vars): boolean (add_host; split host:port into ansible_port first)
//   addHostToGroup(host, group, parents): boolean (group_by)
//   refresh() (meta: refresh_inventory)
//
// ansible-inventory views: inventoryList(inventory, { export }), inventoryGraph(...).
export {
  Inventory,
  loadInventory,
  sortGroups,
  DEFAULT_ENABLED_PLUGINS,
  DEFAULT_IGNORE_EXTENSIONS,
  DEFAULT_VARIABLE_PRECEDENCE,
  type GetHostsOptions,
  type GroupVarsLevel,
  type HostOrder,
  type HostVarsLevel,
  type InventoryOptions,
  type InventoryVarsLevel,
  type SourceFailure,
  type VarsLayer,
} from './inventory.js';
export { InventoryData, LOCALHOST_NAMES, type TransformInvalidGroupChars } from './inventory-data.js';
export { Host } from './host.js';
export { Group } from './group.js';
export { combineVars, mergeHash, isMapping, type HashBehaviour, type Vars } from './combine-vars.js';
export { inventoryList, inventoryGraph, INTERNAL_VARS, type ListingOptions } from './listing.js';
export { inventoryOptionsFromConfig } from './from-config.js';
export { parseAddress, expandHostPattern, expandHostnameRange, isIpv4, isIpv6 } from './address.js';
export { splitHostPattern } from './patterns.js';
export { registerInventoryPlugin } from './plugins/registry.js';
export type { InventoryPlugin, InventoryPluginContext } from './plugins/plugin.js';
export { findVarsFiles, VarsFilesLoader } from './vars-files.js';
export { loadDataFile, parseDataText } from './data-file.js';
