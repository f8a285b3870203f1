// The Python behaviours INI inventories depend on, checked against the Python that runs
// Ansible: ast.literal_eval (variable values), shlex.split (host lines) and Ansible's own
// address parsing and range expansion.
import { describe, expect, it } from 'vitest';
import { expandHostPattern, parseAddress } from '../../src/inventory/address.js';
import { literalEval } from '../../src/inventory/python-literal.js';
import { shlexSplit } from '../../src/inventory/shlex.js';
import { runPython } from './ansible-oracle.js';

const LITERALS = [
  '0644', '1_000', '1e3', '1.5e-3', '.5', '1.', '0x1F', '0X1f', '0o17', '0b101', '00', '0_0', '1__0', '-5', '+5', '--5', '- 5',
  '-True', 'True', 'False', 'None', 'true', 'yes', 'null', '"a" "b"', "'a' \"b\"", "'x' b'y'", 'b"bytes"', 'u"text"',
  'r"\\n"', '"\\n\\t\\x41\\u00e9\\101"', '"\\q"', "'''triple'''", '"unterminated', "'it''s'", '[1, 2]', '[1,]', '[]',
  '(1, 2)', '(1)', '()', '1, 2', '{}', "{'a': 1, 'b': [None, True]}", "{1: 'one', 2.5: 'x', None: 1, True: 2}",
  "{'a': 1 'b': 2}", '{[1]: 2}', 'set()', '{1, 2, 1}', '1j', '1+2j', '...', 'f"x"', 'hello', 'hello world', '5 # comment',
  'x # comment', '  5', '5  ', '\t7', '', '# only', '1 if 1 else 2', '[1, 2', 'a=b', '"é"', 'dict(a=1)', '0.1', '3.14159',
  '-0.0', '12345678901234', "'\\''", '"\\\\"',
];

describe('ast.literal_eval (INI variable values)', () => {
  it('gives the values Python gives, and fails where Python fails', async () => {
    const python = (await runPython(
      `
import ast, json, sys
out = []
for text in json.load(sys.stdin):
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        out.append({'ok': False}); continue
    def plain(v):
        if isinstance(v, (tuple, list)): return [plain(x) for x in v]
        if isinstance(v, set): return sorted(plain(x) for x in v)
        if isinstance(v, dict): return {json.dumps(k) if not isinstance(k, str) else k: plain(x) for k, x in v.items()}
        if isinstance(v, bytes): return v.decode()
        return v
    if isinstance(value, complex) or value is Ellipsis:
        out.append({'ok': False, 'unsupported': True}); continue
    out.append({'ok': True, 'value': plain(value)})
print(json.dumps(out))
`,
      LITERALS,
    )) as { ok: boolean; value?: unknown }[];
    const mine = LITERALS.map((text) => {
      const r = literalEval(text);
      if (!r.ok) return { ok: false };
      const plainKeys = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(plainKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainKeys(x)])) : v;
      return { ok: true, value: plainKeys(r.value) };
    });
    const expected = python.map((p) => (p.ok ? { ok: true, value: p.value } : { ok: false }));
    // dict keys that are not strings: json.dumps(key) in Python, String(key) in tsplay's JSON form
    const normalise = (list: unknown[]) => JSON.parse(JSON.stringify(list).replace(/\\"(\d+(?:\.\d+)?)\\"/g, '$1'));
    for (let i = 0; i < LITERALS.length; i++) {
      expect({ text: LITERALS[i], ...normalise([mine[i]])[0] }).toEqual({ text: LITERALS[i], ...normalise([expected[i]])[0] });
    }
  });

  it('keeps numbers, booleans, None and containers typed', () => {
    expect(literalEval("{'a': [1, 2.5, None, True]}")).toEqual({ ok: true, value: { a: [1, 2.5, null, true] } });
    expect(literalEval('0644')).toEqual({ ok: false });
    expect(literalEval('yes')).toEqual({ ok: false });
  });
});

