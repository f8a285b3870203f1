// json.dumps as Python writes it. Ansible's output (callbacks) and the to_json family
// of filters print through it, so the separators, key order, escapes and float
// formatting are Python's, not JSON.stringify's.
import { pyFloatRepr } from './number.js';

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
  const itemSep = indent === undefined ? ', ' : ',';
  const seen = new Set<object>();

  const write = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return pyJsonString(v, ensureAscii);
    if (typeof v === 'number') return numberJson(v, options);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'bigint') return v.toString();
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
          .map(([k, item]) => `${pad}${pyJsonString(k, ensureAscii)}: ${write(item, depth + 1)}`)
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
