// Argument validation against Ansible's own ArgumentSpecValidator: the same specs and
// parameters go through both, and the coerced values and the reported error must agree.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkLiteralArgs, validateArguments, validateModuleArgs } from '../../src/modules/arguments.js';
import type { ArgConstraints, ArgSpec, ArgSpecEntry, ModuleDefinition } from '../../src/modules/module.js';

interface Case {
  name: string;
  spec: ArgSpec;
  constraints?: ArgConstraints;
  params: Record<string, unknown>;
}

function pythonEntry(entry: ArgSpecEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (entry.type) out.type = entry.type;
  if (entry.required) out.required = true;
  if (entry.default !== undefined) out.default = entry.default;
  if (entry.choices) out.choices = entry.choices;
  if (entry.aliases) out.aliases = entry.aliases;
  if (entry.elements) out.elements = entry.elements;
  if (entry.noLog) out.no_log = true;
  if (entry.applyDefaults) out.apply_defaults = true;
  if (entry.options) out.options = pythonSpec(entry.options);
  Object.assign(out, pythonConstraints(entry.constraints));
  return out;
}

function pythonSpec(spec: ArgSpec): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, pythonEntry(v)]));
}

function pythonConstraints(c: ArgConstraints | undefined): Record<string, unknown> {
  if (!c) return {};
  const out: Record<string, unknown> = {};
  if (c.mutuallyExclusive) out.mutually_exclusive = c.mutuallyExclusive;
  if (c.requiredOneOf) out.required_one_of = c.requiredOneOf;
  if (c.requiredTogether) out.required_together = c.requiredTogether;
  if (c.requiredIf) out.required_if = c.requiredIf;
  if (c.requiredBy) out.required_by = c.requiredBy;
  return out;
}

// Runs every case through Ansible's validator in one Python process.
const PYTHON = String.raw`
import json, sys
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
out = []
for case in json.load(sys.stdin):
    c = case['constraints']
    v = ArgumentSpecValidator(case['spec'], mutually_exclusive=c.get('mutually_exclusive'),
        required_together=c.get('required_together'), required_one_of=c.get('required_one_of'),
        required_if=c.get('required_if'), required_by=c.get('required_by'))
    r = v.validate(case['params'])
    error = None
    if r.errors.errors:
        error = r.errors.msg
        if isinstance(r.errors.errors[0], UnsupportedError):
            error = 'Unsupported parameters for (mod) module: ' + error
    params = {k: val for k, val in r.validated_parameters.items() if val is not None}
    out.append({'error': error, 'params': params if not error else None, 'warnings': [w['option'] + '/' + w['alias'] for w in r._warnings]})
print(json.dumps(out))
`;

function ansibleValidate(cases: Case[]): { error: string | null; params: Record<string, unknown> | null }[] {
  const input = cases.map((c) => ({ spec: pythonSpec(c.spec), constraints: pythonConstraints(c.constraints), params: c.params }));
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', PYTHON], { input: JSON.stringify(input), encoding: 'utf8' }));
}

// The list of valid booleans comes from a Python set: its order is not stable.
const normalise = (message: string | null | undefined) => message?.replace(/Valid booleans include: .*$/, 'Valid booleans include: ...') ?? null;

const fileSpec: ArgSpec = {
  path: { type: 'path', required: true, aliases: ['dest', 'name'] },
  state: { type: 'str', choices: ['absent', 'directory', 'file', 'hard', 'link', 'touch'] },
  recurse: { type: 'bool', default: false },
  mode: { type: 'raw' },
  src: { type: 'path' },
  force: { type: 'bool', default: false },
};

