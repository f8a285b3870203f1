// Python's str, list and dict methods, so `x.split(',')` or `d.items()` behave as in
// Jinja2 and no JS method (String.prototype.replace replacing only the first match...)
// is ever reachable from a template.
import { strFormat } from '../python/format.js';
import { pyIndexError, pyKeyError, pyTypeError, pyValueError } from './errors.js';
import {
  dictKey,
  isMappingLike,
  iterate,
  mappingGet,
  mappingHas,
  mappingKeys,
  pyCompare,
  pyEquals,
  toInt,
} from './ops.js';
import { isDict, pyRepr, pyTypeName } from './repr.js';
import { Kwargs, PyIterable, PyMapping, PyTuple, tuple } from './types.js';

export type Method<T> = (self: T, args: unknown[], kwargs: Kwargs) => unknown;

// ---- argument helpers --------------------------------------------------------------------

function arg(args: unknown[], kwargs: Kwargs, index: number, name: string, fallback: unknown): unknown {
  if (index < args.length) return args[index];
  if (Object.hasOwn(kwargs, name)) return kwargs[name];
  return fallback;
}

function requireArgs(method: string, args: unknown[], min: number, max: number): void {
  if (args.length < min) {
    throw pyTypeError(`${method}() takes at least ${min} argument${min === 1 ? '' : 's'} (${args.length} given)`);
  }
  if (args.length > max) {
    throw pyTypeError(`${method}() takes at most ${max} argument${max === 1 ? '' : 's'} (${args.length} given)`);
  }
}

function strArg(method: string, value: unknown, what = 'argument'): string {
  if (typeof value !== 'string') throw pyTypeError(`${method}() ${what} must be str, not ${pyTypeName(value)}`);
  return value;
}

function optionalInt(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  return toInt(value);
}

/** Python's slice-index normalisation for start/end arguments (find, count, startswith...). */
function bounds(length: number, start: unknown, end: unknown): [number, number] {
  let s = optionalInt(start) ?? 0;
  let e = optionalInt(end) ?? length;
  if (s < 0) s = Math.max(0, s + length);
  if (e < 0) e = Math.max(0, e + length);
  return [Math.min(s, length), Math.min(e, length)];
}

// ---- str ---------------------------------------------------------------------------------------

const PY_WHITESPACE = ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const LINE_BREAKS = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/;

function isPySpace(ch: string): boolean {
  return PY_WHITESPACE.includes(ch);
}

function stripChars(text: string, chars: unknown, left: boolean, right: boolean, method: string): string {
  const set = chars === null || chars === undefined ? null : strArg(method, chars, 'arg');
  const keep = (ch: string) => (set === null ? !isPySpace(ch) : !set.includes(ch));
  let s = 0;
  let e = text.length;
  if (left) while (s < e && !keep(text[s]!)) s++;
  if (right) while (e > s && !keep(text[e - 1]!)) e--;
  return text.slice(s, e);
}

export function pySplit(text: string, sep: unknown, maxsplit: unknown): string[] {
  let max = optionalInt(maxsplit) ?? -1;
  if (sep === null || sep === undefined) {
    const out: string[] = [];
    let i = 0;
    while (i < text.length) {
      while (i < text.length && isPySpace(text[i]!)) i++;
      if (i >= text.length) break;
      if (max === 0) {
        out.push(stripChars(text.slice(i), null, false, true, 'split'));
        return out;
      }
      let j = i;
      while (j < text.length && !isPySpace(text[j]!)) j++;
      out.push(text.slice(i, j));
      max--;
      i = j;
    }
    return out;
  }
  if (typeof sep !== 'string') throw pyTypeError(`must be str or None, not ${pyTypeName(sep)}`);
  const separator = sep;
  if (separator === '') throw pyValueError('empty separator');
  if (max < 0) return text.split(separator);
  const out: string[] = [];
  let rest = text;
  while (max-- > 0) {
    const at = rest.indexOf(separator);
    if (at < 0) break;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + separator.length);
  }
  out.push(rest);
  return out;
}

