// Resolves the names tasks use (short names, ansible.builtin.*, ansible.legacy.*,
// amazon.aws.*, community.aws.*) to module definitions.
import type { ModuleDefinition } from './module.js';

const modules = new Map<string, ModuleDefinition<never>>();

function shortName(fqcn: string): string {
  return fqcn.slice(fqcn.lastIndexOf('.') + 1);
}

export function registerModule(definition: ModuleDefinition<never>): void {
  const names = new Set([definition.name, shortName(definition.name), ...(definition.aliases ?? [])]);
  if (definition.name.startsWith('ansible.builtin.')) names.add(`ansible.legacy.${shortName(definition.name)}`);
  for (const name of names) {
    const existing = modules.get(name);
    if (existing && existing !== definition) throw new Error(`module name ${name} registered twice (${existing.name}, ${definition.name})`);
    modules.set(name, definition);
  }
}

export function findModule(name: string): ModuleDefinition | undefined {
  return modules.get(name) as ModuleDefinition | undefined;
}

export function allModules(): ModuleDefinition[] {
  return [...new Set(modules.values())] as ModuleDefinition[];
}