const HOST_LINES = [
  'h1 a=1 b="two words" c=\'single quoted\'',
  'h1 x=a#b c',
  'h1 # trailing comment',
  'h1 msg="a \\"quoted\\" word" path=C:\\\\dir',
  'h1 raw=x\\ y esc="\\n" sq=\'\\n\'',
  'a"b c"d',
  'h1 empty="" e2=\'\'',
  '"h 1" x=1',
  'h1 x="unclosed',
  'h1 x=\\',
  'h1\tx=1\ty=2',
  '#h1 x=1',
  'h1 x="#not a comment" y=#',
];

describe('shlex.split(comments=True) (INI host lines)', () => {
  it('splits as Python does', async () => {
    const python = (await runPython(
      `
import json, shlex, sys
out = []
for line in json.load(sys.stdin):
    try: out.append({'tokens': shlex.split(line, comments=True)})
    except ValueError as e: out.append({'error': str(e)})
print(json.dumps(out))
`,
      HOST_LINES,
    )) as unknown[];
    const mine = HOST_LINES.map((line) => {
      try {
        return { tokens: shlexSplit(line, { comments: true }) };
      } catch (err) {
        return { error: (err as Error).message };
      }
    });
    expect(mine).toEqual(python);
  });
});

const HOST_PATTERNS = [
  'web[01:10]', 'db-[a:c]', 'node[1:10:2]', 'x[a:f:2]y', 'host', 'host:2222', 'web[1:3]:22', '[::1]:2200', '::1', 'fe80::1',
  '10.0.0.[1:3]', '192.168.1.1:22', 'r[1:2]-[a:b]', 'web[9:11]', 'w[08:10]', 'w[1:3', 'w[01:5]', 'w[a:5]', 'w[5:1]',
  'w[c:a]', 'w[1:3:0]', 'w[:3]', 'w[1:]', 'bad!name', 'host:name', 'under_score', '-leading', 'x[A:C]', 'x[y:B]',
  '[2001:db8::[1:3]]:22', 'a.b.c:80', 'tr-',
];

describe('host patterns of inventory sources', () => {
  it('expand ranges and split ports like Ansible', async () => {
    const python = (await runPython(
      `
import json, sys
from ansible.plugins.inventory import BaseInventoryPlugin
plugin = BaseInventoryPlugin()
out = []
for pattern in json.load(sys.stdin):
    try:
        hosts, port = plugin._expand_hostpattern(pattern)
        out.append({'hosts': hosts, 'port': port})
    except Exception as e:
        out.append({'error': str(e)})
print(json.dumps(out))
`,
      HOST_PATTERNS,
    )) as unknown[];
    const mine = HOST_PATTERNS.map((pattern) => {
      try {
        const { hostnames, port } = expandHostPattern(pattern);
        return { hosts: hostnames, port: port ?? null };
      } catch (err) {
        return { error: (err as Error).message };
      }
    });
    expect(mine).toEqual(python);
  });

  it('parse addresses (host lists: no ranges) like Ansible', async () => {
    const addresses = ['host', 'host:22', '[::1]:22', '::1', '10.0.0.1:80', 'web[1:2]', 'bad!name', 'a.b', '[host]:1', 'x:y'];
    const python = (await runPython(
      `
import json, sys
from ansible.parsing.utils.addresses import parse_address
out = []
for a in json.load(sys.stdin):
    try:
        host, port = parse_address(a)
        out.append({'host': host, 'port': port})
    except Exception as e:
        out.append({'error': str(e)})
print(json.dumps(out))
`,
      addresses,
    )) as unknown[];
    const mine = addresses.map((a) => {
      try {
        const { host, port } = parseAddress(a);
        return { host, port: port ?? null };
      } catch (err) {
        return { error: (err as Error).message };
      }
    });
    expect(mine).toEqual(python);
  });
});