const cases: Case[] = [
  { name: 'aliases and defaults', spec: fileSpec, params: { dest: '/tmp/x', state: 'file' } },
  { name: 'missing required', spec: fileSpec, params: { state: 'file' } },
  { name: 'missing required wins over unknown', spec: fileSpec, params: { foo: 1 } },
  { name: 'unknown parameter', spec: fileSpec, params: { path: '/x', foo: 1, bar: 'b' } },
  { name: 'bad choice', spec: fileSpec, params: { path: '/x', state: 'bogus' } },
  { name: 'bad choice, list value', spec: fileSpec, params: { path: '/x', state: ['x'] } },
  { name: 'bool spellings', spec: fileSpec, params: { path: '/x', recurse: 'Yes', force: 'off' } },
  { name: 'bool from int', spec: fileSpec, params: { path: '/x', recurse: 1, force: 0 } },
  { name: 'bad bool', spec: fileSpec, params: { path: '/x', recurse: 'maybe' } },
  { name: 'bool from list', spec: fileSpec, params: { path: '/x', recurse: [1] } },
  { name: 'str from int, list, dict, bool, float', spec: { a: {}, b: {}, c: {}, d: {}, e: { type: 'str' } }, params: { a: 5, b: [1, 'x', true, null], c: { k: "it's" }, d: false, e: 1.5 } },
  { name: 'int from string', spec: { n: { type: 'int' }, m: { type: 'int' } }, params: { n: ' 42 ', m: '1_000' } },
  { name: 'int from float fails', spec: { n: { type: 'int' } }, params: { n: 1.5 } },
  { name: 'int from text fails', spec: { n: { type: 'int' } }, params: { n: '0x10' } },
  { name: 'float', spec: { f: { type: 'float' }, g: { type: 'float' }, h: { type: 'float' } }, params: { f: '1e3', g: 2, h: ' -0.5 ' } },
  { name: 'float fails', spec: { f: { type: 'float' } }, params: { f: 'abc' } },
  { name: 'list from comma string', spec: { l: { type: 'list' } }, params: { l: 'a,b, c' } },
  { name: 'list from int', spec: { l: { type: 'list' } }, params: { l: 5 } },
  { name: 'list from dict fails', spec: { l: { type: 'list' } }, params: { l: { a: 1 } } },
  { name: 'list elements int', spec: { l: { type: 'list', elements: 'int' } }, params: { l: ['1', 2, '3'] } },
  { name: 'list elements bad', spec: { l: { type: 'list', elements: 'int' } }, params: { l: ['1', 'x'] } },
  { name: 'dict from k=v', spec: { d: { type: 'dict' } }, params: { d: 'a=1 b="x y", c=3' } },
  { name: 'dict from JSON', spec: { d: { type: 'dict' } }, params: { d: '{"a": [1, 2]}' } },
  { name: 'dict from Python literal', spec: { d: { type: 'dict' } }, params: { d: "{'a': True}" } },
  { name: 'dict from garbage', spec: { d: { type: 'dict' } }, params: { d: 'nothing' } },
  { name: 'dict from broken braces', spec: { d: { type: 'dict' } }, params: { d: '{oops' } },
  { name: 'bytes', spec: { b: { type: 'bytes' }, c: { type: 'bytes' }, d: { type: 'bits' } }, params: { b: '10M', c: '1.5KB', d: '1Mb' } },
  { name: 'bytes fails', spec: { b: { type: 'bytes' } }, params: { b: '10Mb' } },
  { name: 'jsonarg', spec: { j: { type: 'jsonarg' }, k: { type: 'json' } }, params: { j: { a: [1, 'x'] }, k: '  [1] ' } },
  { name: 'mutually exclusive', spec: { a: {}, b: {}, c: {} }, constraints: { mutuallyExclusive: [['a', 'b'], ['a', 'c']] }, params: { a: 1, b: 2, c: 3 } },
  { name: 'required one of', spec: { a: {}, b: {} }, constraints: { requiredOneOf: [['a', 'b']] }, params: {} },
  { name: 'required together', spec: { a: {}, b: {}, c: {} }, constraints: { requiredTogether: [['a', 'b']] }, params: { a: 1, c: 2 } },
  { name: 'required if (all)', spec: { state: {}, a: {}, b: {} }, constraints: { requiredIf: [['state', 'present', ['a', 'b']]] }, params: { state: 'present', a: 1 } },
  { name: 'required if (any) satisfied', spec: { state: {}, a: {}, b: {} }, constraints: { requiredIf: [['state', 'present', ['a', 'b'], true]] }, params: { state: 'present', a: 1 } },
  { name: 'required if (any) missing', spec: { state: {}, a: {}, b: {} }, constraints: { requiredIf: [['state', 'present', ['a', 'b'], true]] }, params: { state: 'present' } },
  { name: 'required if with a default', spec: { state: { default: 'present' }, a: {} }, constraints: { requiredIf: [['state', 'present', ['a']]] }, params: {} },
  { name: 'required by', spec: { a: {}, b: {}, c: {} }, constraints: { requiredBy: { a: ['b', 'c'] } }, params: { a: 1, b: 2 } },
  { name: 'type error before choices', spec: { n: { type: 'int', choices: [1, 2] } }, params: { n: 'x' } },
  { name: 'int choices', spec: { n: { type: 'int', choices: [1, 2] } }, params: { n: '2' } },
  { name: 'False text matches the one false spelling', spec: { force: { choices: ['yes', 'no'] } }, params: { force: 'False' } },
  {
    name: 'sub-options',
    spec: { headers: { type: 'list', elements: 'dict', options: { name: { required: true }, value: { type: 'int', default: 3 } } } },
    params: { headers: [{ name: 'a' }, { name: 'b', value: '7' }] },
  },
  {
    name: 'sub-options missing required',
    spec: { headers: { type: 'list', elements: 'dict', options: { name: { required: true }, value: { type: 'int' } } } },
    params: { headers: [{ value: 1 }] },
  },
  {
    name: 'sub-options unknown',
    spec: { conf: { type: 'dict', options: { name: { aliases: ['n'] }, value: { type: 'int' } } } },
    params: { conf: { name: 'x', other: 1 } },
  },
  {
    name: 'sub-options type error',
    spec: { conf: { type: 'dict', options: { value: { type: 'int' } } } },
    params: { conf: { value: 'seven' } },
  },
  {
    name: 'sub-options with constraints',
    spec: { conf: { type: 'dict', options: { a: {}, b: {} }, constraints: { mutuallyExclusive: [['a', 'b']] } } },
    params: { conf: { a: 1, b: 2 } },
  },
  {
    name: 'sub-options apply_defaults',
    spec: { conf: { type: 'dict', applyDefaults: true, options: { a: { default: 'x' } } } },
    params: {},
  },
  { name: 'sub-options not a dict', spec: { conf: { type: 'list', elements: 'dict', options: { a: {} } } }, params: { conf: ['x'] } },
];

