// Templates run through tsplay and compared with what ansible-core 2.14 produced for them
// (recorded by oracle/generate.py from oracle/cases.yml into data/oracle-expected.json).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTemplar, TemplateError } from '../../src/template/index.js';
import { isNativeText } from '../../src/template/render-state.js';

interface Expected {
  value?: unknown;
  type?: string;
  text?: string;
  error?: string;
}

interface OracleCase {
  group: string;
  template: string;
  mode: 'arg' | 'file' | 'cond';
  expected: Expected;
  /** For errors whose full text depends on Python internals (recursion depth): a part both must contain. */
  check?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = resolve(here, 'fixtures');
const data = JSON.parse(readFileSync(resolve(here, 'data/oracle-expected.json'), 'utf8').replaceAll('<FIXTURES>', fixtures)) as {
  vars: Record<string, unknown>;
  cases: OracleCase[];
};

const templar = createTemplar({ searchPath: [fixtures] });

function pythonType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (typeof value === 'string') return isNativeText(value) ? 'NativeJinjaText' : 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** Python types tsplay represents the same way (integral floats leave the templar as numbers). */
function normaliseType(type: string, value: unknown): string {
  if (type === 'AnsibleUnsafeText') return 'str';
  if (type === 'NativeJinjaUnsafeText') return 'NativeJinjaText';
  if (type === 'float' && typeof value === 'number' && Number.isInteger(value)) return 'int';
  if (type === 'tuple' || type === 'set') return 'list';
  return type;
}

function run(c: OracleCase): Expected {
  try {
    if (c.mode === 'file') return { value: templar.renderFile(c.template, data.vars, { path: resolve(fixtures, 'inline.j2') }) };
    if (c.mode === 'cond') return { value: templar.evaluateConditional(c.template, data.vars) };
    return { value: templar.template(c.template, data.vars) };
  } catch (e) {
    if (e instanceof TemplateError) return { error: e.describe() };
    throw e;
  }
}

beforeAll(() => {
  process.env.TSPLAY_TEST_ENV = 'from-env';
});

describe('templating semantics recorded from ansible-core 2.14', () => {
  const groups = new Map<string, OracleCase[]>();
  for (const c of data.cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  for (const [group, cases] of groups) {
    describe(group, () => {
      for (const c of cases) {
        it(`${c.mode}: ${c.template}`, () => {
          const actual = run(c);
          if (c.check !== undefined) {
            expect(String(c.expected.error ?? c.expected.value)).toContain(c.check);
            expect(String(actual.error ?? actual.value)).toContain(c.check);
            return;
          }
          if (c.expected.error !== undefined) {
            expect(actual.error ?? actual.value).toBe(c.expected.error);
            return;
          }
          expect(actual.error).toBeUndefined();
          expect(actual.value).toEqual(c.expected.value);
          if (c.mode === 'arg') expect(pythonType(actual.value)).toBe(normaliseType(c.expected.type!, c.expected.value));
        });
      }
    });
  }
});