function pyRsplit(text: string, sep: unknown, maxsplit: unknown): string[] {
  let max = optionalInt(maxsplit) ?? -1;
  if (max < 0) return pySplit(text, sep, -1);
  if (sep === null || sep === undefined) {
    const out: string[] = [];
    let j = text.length;
    while (j > 0) {
      while (j > 0 && isPySpace(text[j - 1]!)) j--;
      if (j <= 0) break;
      if (max === 0) {
        out.unshift(stripChars(text.slice(0, j), null, true, false, 'rsplit'));
        return out;
      }
      let i = j;
      while (i > 0 && !isPySpace(text[i - 1]!)) i--;
      out.unshift(text.slice(i, j));
      max--;
      j = i;
    }
    return out;
  }
  if (typeof sep !== 'string') throw pyTypeError(`must be str or None, not ${pyTypeName(sep)}`);
  const separator = sep;
  if (separator === '') throw pyValueError('empty separator');
  const out: string[] = [];
  let rest = text;
  while (max-- > 0) {
    const at = rest.lastIndexOf(separator);
    if (at < 0) break;
    out.unshift(rest.slice(at + separator.length));
    rest = rest.slice(0, at);
  }
  out.unshift(rest);
  return out;
}

function splitlines(text: string, keepends: boolean): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length) {
    const m = LINE_BREAKS.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    out.push(rest.slice(0, keepends ? m.index + m[0].length : m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

function pyTitle(text: string): string {
  let out = '';
  let previousCased = false;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    const cased = lower !== upper;
    out += cased ? (previousCased ? lower : upper) : ch;
    previousCased = cased;
  }
  return out;
}

function pyCapitalize(text: string): string {
  if (!text) return text;
  const [first, ...rest] = [...text];
  return first!.toUpperCase() + rest.join('').toLowerCase();
}

function pyReplace(text: string, old: string, replacement: string, count: number): string {
  if (count < 0) {
    if (old === '') return replacement + [...text].join(replacement) + (text ? replacement : '');
    return text.split(old).join(replacement);
  }
  let out = '';
  let rest = text;
  let n = count;
  if (old === '') {
    const chars = [...text];
    let i = 0;
    while (n-- > 0 && i <= chars.length) {
      out += replacement + (chars[i] ?? '');
      i++;
    }
    return out + chars.slice(i).join('');
  }
  while (n-- > 0) {
    const at = rest.indexOf(old);
    if (at < 0) break;
    out += rest.slice(0, at) + replacement;
    rest = rest.slice(at + old.length);
  }
  return out + rest;
}

function affix(method: string, text: string, args: unknown[], kwargs: Kwargs, test: (s: string, a: string) => boolean): boolean {
  requireArgs(method, args, 1, 3);
  const [s, e] = bounds(text.length, arg(args, kwargs, 1, 'start', null), arg(args, kwargs, 2, 'end', null));
  const region = text.slice(s, e);
  const candidates = args[0];
  if (candidates instanceof PyTuple) return candidates.some((c) => test(region, strArg(method, c, 'first arg')));
  if (typeof candidates !== 'string') {
    throw pyTypeError(`${method} first arg must be str or a tuple of str, not ${pyTypeName(candidates)}`);
  }
  if (s > text.length) return false;
  return test(region, candidates);
}

function find(text: string, args: unknown[], kwargs: Kwargs, reverse: boolean): number {
  const sub = strArg(reverse ? 'rfind' : 'find', args[0], 'argument');
  const [s, e] = bounds(text.length, arg(args, kwargs, 1, 'start', null), arg(args, kwargs, 2, 'end', null));
  const region = text.slice(s, e);
  if (e - s < sub.length) return -1;
  const at = reverse ? region.lastIndexOf(sub) : region.indexOf(sub);
  return at < 0 ? -1 : at + s;
}

function pad(text: string, width: unknown, fill: unknown, where: 'left' | 'right' | 'center'): string {
  const w = toInt(width);
  const f = fill === undefined ? ' ' : strArg('pad', fill, 'fill character');
  if (f.length !== 1) throw pyTypeError('The fill character must be exactly one character long');
  const n = w - text.length;
  if (n <= 0) return text;
  if (where === 'left') return f.repeat(n) + text;
  if (where === 'right') return text + f.repeat(n);
  const left = Math.floor(n / 2) + (n & w & 1);
  return f.repeat(left) + text + f.repeat(n - left);
}

function isCase(text: string, upper: boolean): boolean {
  let cased = false;
  for (const ch of text) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lo === up) continue;
    if (upper ? ch !== up : ch !== lo) return false;
    cased = true;
  }
  return cased;
}

