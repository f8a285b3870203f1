// tsplay's configuration against `ansible-config dump --only-changed -t all` for every
// case of cases.ts (recorded), and live for a few so the recording cannot drift.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_CASES } from './cases.js';
import { ansibleAnswer, tsplayAnswer, type ConfigAnswer } from './oracle.js';

const recorded = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'expected', 'ansible-config.json'), 'utf8'),
) as Record<string, ConfigAnswer>;

const byName = (settings: { name: string }[]) => [...settings].sort((a, b) => (a.name < b.name ? -1 : 1));

function expectSame(mine: ConfigAnswer, expected: ConfigAnswer): void {
  expect(byName(mine.base)).toEqual(byName(expected.base));
  for (const [plugin, options] of Object.entries(expected.plugins)) {
    expect({ plugin, options: byName(mine.plugins[plugin] ?? []) }).toEqual({ plugin, options: byName(options) });
  }
  expect(mine.warnings).toEqual(expected.warnings);
  expect(mine.deprecations).toEqual(expected.deprecations);
  expect(mine.error).toEqual(expected.error);
  expect(mine.code).toBe(expected.code);
}

describe('ansible.cfg and ANSIBLE_* (recorded from ansible-config)', () => {
  for (const c of CONFIG_CASES) {
    it(c.id, () => {
      expect(recorded[c.id], `no recording for ${c.id}: run test/config/record-expected.ts`).toBeDefined();
      expectSame(tsplayAnswer(c), recorded[c.id]!);
    });
  }
});

describe('ansible.cfg and ANSIBLE_* (live)', () => {
  const live = CONFIG_CASES.filter((c) => c.live);
  it.concurrent.each(live.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const expected = await ansibleAnswer(c);
    expect(expected).toEqual(recorded[c.id]);
    expectSame(tsplayAnswer(c), expected);
  });
});
