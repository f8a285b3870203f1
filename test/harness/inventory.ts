// Writes INI inventories for test hosts, as ansible-playbook and tsplay both read them.
import { writeFileSync } from 'node:fs';

export type InventoryVars = Record<string, string | number | boolean>;

export interface InventoryHost {
  name: string;
  vars?: InventoryVars;
}

function iniValue(value: string | number | boolean): string {
  const text = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  return /[\s'"#;=]/.test(text) ? `'${text.replace(/'/g, "'\\''")}'` : text;
}

function iniVars(vars: InventoryVars | undefined): string {
  return Object.entries(vars ?? {})
    .map(([key, value]) => ` ${key}=${iniValue(value)}`)
    .join('');
}

/** groups: group name -> hosts; groupVars: group name (or "all") -> vars. */
export function inventoryText(groups: Record<string, readonly InventoryHost[]>, groupVars: Record<string, InventoryVars> = {}): string {
  const sections: string[] = [];
  for (const [group, hosts] of Object.entries(groups)) {
    sections.push(`[${group}]\n${hosts.map((host) => `${host.name}${iniVars(host.vars)}`).join('\n')}\n`);
  }
  for (const [group, vars] of Object.entries(groupVars)) {
    sections.push(`[${group}:vars]\n${Object.entries(vars).map(([key, value]) => `${key}=${iniValue(value)}`).join('\n')}\n`);
  }
  return sections.join('\n');
}

export function writeInventory(file: string, groups: Record<string, readonly InventoryHost[]>, groupVars: Record<string, InventoryVars> = {}): void {
  writeFileSync(file, inventoryText(groups, groupVars));
}