function allChars(text: string, test: RegExp): boolean {
  return text.length > 0 && [...text].every((ch) => test.test(ch));
}

export const STR_METHODS: Record<string, Method<string>> = {
  capitalize: (s) => pyCapitalize(s),
  casefold: (s) => s.toLowerCase(),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s) => pyTitle(s),
  center: (s, a, k) => pad(s, a[0], arg(a, k, 1, 'fillchar', undefined), 'center'),
  ljust: (s, a, k) => pad(s, a[0], arg(a, k, 1, 'fillchar', undefined), 'right'),
  rjust: (s, a, k) => pad(s, a[0], arg(a, k, 1, 'fillchar', undefined), 'left'),
  zfill: (s, a) => {
    const w = toInt(a[0]);
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    const body = sign ? s.slice(1) : s;
    return s.length >= w ? s : sign + '0'.repeat(w - s.length) + body;
  },
  count: (s, a, k) => {
    const sub = strArg('count', a[0], 'argument');
    const [st, e] = bounds(s.length, arg(a, k, 1, 'start', null), arg(a, k, 2, 'end', null));
    const region = s.slice(st, e);
    if (sub === '') return region.length + 1;
    return region.split(sub).length - 1;
  },
  startswith: (s, a, k) => affix('startswith', s, a, k, (r, p) => r.startsWith(p)),
  endswith: (s, a, k) => affix('endswith', s, a, k, (r, p) => r.endsWith(p)),
  find: (s, a, k) => find(s, a, k, false),
  rfind: (s, a, k) => find(s, a, k, true),
  index: (s, a, k) => {
    const at = find(s, a, k, false);
    if (at < 0) throw pyValueError('substring not found');
    return at;
  },
  rindex: (s, a, k) => {
    const at = find(s, a, k, true);
    if (at < 0) throw pyValueError('substring not found');
    return at;
  },
  isalnum: (s) => allChars(s, /[\p{L}\p{N}]/u),
  isalpha: (s) => allChars(s, /\p{L}/u),
  isascii: (s) => /^[\x00-\x7f]*$/.test(s),
  isdecimal: (s) => allChars(s, /\p{Nd}/u),
  isdigit: (s) => allChars(s, /\p{Nd}|[\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089]/u),
  isnumeric: (s) => allChars(s, /\p{N}/u),
  isidentifier: (s) => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(s),
  islower: (s) => isCase(s, false),
  isupper: (s) => isCase(s, true),
  isspace: (s) => s.length > 0 && [...s].every(isPySpace),
  isprintable: (s) => !/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|[^\S ]/u.test(s),
  istitle: (s) => s.length > 0 && pyTitle(s) === s && s.toLowerCase() !== s.toUpperCase(),
  join: (s, a) => {
    const items = iterate(a[0]);
    return items
      .map((item, i) => {
        if (typeof item !== 'string') throw pyTypeError(`sequence item ${i}: expected str instance, ${pyTypeName(item)} found`);
        return item;
      })
      .join(s);
  },
  strip: (s, a) => stripChars(s, a[0], true, true, 'strip'),
  lstrip: (s, a) => stripChars(s, a[0], true, false, 'lstrip'),
  rstrip: (s, a) => stripChars(s, a[0], false, true, 'rstrip'),
  split: (s, a, k) => pySplit(s, arg(a, k, 0, 'sep', null), arg(a, k, 1, 'maxsplit', -1)),
  rsplit: (s, a, k) => pyRsplit(s, arg(a, k, 0, 'sep', null), arg(a, k, 1, 'maxsplit', -1)),
  splitlines: (s, a, k) => splitlines(s, Boolean(arg(a, k, 0, 'keepends', false))),
  partition: (s, a) => {
    const sep = strArg('partition', a[0], 'argument');
    if (!sep) throw pyValueError('empty separator');
    const at = s.indexOf(sep);
    return at < 0 ? tuple(s, '', '') : tuple(s.slice(0, at), sep, s.slice(at + sep.length));
  },
  rpartition: (s, a) => {
    const sep = strArg('rpartition', a[0], 'argument');
    if (!sep) throw pyValueError('empty separator');
    const at = s.lastIndexOf(sep);
    return at < 0 ? tuple('', '', s) : tuple(s.slice(0, at), sep, s.slice(at + sep.length));
  },
  replace: (s, a) => {
    requireArgs('replace', a, 2, 3);
    return pyReplace(s, strArg('replace', a[0], 'argument 1'), strArg('replace', a[1], 'argument 2'), optionalInt(a[2]) ?? -1);
  },
  removeprefix: (s, a) => {
    const p = strArg('removeprefix', a[0], 'argument');
    return p && s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s, a) => {
    const p = strArg('removesuffix', a[0], 'argument');
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
  expandtabs: (s, a, k) => {
    const size = toInt(arg(a, k, 0, 'tabsize', 8));
    let col = 0;
    let out = '';
    for (const ch of s) {
      if (ch === '\t') {
        const n = size > 0 ? size - (col % size) : 0;
        out += ' '.repeat(n);
        col += n;
      } else {
        out += ch;
        col = ch === '\n' || ch === '\r' ? 0 : col + 1;
      }
    }
    return out;
  },
  format: (s, a, k) => strFormat(s, a, k),
  format_map: (s, a) => {
    const mapping = a[0];
    if (!isMappingLike(mapping)) throw pyTypeError(`format_map() argument must be a mapping, not ${pyTypeName(mapping)}`);
    const kw: Kwargs = {};
    for (const key of mappingKeys(mapping)) kw[key] = mappingGet(mapping, key);
    return strFormat(s, [], kw);
  },
};

