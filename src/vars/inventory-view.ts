// What the variable manager and executor need from the inventory. The inventory
// package implements it; keeping it narrow keeps the executor independent of how
// inventories are parsed.

export interface InventoryView {
  /** Hosts matching a play's `hosts:` patterns, restricted by --limit, in play order. */
  selectHosts(patterns: readonly string[], order?: string): string[];
  /** True when the name is a host of the inventory (including implicit localhost). */
  hasHost(name: string): boolean;
  /**
   * The host's inventory-level variables (group vars by depth and priority, host vars,
   * group_vars/ and host_vars/ beside the inventory and beside the playbook), merged.
   */
  hostVars(host: string, playbookDir: string | undefined): Readonly<Record<string, unknown>>;
  /** `group_names`: the host's groups except `all`, sorted. */
  groupNames(host: string): string[];
  /** `groups`: every group with its hosts, in inventory order. */
  groups(): Readonly<Record<string, string[]>>;
  /** inventory_dir / inventory_file of a host (undefined for implicit localhost). */
  inventorySource(host: string): { dir: string; file: string } | undefined;
  /** The -i sources, for ansible_inventory_sources. */
  sources(): string[];
  /** add_host; true when the inventory changed (a new host, group or variable). */
  addHost(name: string, groups: readonly string[], vars: Record<string, unknown>): boolean;
  /** group_by; true when the host was not yet in the group. */
  addHostToGroup(host: string, group: string, parents?: readonly string[]): boolean;
}
