// The Templar API as the engine uses it: task arguments, data structures, conditionals,
// loops through lookups, lazy variables, hostvars, unsafe data, omit. Expected values are
// what ansible-core 2.14 does (see oracle/cases.yml for the recorded ones).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTemplar, markUnsafe, stripOmitted, makeOmitValue, isOmitted, TemplateError } from '../../src/template/index.js';
import { LayeredScope } from '../../src/vars/scope.js';

const templar = createTemplar();
const dir = mkdtempSync(join(tmpdir(), 'tsplay-templar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function error(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

describe('template (task arguments)', () => {
  it('returns strings without template syntax unchanged, even when they look like data', () => {
    expect(templar.template('[1, 2]', {})).toBe('[1, 2]');
    expect(templar.template('True', {})).toBe('True');
    expect(templar.isTemplate('a {{ b }}')).toBe(true);
    expect(templar.isTemplate('a {% if %}')).toBe(true);
    expect(templar.isTemplate('a {# c #}')).toBe(true);
    expect(templar.isTemplate('a { b }')).toBe(false);
  });

  it('keeps the type of a variable referenced alone', () => {
    const vars = { n: 7, b: false, z: null, s: '7', l: [1, 2] };
    expect(templar.template('{{ n }}', vars)).toBe(7);
    expect(templar.template('{{b}}', vars)).toBe(false);
    expect(templar.template('{{ z }}', vars)).toBeNull();
    expect(templar.template('{{ s }}', vars)).toBe('7');
    expect(templar.template('{{ l }}', vars)).toEqual([1, 2]);
    expect(templar.template('{{ n + 0 }}', vars)).toBe('7');
  });

  it('gives a fresh copy of list and dict values, not the variable itself', () => {
    const l = [1, { a: 2 }];
    const out = templar.template('{{ l }}', { l }) as unknown[];
    expect(out).toEqual(l);
    expect(out).not.toBe(l);
  });

  it('converts data only when asked to', () => {
    expect(templar.template('{{ [1] }}', {}, { convertData: false })).toBe('[1]');
    expect(templar.template("{{ '{\"a\": true}' }}", {})).toEqual({ a: true });
  });

  it('keeps or drops trailing newlines', () => {
    expect(templar.template('{{ "x" }}\n\n', {})).toBe('x\n\n');
    expect(templar.template('{{ "x" }}\n\n', {}, { preserveTrailingNewlines: false })).toBe('x\n');
  });

  it('unboxes Python floats and tuples at the boundary', () => {
    expect(templar.template('{{ [10 / 2, (1, 2)] }}', {})).toEqual([5, [1, 2]]);
    expect(templar.template('{{ 10 / 2 }}', {})).toBe('5.0');
  });

  it('reports errors with Ansible type and message', () => {
    const e = error(() => templar.template('{{ nope }}', {}));
    expect(e.type).toBe('AnsibleUndefinedVariable');
    expect(e.message).toBe("'nope' is undefined. 'nope' is undefined");
    expect(e.describe()).toBe("AnsibleUndefinedVariable: 'nope' is undefined. 'nope' is undefined");
    const syntax = error(() => templar.template('{{ 1 + }}', {}));
    expect(syntax.type).toBe('AnsibleError');
    expect(syntax.message).toMatch(/^template error while templating string: .*\. String: \{\{ 1 \+ \}\}/);
    const filter = error(() => templar.template('{{ nope | mandatory }}', {}));
    expect(filter.type).toBe('AnsibleFilterError');
  });

  it('refuses lookups when they are disabled', () => {
    const e = error(() => templar.template("{{ lookup('env', 'HOME') }}", {}, { disableLookups: true }));
    expect(e.message).toBe('The lookup `env` was found, however lookups were disabled from templating');
  });
});

describe('templateData', () => {
  it('templates strings at any depth, leaves keys and other values alone', () => {
    const data = { '{{ k }}': ['{{ a }}', 1, { n: '{{ a | upper }}', b: true }], plain: 'x' };
    expect(templar.templateData(data, { a: 'v', k: 'key' })).toEqual({ '{{ k }}': ['v', 1, { n: 'V', b: true }], plain: 'x' });
  });

  it('leaves unsafe data untemplated', () => {
    const registered = markUnsafe({ stdout: '{{ secret }}' });
    expect(templar.templateData(registered, { secret: 's' })).toBe(registered);
  });
});

describe('variables', () => {
  it('templates variables lazily, through other variables, once per call', () => {
    let reads = 0;
    const scope = new LayeredScope([
      {
        get counted() {
          reads++;
          return '{{ base }}-x';
        },
        base: '{{ root | upper }}',
        root: 'r',
        list: ['{{ base }}', 2],
      },
    ]);
    expect(templar.template('{{ counted }} {{ counted }} {{ list }}', scope)).toBe("R-x R-x ['R', 2]");
    expect(reads).toBe(1);
  });

  it('makes a variable whose template fails on an undefined an undefined itself', () => {
    const vars = { a: '{{ missing }}' };
    expect(templar.template("{{ a | default('fallback') }}", vars)).toBe('fallback');
    expect(templar.template('{{ a is defined }}', vars)).toBe(false);
    expect(error(() => templar.template('{{ a }}', vars)).message).toBe(
      "{{ missing }}: 'missing' is undefined. 'missing' is undefined. {{ missing }}: 'missing' is undefined. 'missing' is undefined",
    );
  });

  it('detects a variable that needs itself', () => {
    const e = error(() => templar.template('{{ a }}', { a: '{{ b }}', b: '{{ a }}' }));
    expect(e.type).toBe('AnsibleError');
    expect(e.message).toContain('recursive loop detected in template string');
  });

  it('hands `vars` over untemplated', () => {
    const layer = { a: '{{ b }}', b: 'B' };
    const scope = new LayeredScope([layer]);
    expect(templar.template("{{ vars['a'] }}", new LayeredScope([{ vars: scope }, layer]))).toBe('{{ b }}');
  });

  it('reads hostvars lazily, each host templated in its own scope', () => {
    const web = new LayeredScope([{ port: '{{ base + 1 }}', base: 8000 }]);
    const db = new LayeredScope([{ port: 5432, broken: '{{ nope }}' }]);
    const asDict = { inventory_hostname: 'web', hostvars: { web, db } };
    expect(templar.template('{{ hostvars[inventory_hostname].port }} {{ hostvars.db.port }}', asDict)).toBe('8001 5432');
    expect(templar.template('{{ hostvars | length }} {{ "db" in hostvars }} {{ hostvars.db.broken | default("d") }}', asDict)).toBe(
      '2 True d',
    );
    const asScope = { hostvars: new LayeredScope([{ web, db }]) };
    expect(templar.template("{{ hostvars['web']['port'] }}", asScope)).toBe('8001');
  });

  it('does not template registered (unsafe) data again, nor what was made from it', () => {
    const out = markUnsafe({ stdout: 'x={{ x }}' });
    const copied = templar.template('{{ out.stdout }}', { out, x: 'secret' });
    expect(copied).toBe('x={{ x }}');
    expect(templar.template('{{ copied }}', { copied, x: 'secret' })).toBe('x={{ x }}');
    expect(templar.template('{{ plain }}', { plain: 'y={{ x }}', x: 'secret' })).toBe('y=secret');
  });
});

describe('evaluateConditional', () => {
  it('treats empty, missing and boolean conditionals as Ansible does', () => {
    expect(templar.evaluateConditional(null, {})).toBe(true);
    expect(templar.evaluateConditional('', {})).toBe(true);
    expect(templar.evaluateConditional(false, {})).toBe(false);
    expect(templar.evaluateConditional('x == 1', { x: 1 })).toBe(true);
    expect(templar.evaluateConditional('{{ x }}', { x: [] })).toBe(false);
  });

  it('forgives an undefined variable only when the conditional tests it', () => {
    expect(templar.evaluateConditional('nope is not defined', {})).toBe(true);
    expect(templar.evaluateConditional("hostvars['h'].x is defined", { hostvars: {} })).toBe(false);
    const e = error(() => templar.evaluateConditional('nope == 1', {}));
    expect(e.message).toBe(
      "The conditional check 'nope == 1' failed. The error was: error while evaluating conditional (nope == 1): 'nope' is undefined. 'nope' is undefined",
    );
  });
});

describe('evaluateExpression', () => {
  it('evaluates a bare expression to its value', () => {
    expect(templar.evaluateExpression('items | map("upper") | list', { items: ['a'] })).toEqual(['A']);
    expect(templar.evaluateExpression('n', { n: 3 })).toBe(3);
  });
});

describe('lookup (with_<name> loops)', () => {
  it('templates and listifies the terms as Ansible does', () => {
    expect(templar.lookup('items', '{{ l }}', { l: [1, [2, 3]] })).toEqual([1, 2, 3]);
    expect(templar.lookup('items', ['a', ['{{ b }}']], { b: 'B' })).toEqual(['a', 'B']);
    expect(templar.lookup('items', 'single', {})).toEqual(['single']);
    expect(templar.lookup('dict', { x: 1 }, {})).toEqual([{ key: 'x', value: 1 }]);
    expect(templar.lookup('indexed_items', ['a'], {})).toEqual([[0, 'a']]);
    expect(templar.lookup('sequence', 'start=1 end=3', {})).toEqual(['1', '2', '3']);
  });

  it('finds files under files/ of the search path', () => {
    writeFileSync(join(dir, 'f.txt'), 'content\n');
    expect(templar.lookup('file', ['f.txt'], {}, { searchPath: [dir] })).toEqual(['content']);
    expect(error(() => templar.lookup('file', ['none.txt'], {}, { searchPath: [dir] })).message).toContain(
      'could not locate file in lookup: none.txt',
    );
    expect(error(() => templar.lookup('nosuch', [], {})).message).toBe('lookup plugin (nosuch) not found');
  });
});

describe('renderFile (template module)', () => {
  it('renders text without conversion, with the template_* variables', () => {
    const path = join(dir, 't.j2');
    const out = templar.renderFile('{{ [1] }} {{ template_path }} {{ template_destpath }} {{ template_fullpath == full }}\n', { full: path }, {
      path,
      templatePath: 't.j2',
      destPath: '/etc/x.conf',
    });
    expect(out).toBe('[1] t.j2 /etc/x.conf True\n');
  });

  it('applies the template module options and #jinja2 overrides', () => {
    const path = join(dir, 'u.j2');
    expect(templar.renderFile('  {% if true %}\nx\n  {% endif %}\n', {}, { path, jinja: { lstripBlocks: true } })).toBe('x\n');
    expect(templar.renderFile('#jinja2: variable_start_string: "[[", variable_end_string: "]]"\n[[ a ]] {{ a }}\n', { a: 1 }, { path })).toBe(
      '1 {{ a }}\n',
    );
    expect(templar.renderFile('a\r\nb {{ 1 }}\n', {}, { path, jinja: { newlineSequence: '\r\n' } })).toBe('a\r\nb 1\r\n');
  });
});

describe('omit', () => {
  it('drops dict entries rendered to the omit placeholder', () => {
    const omit = makeOmitValue();
    expect(omit).toMatch(/^__omit_place_holder__[0-9a-f]{40}$/);
    const args = templar.templateData({ a: '{{ x | default(omit) }}', b: 1, c: { d: '{{ omit }}' }, l: ['{{ omit }}'] }, { omit });
    expect(stripOmitted(args, omit)).toEqual({ b: 1, c: {}, l: [omit] });
    expect(isOmitted(omit, omit)).toBe(true);
  });
});

describe('failOnUndefined: false', () => {
  it('returns the original text when a variable is undefined (task names)', () => {
    expect(templar.template('install {{ pkg }}', {}, { failOnUndefined: false })).toBe('install {{ pkg }}');
    expect(templar.template('install {{ pkg }}', { pkg: 'x' }, { failOnUndefined: false })).toBe('install x');
    expect(() => templar.template('{{ 1 + "a" }}', {}, { failOnUndefined: false })).toThrow(TemplateError);
  });
});

describe('no JS reaches templates', () => {
  it('exposes only Python attributes and methods', () => {
    const vars = { s: 'abc', l: [1, 2], d: { a: 1 } };
    for (const expr of ['s.constructor', 'l.map', 'd.constructor', 'd.__proto__', 's.length', "s['length']", 'l.length', 'd.hasOwnProperty', 's.charAt']) {
      expect(templar.template(`{{ (${expr}) is defined }}`, vars), expr).toBe(false);
    }
    expect(templar.template("{{ s.replace('b', 'B') }} {{ 'aXbXc'.split('X') }}", vars)).toBe("aBc ['a', 'b', 'c']");
    expect(error(() => templar.template('{{ l.map(1) }}', vars)).message).toBe("'list object' has no attribute 'map'. 'list object' has no attribute 'map'");
  });
});

describe('evaluateExpression with a template', () => {
  it('templates an expression already written with braces as it is', () => {
    expect(templar.evaluateExpression('{{ n + 1 }}', { n: 1 })).toBe('2');
  });
});
