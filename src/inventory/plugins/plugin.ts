// The contract of an inventory source plugin (ini, yaml, script, host_list, auto and any
// added later, such as a cloud inventory). As in Ansible, each enabled plugin is asked in
// turn whether it wants a source, and the first that parses it without error wins.
import { accessSync, constants, statSync } from 'node:fs';
import { TsplayError } from '../../errors.js';
import type { InventoryData } from '../inventory-data.js';

/**
 * A problem in an inventory source's structure. `pos` points at it for tools, but as in
 * Ansible the message is shown without a source excerpt (INI messages carry `path:line:`).
 */
export class InventorySourceError extends TsplayError {
  override describe(): string {
    return this.message;
  }
}

export interface InventoryPluginContext {
  readonly data: InventoryData;
  warn(message: string): void;
}

export interface InventoryPlugin {
  /** Short name, as in `enable_plugins` and in failure messages (ini, yaml...). */
  readonly name: string;
  /** Other names it may be enabled or referenced by (FQCN). */
  readonly aliases?: readonly string[];
  /** Whether this plugin wants to try the source (a path, or a string such as `a,b,`). */
  verifyFile(source: string): boolean;
  /** Adds the source's hosts and groups to ctx.data; throws TsplayError when it cannot. */
  parse(ctx: InventoryPluginContext, source: string): void;
}

/** Ansible's base verify_file: the path exists and is readable. */
export function isReadablePath(path: string): boolean {
  try {
    statSync(path);
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
