// json.dumps as Python writes it. Ansible's output (callbacks) and the to_json family
// of filters print through it, so the separators, key order, escapes and float
// formatting are Python's, not JSON.stringify's.
import { pyFloatRepr } from './number.js';
import { PyDatetime, PyFloat, PyIterable, PyMapping } from '../runtime/types.js';
import { PyUndefined } from '../runtime/undefined.js';

export interface PyJsonOptions {
  sortKeys?: boolean;
  /** Indent width; undefined for the one-line form (separators ', ' and ': '). */
  indent?: number | undefined;
  /** Escape non-ASCII characters as \uXXXX (Python's default; Ansible's callbacks turn it off). */
  ensureAscii?: boolean;
  /** How to represent values JSON has no form for (default: their string form). */
  fallback?: (value: unknown) => unknown;
  /** Numbers to print as floats even when integral (Python float vs int). */
  isFloat?: (value: number) => boolean;
  /** Item and key separators; default (', ', ': '), or (',', ': ') with an indent. */
  separators?: [string, string];
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

export function pyJsonString(text: string, ensureAscii = true): string {
  const pattern = ensureAscii ? /["\\\u0000-\u001f\u007f-\uffff]/g : /["\\\u0000-\u001f]/g;
  return `"${text.replace(pattern, (ch) => ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

function numberJson(n: number, options: PyJsonOptions): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Number.isInteger(n) && !options.isFloat?.(n)) return Object.is(n, -0) ? '0' : BigInt(n).toString();
  return pyFloatRepr(n);
}

export function pyJsonDumps(value: unknown, options: PyJsonOptions = {}): string {
  const ensureAscii = options.ensureAscii ?? true;
  const indent = options.indent;
  const itemSep = options.separators?.[0] ?? (indent === undefined ? ', ' : ',');
  const keySep = options.separators?.[1] ?? ': ';
  const seen = new Set<object>();

  const write = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return pyJsonString(v, ensureAscii);
    if (typeof v === 'number') return numberJson(v, options);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof PyFloat) return numberJson(v.value, { ...options, isFloat: () => true });
    if (v instanceof PyUndefined) v.fail();
    if (v instanceof PyDatetime) return pyJsonString(isoformat(v), ensureAscii);
    if (v instanceof PyIterable) return write([...v.items], depth);
    if (v instanceof PyMapping) return write(Object.fromEntries(v.keys().map((k) => [k, v.get(k)])), depth);
    if (typeof v === 'object') {
      const json = (v as { toJSON?: () => unknown }).toJSON;
      if (typeof json === 'function' && !Array.isArray(v)) return write(json.call(v), depth);
      if (seen.has(v)) throw new TypeError('Circular reference detected');
      seen.add(v);
      try {
        const pad = indent === undefined ? '' : `\n${' '.repeat(indent * (depth + 1))}`;
        const end = indent === undefined ? '' : `\n${' '.repeat(indent * depth)}`;
        if (Array.isArray(v) || v instanceof Set) {
          const items = [...v];
          if (items.length === 0) return '[]';
          return `[${items.map((item) => pad + write(item, depth + 1)).join(itemSep)}${end}]`;
        }
        const entries = v instanceof Map ? [...v.entries()].map(([k, x]) => [String(k), x] as const) : Object.entries(v);
        if (options.sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        if (entries.length === 0) return '{}';
        return `{${entries
          .map(([k, item]) => `${pad}${pyJsonString(k, ensureAscii)}${keySep}${write(item, depth + 1)}`)
          .join(itemSep)}${end}}`;
      } finally {
        seen.delete(v);
      }
    }
    if (options.fallback) return write(options.fallback(v), depth);
    return pyJsonString(String(v), ensureAscii);
  };
  return write(value, 0);
}

/** datetime.isoformat() */
function isoformat(d: PyDatetime): string {
  const f = d.fields;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${p(f.year, 4)}-${p(f.month)}-${p(f.day)}T${p(f.hour)}:${p(f.minute)}:${p(f.second)}`;
  return f.microsecond ? `${base}.${p(f.microsecond, 6)}` : base;
}

export class PyJsonDecodeError extends Error {}

/** json.loads: like JSON.parse, but floats stay floats (1.0) and NaN/Infinity are accepted. */
export function pyJsonLoads(text: string): unknown {
  let pos = 0;
  const fail = (what: string): never => {
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    throw new PyJsonDecodeError(`${what}: line ${line} column ${column} (char ${pos})`);
  };
  const ws = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const value = (): unknown => {
    ws();
    const ch = text[pos];
    if (ch === '{') {
      pos++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail('Expecting property name enclosed in double quotes');
        const key = string();
        ws();
        if (text[pos] !== ':') fail("Expecting ':' delimiter");
        pos++;
        obj[key] = value();
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return obj;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (ch === '[') {
      pos++;
      const arr: unknown[] = [];
      ws();
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return arr;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (ch === '"') return string();
    for (const [word, result] of [['true', true], ['false', false], ['null', null], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return result;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(pos));
    if (!m) return fail('Expecting value');
    pos += m[0].length;
    const n = Number(m[0]);
    return m[1] || m[2] ? (Number.isInteger(n) ? new PyFloat(n) : n) : n;
  };
  const string = (): string => {
    const start = pos;
    pos++;
    let out = '';
    for (;;) {
      if (pos >= text.length) {
        pos = start;
        fail('Unterminated string starting at');
      }
      const ch = text[pos]!;
      if (ch === '"') {
        pos++;
        return out;
      }
      if (ch === '\\') {
        const next = text[pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (next === 'u') {
          out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else if (next !== undefined && simple[next] !== undefined) {
          out += simple[next];
          pos += 2;
        } else fail('Invalid \\escape');
        continue;
      }
      if (ch < ' ') fail('Invalid control character at');
      out += ch;
      pos++;
    }
  };
  const result = value();
  ws();
  if (pos < text.length) fail('Extra data');
  return result;
}
