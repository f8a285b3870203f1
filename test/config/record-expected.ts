// Records `ansible-config dump --only-changed -t all` for every case of cases.ts.
// Run after changing a case:  npx vite-node test/config/record-expected.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_CASES } from './cases.js';
import { ansibleAnswer } from './oracle.js';

const expectedDir = join(dirname(fileURLToPath(import.meta.url)), 'expected');
mkdirSync(expectedDir, { recursive: true });
const out: Record<string, unknown> = {};
for (const c of CONFIG_CASES) {
  out[c.id] = await ansibleAnswer(c);
  process.stdout.write('.');
}
writeFileSync(join(expectedDir, 'ansible-config.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('\nrecorded');
