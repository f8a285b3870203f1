// The shared conformance corpus: snippets with the results ansible-core 2.14 produced,
// both as the template module writes them and as a task argument receives them.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTemplar, TemplateError } from '../../src/template/index.js';
import { isNativeText } from '../../src/template/render-state.js';
import { sharedPath } from '../fixtures/shared.js';

interface Case {
  id: number;
  group: string;
  template: string;
  template_output: string;
  task_arg_value: unknown;
  task_arg_type: string;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = JSON.parse(readFileSync(sharedPath('conformance/templating.json'), 'utf8')) as {
  ctx: Record<string, unknown>;
  cases: Case[];
};

const templar = createTemplar({ searchPath: [root] });

function pythonType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (typeof value === 'string') return isNativeText(value) ? 'NativeJinjaText' : 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** AnsibleUnsafeText is a str; tsplay tracks unsafe-ness only where it matters (text with template syntax). */
function expectedType(type: string): string {
  return type === 'AnsibleUnsafeText' ? 'str' : type;
}

function attempt<T>(fn: () => T): T | string {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TemplateError) return `ERR:${e.describe()}`;
    throw e;
  }
}

describe('templating conformance corpus (ansible-core 2.14)', () => {
  for (const c of corpus.cases) {
    describe(`#${c.id} ${c.group}: ${c.template}`, () => {
      it('template module output', () => {
        const out = attempt(() => templar.renderFile(c.template, corpus.ctx, { path: 'conformance.j2' }));
        expect(out).toBe(c.template_output);
      });

      it('task argument value and type', () => {
        const value = attempt(() => templar.template(c.template, corpus.ctx));
        if (c.task_arg_type === 'error') {
          expect(value).toBe(c.task_arg_value);
          return;
        }
        expect(value).toEqual(c.task_arg_value);
        expect(pythonType(value)).toBe(expectedType(c.task_arg_type));
      });
    });
  }
});
