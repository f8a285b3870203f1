// Every inventory plugin tsplay knows, by name and FQCN. Sources are tried with the
// enabled ones (enable_plugins); a YAML file naming a plugin (`plugin: amazon.aws.aws_ec2`)
// reaches any registered one through `auto`. Other packages (e.g. a cloud inventory)
// add theirs with registerInventoryPlugin.
import type { InventoryPlugin } from './plugin.js';

const plugins = new Map<string, InventoryPlugin>();

export function registerInventoryPlugin(plugin: InventoryPlugin): void {
  for (const name of [plugin.name, ...(plugin.aliases ?? [])]) plugins.set(name, plugin);
}

export function findInventoryPlugin(name: string): InventoryPlugin | undefined {
  return plugins.get(name) ?? plugins.get(name.replace(/^ansible\.(?:builtin|legacy)\./, ''));
}