// ---- list / tuple -----------------------------------------------------------------------

function listIndex(list: unknown[], args: unknown[]): number {
  const [s, e] = bounds(list.length, args[1], args[2]);
  for (let i = s; i < e; i++) if (pyEquals(list[i], args[0])) return i;
  throw pyValueError(`${pyRepr(args[0])} is not in list`);
}

function mutable(list: unknown[], method: string): unknown[] {
  if (list instanceof PyTuple) throw pyTypeError(`'tuple' object has no attribute '${method}'`);
  return list;
}

export const TUPLE_METHODS: Record<string, Method<unknown[]>> = {
  count: (l, a) => l.filter((x) => pyEquals(x, a[0])).length,
  index: (l, a) => listIndex(l, a),
};

export const LIST_METHODS: Record<string, Method<unknown[]>> = {
  ...TUPLE_METHODS,
  append: (l, a) => {
    requireArgs('append', a, 1, 1);
    mutable(l, 'append').push(a[0]);
    return null;
  },
  extend: (l, a) => {
    mutable(l, 'extend').push(...iterate(a[0]));
    return null;
  },
  insert: (l, a) => {
    requireArgs('insert', a, 2, 2);
    let i = toInt(a[0]);
    if (i < 0) i = Math.max(0, i + l.length);
    mutable(l, 'insert').splice(Math.min(i, l.length), 0, a[1]);
    return null;
  },
  pop: (l, a) => {
    if (l.length === 0) throw pyIndexError('pop from empty list');
    let i = a.length ? toInt(a[0]) : -1;
    if (i < 0) i += l.length;
    if (i < 0 || i >= l.length) throw pyIndexError('pop index out of range');
    return mutable(l, 'pop').splice(i, 1)[0];
  },
  remove: (l, a) => {
    const i = l.findIndex((x) => pyEquals(x, a[0]));
    if (i < 0) throw pyValueError('list.remove(x): x not in list');
    mutable(l, 'remove').splice(i, 1);
    return null;
  },
  reverse: (l) => {
    mutable(l, 'reverse').reverse();
    return null;
  },
  sort: (l, a, k) => {
    if (a.length) throw pyTypeError('sort() takes no positional arguments');
    const reverse = Boolean(k.reverse);
    const key = k.key as ((args: unknown[], kwargs: Kwargs) => unknown) | null | undefined;
    const keyed = l.map((x) => [key ? key([x], {}) : x, x] as const);
    keyed.sort((x, y) => pyCompare(x[0], y[0]));
    if (reverse) keyed.reverse();
    mutable(l, 'sort').splice(0, l.length, ...keyed.map((x) => x[1]));
    return null;
  },
  copy: (l) => [...l],
  clear: (l) => {
    mutable(l, 'clear').length = 0;
    return null;
  },
};

