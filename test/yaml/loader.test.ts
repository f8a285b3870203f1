import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseYaml, YamlSyntaxError } from '../../src/yaml/loader.js';
import { keyPositionOf, positionOf } from '../../src/yaml/positions.js';
import { UnsafeText } from '../../src/yaml/tagged.js';

// PyYAML itself is the reference for scalar resolution (python3-yaml comes with ansible-core).
function pyyaml(text: string): unknown {
  const script =
    'import sys,yaml,json,datetime\n' +
    'd=yaml.safe_load(sys.stdin.read())\n' +
    'print(json.dumps(d, default=str))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: text }).toString());
}

const SCALARS = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Yes', 'TRUE', 'True', 'False', '0644', '0o644', '0x1F', '1_000',
  '1:20', '1e3', '1.5e3', '1.0e+3', '.5', '1.', '+12', '-0', '~', 'null', 'Null', '2001-12-14', '08',
  '09.5', '0.0', "'0644'", '12:30:45', '1_0.5', '"yes"', '0b101', '-0x10', '"08"', 'abc', '', '3.10',
];

describe('YAML 1.1 scalars as PyYAML resolves them', () => {
  it.each(SCALARS)('%s', (text) => {
    const doc = `v: ${text}\n`;
    expect(parseYaml(doc, 't.yml')).toEqual(pyyaml(doc));
  });

  it('merges keys like PyYAML (explicit keys win, earlier sources win)', () => {
    const doc = [
      'a: &a {x: 1, y: 1}',
      'b: &b {y: 2, z: 2}',
      'c:',
      '  <<: [*a, *b]',
      '  z: 3',
      '  w: 4',
    ].join('\n');
    const js = parseYaml(doc, 't.yml') as Record<string, Record<string, number>>;
    expect(js).toEqual(pyyaml(doc));
    expect(Object.keys(js.c!)).toEqual(['y', 'z', 'x', 'w']);
  });

  it('keeps the last of duplicate keys', () => {
    expect(parseYaml('a: 1\na: 2\n', 't.yml')).toEqual({ a: 2 });
  });

  it('marks !unsafe values', () => {
    const v = parseYaml('a: !unsafe "{{ x }}"\n', 't.yml') as { a: unknown };
    expect(v.a).toBeInstanceOf(UnsafeText);
    expect(String(v.a)).toBe('{{ x }}');
  });
});

describe('positions', () => {
  it('records line and column of mappings and keys', () => {
    const data = parseYaml('---\n- hosts: all\n  tasks:\n    - name: one\n      debug: msg=hi\n', 'p.yml') as any[];
    expect(positionOf(data[0])).toEqual({ file: 'p.yml', line: 2, column: 3 });
    expect(positionOf(data[0].tasks[0])).toEqual({ file: 'p.yml', line: 4, column: 7 });
    expect(keyPositionOf(data[0].tasks[0], 'debug')).toEqual({ file: 'p.yml', line: 5, column: 7 });
  });

  it('reports syntax errors with file, line and column', () => {
    try {
      parseYaml('a: 1\nb: [1, 2\nc: 3\n', 'bad.yml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(YamlSyntaxError);
      const e = err as YamlSyntaxError;
      expect(e.pos?.file).toBe('bad.yml');
      expect(e.pos?.line).toBeGreaterThanOrEqual(2);
      expect(e.describe()).toContain("The error appears to be in 'bad.yml'");
    }
  });
});
