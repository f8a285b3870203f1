// tsplay's side of the comparisons: the same command lines as ansible-inventory and
// `ansible <pattern> --list-hosts`, answered by the inventory package.
import { join, resolve } from 'node:path';
import { TsplayError } from '../../src/errors.js';
import { loadConfig } from '../../src/config/load-config.js';
import { inventoryOptionsFromConfig } from '../../src/inventory/from-config.js';
import { InventoryLoadError, loadInventory, type Inventory } from '../../src/inventory/inventory.js';
import { inventoryGraph, inventoryList } from '../../src/inventory/listing.js';
import { FIXTURES } from './ansible-oracle.js';

export interface InventoryOutput {
  /** --list: the JSON data; --graph: the text; null after an error */
  output: unknown;
  warnings: string[];
  code: number;
  error?: string;
}

/** `ansible-inventory <args>` with the ANSIBLE_* settings of `env`. */
export function tsplayInventory(args: readonly string[], env: Record<string, string> = {}, cwd = FIXTURES): InventoryOutput {
  const sources: string[] = [];
  let playbookDir: string | undefined;
  args.forEach((a, i) => {
    if (a === '-i') sources.push(args[i + 1]!);
    if (a === '--playbook-dir') playbookDir = resolve(cwd, args[i + 1]!);
  });
  const config = loadConfig({ env: { ...env, ANSIBLE_CONFIG: join(FIXTURES, 'ansible.cfg') }, cwd, home: '/nonexistent-home' });
  let inventory: Inventory | undefined;
  try {
    inventory = loadInventory(sources, inventoryOptionsFromConfig(config, { cwd, env: {}, home: '/root' }));
    const options = { export: args.includes('--export'), playbookDir, cwd, vars: args.includes('--vars') };
    const output = args.includes('--graph') ? inventoryGraph(inventory, 'all', options) : inventoryList(inventory, options);
    return { output, warnings: inventory.takeWarnings(), code: 0 };
  } catch (err) {
    if (!(err instanceof TsplayError)) throw err;
    const warnings = inventory?.takeWarnings() ?? (err instanceof InventoryLoadError ? err.warnings : []);
    return { output: null, warnings, code: err.exitCode, error: err.describe() };
  }
}

export interface ListHostsOutput {
  hosts: string[];
  warnings: string[];
  error?: string;
}

/** `ansible -i <source> <pattern> --list-hosts [-l limit]`, as the ad-hoc CLI treats errors. */
export function tsplayListHosts(source: string, pattern: string, limit?: string, cwd = FIXTURES): ListHostsOutput {
  const inventory = loadInventory([source], { cwd, env: {}, home: '/root' });
  let hosts: string[] = [];
  let error: string | undefined;
  try {
    hosts = inventory.checkHostList(limit, pattern);
  } catch (err) {
    if (!(err instanceof TsplayError)) throw err;
    // ad-hoc commands re-raise only when --limit was given
    if (limit !== undefined) error = err.message;
    else {
      hosts = [];
      const warnings = [...inventory.takeWarnings(), 'No hosts matched, nothing to do'];
      return { hosts, warnings };
    }
  }
  const result: ListHostsOutput = { hosts, warnings: inventory.takeWarnings() };
  if (error !== undefined) result.error = error;
  return result;
}
