// Records what the real Ansible tools answer for every case of cases.ts into expected/.
// Run after changing a fixture or a case:  npx vite-node test/inventory/record-expected.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPECTED, portable, runAnsible } from './ansible-oracle.js';
import { INVENTORY_CASES, PATTERN_CASES } from './cases.js';
import { parseAnsibleInventory, parseListHosts } from './parse-ansible.js';

mkdirSync(EXPECTED, { recursive: true });

const inventory: Record<string, unknown> = {};
for (const c of INVENTORY_CASES) {
  const result = await runAnsible('ansible-inventory', c.args, { env: c.env ?? {} });
  inventory[c.id] = portable(parseAnsibleInventory(c.args, result));
  process.stdout.write('.');
}
writeFileSync(join(EXPECTED, 'ansible-inventory.json'), `${JSON.stringify(inventory, null, 2)}\n`);

const patterns: Record<string, unknown> = {};
for (const c of PATTERN_CASES) {
  const args = ['-i', 'patterns/hosts.ini', c.pattern, '--list-hosts', ...(c.limit ? ['-l', c.limit] : [])];
  patterns[c.id] = portable(parseListHosts(await runAnsible('ansible', args)));
  process.stdout.write('.');
}
writeFileSync(join(EXPECTED, 'list-hosts.json'), `${JSON.stringify(patterns, null, 2)}\n`);
console.log('\nrecorded');
