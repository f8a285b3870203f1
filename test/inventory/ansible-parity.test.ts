// tsplay's inventory against Ansible's: every case of cases.ts against the outputs
// recorded from ansible-inventory / ansible --list-hosts, and the `live` ones against the
// tools run now, so the recordings cannot drift from the installed Ansible.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPECTED, plain, portable, runAnsible, squeezeWarnings } from './ansible-oracle.js';
import { INVENTORY_CASES, PATTERN_CASES, type InventoryCase } from './cases.js';
import { parseAnsibleInventory, parseListHosts, type RecordedInventory, type RecordedListHosts } from './parse-ansible.js';
import { tsplayInventory, tsplayListHosts } from './tsplay-side.js';

const recordedInventory = JSON.parse(readFileSync(join(EXPECTED, 'ansible-inventory.json'), 'utf8')) as Record<string, RecordedInventory>;
const recordedListHosts = JSON.parse(readFileSync(join(EXPECTED, 'list-hosts.json'), 'utf8')) as Record<string, RecordedListHosts>;

/** Only the YAML parser's own problem text may differ (documented in the case's note). */
function comparableWarnings(c: InventoryCase, warnings: string[]): string[] {
  if (!c.note) return warnings;
  return warnings.map((w) => w.replace(/SyntaxErrorwhileloadingYAML\..*?Theerrorappearstobein/, 'SyntaxErrorwhileloadingYAML.<problem>Theerrorappearstobein'));
}

function comparableError(c: InventoryCase, error: string | undefined): string | undefined {
  if (error === undefined || !c.note) return error;
  return error.split('Syntax Error while loading YAML.')[0];
}

function expectSameInventory(c: InventoryCase, expected: RecordedInventory): void {
  const mine = tsplayInventory(c.args, c.env);
  expect(portable(plain(mine.output))).toEqual(plain(expected.output));
  expect(comparableWarnings(c, portable(squeezeWarnings(mine.warnings)))).toEqual(comparableWarnings(c, expected.warnings));
  expect(mine.code).toBe(expected.code);
  expect(comparableError(c, portable(mine.error))).toEqual(comparableError(c, expected.error));
}

describe('ansible-inventory parity (recorded)', () => {
  for (const c of INVENTORY_CASES) {
    it(`${c.id}: ansible-inventory ${c.args.join(' ')}`, () => {
      const expected = recordedInventory[c.id];
      expect(expected, `no recording for ${c.id}: run test/inventory/record-expected.ts`).toBeDefined();
      expectSameInventory(c, expected!);
    });
  }
});

describe('ansible-inventory parity (live)', () => {
  const live = INVENTORY_CASES.filter((c) => c.live);
  it.concurrent.each(live.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const expected = portable(parseAnsibleInventory(c.args, await runAnsible('ansible-inventory', c.args, { env: c.env ?? {} })));
    expect(expected).toEqual(recordedInventory[c.id]);
    expectSameInventory(c, expected);
  });
});

function expectSameListHosts(pattern: string, limit: string | undefined, expected: RecordedListHosts): void {
  const mine = tsplayListHosts('patterns/hosts.ini', pattern, limit);
  expect(mine.hosts).toEqual(expected.hosts);
  expect(portable(squeezeWarnings(mine.warnings))).toEqual(expected.warnings);
  expect(mine.error).toEqual(expected.error);
}

describe('host patterns and --limit (recorded from ansible --list-hosts)', () => {
  for (const c of PATTERN_CASES) {
    it(`${c.pattern}${c.limit ? ` -l ${c.limit}` : ''}`, () => {
      expectSameListHosts(c.pattern, c.limit, recordedListHosts[c.id]!);
    });
  }
});

describe('host patterns (live)', () => {
  const live = PATTERN_CASES.filter((c) => ['app:!staging', 'web[-1]', '~(db|lone)', 'limit file'].includes(c.id));
  it.concurrent.each(live.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const args = ['-i', 'patterns/hosts.ini', c.pattern, '--list-hosts', ...(c.limit ? ['-l', c.limit] : [])];
    const expected = portable(parseListHosts(await runAnsible('ansible', args)));
    expect(expected).toEqual(recordedListHosts[c.id]);
    expectSameListHosts(c.pattern, c.limit, expected);
  });
});