describe('validateArguments agrees with Ansible', () => {
  const expected = ansibleValidate(cases);
  cases.forEach((c, i) => {
    it(c.name, () => {
      const mine = validateArguments(c.spec, c.constraints, c.params, { moduleName: 'mod' });
      const theirs = expected[i]!;
      expect(normalise(mine.error)).toBe(normalise(theirs.error));
      if (!theirs.error) {
        const params = Object.fromEntries(Object.entries(mine.params).filter(([, v]) => v !== null && v !== undefined));
        // Ansible keeps the aliases beside their option; tsplay passes canonical names only.
        const aliases = new Set(Object.values(c.spec).flatMap((e) => e.aliases ?? []));
        expect(params).toEqual(Object.fromEntries(Object.entries(theirs.params!).filter(([k]) => !aliases.has(k))));
      }
    });
  });
});

describe('module argument helpers', () => {
  const copy: ModuleDefinition = {
    name: 'ansible.builtin.copy',
    reportedName: 'ansible.legacy.copy',
    argSpec: { dest: { type: 'path', required: true }, content: {}, attributes: { aliases: ['attr'] } },
    supportsCheckMode: true,
    run: async () => ({}),
  };
  const file: ModuleDefinition = { name: 'ansible.builtin.file', argSpec: fileSpec, supportsCheckMode: true, run: async () => ({}) };

  it('names the module as the task did, or as Ansible reports action-plugin modules', () => {
    expect(() => validateModuleArgs(file, { path: '/x', foo: 1 }, 'ansible.builtin.file')).toThrow(
      'Unsupported parameters for (ansible.builtin.file) module: foo. Supported parameters include: force, mode, path, recurse, src, state (dest, name).',
    );
    expect(() => validateModuleArgs(copy, { dest: '/x', foo: 1 }, 'copy')).toThrow(
      'Unsupported parameters for (ansible.legacy.copy) module: foo. Supported parameters include: attributes, content, dest (attr).',
    );
  });

  it('returns canonical names only', () => {
    expect(validateModuleArgs(file, { name: '/x' }, 'file')).toEqual({ path: '/x', recurse: false, force: false });
  });

  it('warns when an option and its alias are both set', () => {
    const result = validateArguments(fileSpec, undefined, { path: '/a', dest: '/b' }, { moduleName: 'file' });
    expect(result.warnings).toEqual(['Both option path and its alias dest are set.']);
    expect(result.params.path).toBe('/b');
  });

  it('collects no_log values', () => {
    const result = validateArguments({ password: { noLog: true }, list: { type: 'list', noLog: true } }, undefined, { password: 's3cret', list: ['a', 2] }, { moduleName: 'm' });
    expect(result.noLogValues.sort()).toEqual(['2', 'a', 's3cret']);
  });

  it('checks literal argument names before the run', () => {
    expect(checkLiteralArgs(file, { dest: '/x', state: '{{ s }}' }, 'file')).toBeUndefined();
    expect(checkLiteralArgs(file, { state: 'file' }, 'file')).toBe('missing required arguments: path');
    expect(checkLiteralArgs(file, { path: '/x', colour: 'red' }, 'file')).toBe(
      'Unsupported parameters for (file) module: colour. Supported parameters include: force, mode, path, recurse, src, state (dest, name).',
    );
    expect(checkLiteralArgs({ ...file, acceptsAnyArgs: true }, { path: '/x', colour: 'red' }, 'file')).toBeUndefined();
  });
});