// ---- dict -------------------------------------------------------------------------------

type AnyMapping = Record<string, unknown> | PyMapping;

function writable(d: AnyMapping): Record<string, unknown> {
  if (d instanceof PyMapping) throw pyTypeError(`'${pyTypeName(d)}' object does not support item assignment`);
  return d;
}

export function dictItems(d: AnyMapping): PyTuple[] {
  return mappingKeys(d).map((k) => tuple(k, mappingGet(d, k)));
}

function updateFrom(target: Record<string, unknown>, source: unknown): void {
  if (source === undefined) return;
  if (isMappingLike(source)) {
    for (const k of mappingKeys(source)) target[k] = mappingGet(source, k);
    return;
  }
  for (const pair of iterate(source)) {
    const items = iterate(pair);
    if (items.length !== 2) {
      throw pyValueError(`dictionary update sequence element has length ${items.length}; 2 is required`);
    }
    target[dictKey(items[0])] = items[1];
  }
}

export const DICT_METHODS: Record<string, Method<AnyMapping>> = {
  get: (d, a) => {
    requireArgs('get', a, 1, 2);
    const key = dictKey(a[0]);
    return mappingHas(d, key) ? mappingGet(d, key) : a.length > 1 ? a[1] : null;
  },
  items: (d) => new PyIterable('dict_items', dictItems(d)),
  keys: (d) => new PyIterable('dict_keys', mappingKeys(d)),
  values: (d) => new PyIterable('dict_values', mappingKeys(d).map((k) => mappingGet(d, k))),
  copy: (d) => (isDict(d) ? { ...d } : Object.fromEntries(dictItems(d).map((t) => [t[0], t[1]]))),
  update: (d, a, k) => {
    const target = writable(d);
    updateFrom(target, a[0]);
    Object.assign(target, k);
    return null;
  },
  pop: (d, a) => {
    requireArgs('pop', a, 1, 2);
    const target = writable(d);
    const key = dictKey(a[0]);
    if (!Object.hasOwn(target, key)) {
      if (a.length > 1) return a[1];
      throw pyKeyError(pyRepr(a[0]));
    }
    const value = target[key];
    delete target[key];
    return value;
  },
  popitem: (d) => {
    const target = writable(d);
    const keys = Object.keys(target);
    if (!keys.length) throw pyKeyError("'popitem(): dictionary is empty'");
    const key = keys[keys.length - 1]!;
    const value = target[key];
    delete target[key];
    return tuple(key, value);
  },
  setdefault: (d, a) => {
    const target = writable(d);
    const key = dictKey(a[0]);
    if (!Object.hasOwn(target, key)) target[key] = a.length > 1 ? a[1] : null;
    return target[key];
  },
  clear: (d) => {
    const target = writable(d);
    for (const key of Object.keys(target)) delete target[key];
    return null;
  },
};

/** The method table for a value's Python type, if it has one. */
export function methodsOf(value: unknown): Record<string, Method<never>> | undefined {
  if (typeof value === 'string') return STR_METHODS as Record<string, Method<never>>;
  if (Array.isArray(value)) return (value instanceof PyTuple ? TUPLE_METHODS : LIST_METHODS) as Record<string, Method<never>>;
  if (isMappingLike(value)) return DICT_METHODS as Record<string, Method<never>>;
  return undefined;
}

