// Jinja2's builtin filters (3.1), with Python's semantics.
import { defineFilter, FILTERS, invokePlugin, TESTS } from '../plugins.js';
import { getattr } from '../runtime/attr.js';
import { pyTypeError, filterError } from '../runtime/errors.js';
import { STR_METHODS } from '../runtime/methods.js';
import {
  add,
  isFloatValue,
  isMappingLike,
  iterate,
  mappingGet,
  mappingKeys,
  numberOf,
  pyCompare,
  pyLen,
  truthy,
} from '../runtime/ops.js';
import { isDict, pyRepr, pyTypeName } from '../runtime/repr.js';
import { Kwargs, PyFloat, PyIterable, toPyFloat, toTuple, tuple, generator } from '../runtime/types.js';
import { PyUndefined } from '../runtime/undefined.js';
import { percentFormat } from '../python/format.js';
import { pyJsonDumps } from '../python/json.js';
import { pyFormatFixed, pyRound } from '../python/number.js';
import { pyIntFromString, pyFloatFromString } from '../python/convert.js';
import type { RenderState } from '../render-state.js';
import { attrGetter, ignoreCase, sortBy, toList, toStr } from './util.js';

const s = (a: unknown) => toStr(a);

defineFilter('abs', 'x', ({ x }) => {
  const n = numberOf(x);
  if (n === undefined) throw pyTypeError(`bad operand type for abs(): '${pyTypeName(x)}'`);
  return x instanceof PyFloat ? new PyFloat(Math.abs(n)) : typeof x === 'boolean' ? Number(x) : Math.abs(n);
});

defineFilter('attr', 'obj, name', ({ obj, name }) => {
  if (isDict(obj)) return new PyUndefined(undefined, obj, name);
  return getattr(obj, toStr(name));
});

defineFilter('batch', 'value, linecount, fill_with=None', ({ value, linecount, fill_with }) => {
  const n = Number(numberOf(linecount));
  const out: unknown[][] = [];
  let tmp: unknown[] = [];
  for (const item of iterate(value)) {
    if (tmp.length === n) {
      out.push(tmp);
      tmp = [];
    }
    tmp.push(item);
  }
  if (tmp.length) {
    if (fill_with !== null && tmp.length < n) while (tmp.length < n) tmp.push(fill_with);
    out.push(tmp);
  }
  return generator('do_batch', out);
});

defineFilter('capitalize', 's', ({ s: v }) => STR_METHODS.capitalize!(s(v), [], {}));
defineFilter('center', 'value, width=80', ({ value, width }) => STR_METHODS.center!(s(value), [width], {}));
defineFilter(['count', 'length'], 'obj', ({ obj }) => pyLen(obj));

defineFilter(
  ['default', 'd'],
  "value, default_value='', boolean=False",
  ({ value, default_value, boolean }) => {
    if (value instanceof PyUndefined || (truthy(boolean) && !truthy(value))) return default_value;
    return value;
  },
  { acceptsUndefined: true },
);

defineFilter('dictsort', "value, case_sensitive=False, by='key', reverse=False", ({ value, case_sensitive, by, reverse }) => {
  if (!isMappingLike(value)) throw filterError('dictsort filter requires a mapping');
  const pos = by === 'key' ? 0 : by === 'value' ? 1 : -1;
  if (pos < 0) throw pyTypeError('You can only sort by either "key" or "value"');
  const items = mappingKeys(value).map((k) => tuple(k, mappingGet(value, k)));
  return sortBy(items, (item) => {
    const v = (item as unknown[])[pos];
    return truthy(case_sensitive) ? v : ignoreCase(v);
  }, truthy(reverse));
});

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
const htmlEscape = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
defineFilter(['escape', 'e', 'forceescape'], 's', ({ s: v }) => htmlEscape(s(v)));

defineFilter('filesizeformat', 'value, binary=False', ({ value, binary }) => {
  const bytes = Number(numberOf(typeof value === 'string' ? pyFloatFromString(value) : value));
  const base = truthy(binary) ? 1024 : 1000;
  const prefixes = truthy(binary) ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = base;
  let prefix = prefixes[0]!;
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    prefix = prefixes[i]!;
    if (bytes < unit) break;
  }
  return `${pyFormatFixed((base * bytes) / unit, 1)} ${prefix}`;
});

defineFilter('first', 'seq', ({ seq }) => {
  const items = iterate(seq);
  return items.length ? items[0] : new PyUndefined('No first item, sequence was empty.');
});

defineFilter('last', 'seq', ({ seq }) => {
  const items = iterate(seq);
  return items.length ? items[items.length - 1] : new PyUndefined('No last item, sequence was empty.');
});

defineFilter('float', 'value, default=0.0', ({ value, default: fallback }) => {
  const n = numberOf(value);
  if (n !== undefined) return toPyFloat(n);
  if (typeof value === 'string') {
    const parsed = pyFloatFromString(value);
    if (parsed !== undefined) return toPyFloat(parsed);
  }
  return fallback;
});

defineFilter('format', 'value, *args, **kwargs', ({ value, args, kwargs }) => {
  const a = args as unknown[];
  const k = kwargs as Kwargs;
  if (a.length && Object.keys(k).length) throw filterError("can't handle positional and keyword arguments at the same time");
  return percentFormat(s(value), Object.keys(k).length ? k : toTuple(a));
});

defineFilter('groupby', 'value, attribute, default=None, case_sensitive=False', ({ value, attribute, default: fallback, case_sensitive }) => {
  const def = fallback === null ? undefined : fallback;
  const key = attrGetter(attribute, { default: def, postprocess: truthy(case_sensitive) ? undefined : ignoreCase });
  const realKey = attrGetter(attribute, { default: def });
  const groups: { key: unknown; items: unknown[] }[] = [];
  for (const item of sortBy(toList(value), key)) {
    const k = key(item);
    const last = groups[groups.length - 1];
    if (last && pyCompare(last.key, k) === 0) last.items.push(item);
    else groups.push({ key: k, items: [item] });
  }
  return groups.map((g) => tuple(realKey(g.items[0]), g.items));
});

defineFilter('indent', 's, width=4, first=False, blank=False', ({ s: v, width, first, blank }) => {
  const pad = typeof width === 'string' ? width : ' '.repeat(Number(numberOf(width)));
  const lines = STR_METHODS.splitlines!(`${s(v)}\n`, [], {}) as string[];
  let rv: string;
  if (truthy(blank)) rv = lines.join(`\n${pad}`);
  else {
    rv = lines.shift() ?? '';
    if (lines.length) rv += `\n${lines.map((line) => (line ? pad + line : line)).join('\n')}`;
  }
  return truthy(first) ? pad + rv : rv;
});

defineFilter('int', 'value, default=0, base=10', ({ value, default: fallback, base }) => {
  if (typeof value === 'string') {
    const parsed = pyIntFromString(value, Number(numberOf(base)));
    if (parsed !== undefined) return parsed;
    const f = pyFloatFromString(value);
    return f !== undefined && Number.isFinite(f) ? Math.trunc(f) : fallback;
  }
  const n = numberOf(value);
  if (n !== undefined && Number.isFinite(n)) return Math.trunc(n);
  return fallback;
});

defineFilter('items', 'value', ({ value }) => {
  if (value instanceof PyUndefined) return generator('do_items', []);
  if (!isMappingLike(value)) throw pyTypeError('Can only get item pairs from a mapping.');
  return generator('do_items', mappingKeys(value).map((k) => tuple(k, mappingGet(value, k))));
}, { acceptsUndefined: true });

defineFilter('join', "value, d='', attribute=None", ({ value, d, attribute }) => {
  let items = toList(value);
  if (attribute !== null) items = items.map(attrGetter(attribute));
  return items.map(s).join(s(d));
});

defineFilter('list', 'value', ({ value }) => toList(value));
defineFilter('lower', 's', ({ s: v }) => s(v).toLowerCase());
defineFilter('upper', 's', ({ s: v }) => s(v).toUpperCase());

/** Jinja's prepare_map / prepare_select_or_reject: a function applied to each item. */
function mapFunction(args: unknown[], kwargs: Kwargs, state: RenderState): (item: unknown) => unknown {
  if (!args.length && Object.hasOwn(kwargs, 'attribute')) {
    const rest = Object.keys(kwargs).filter((k) => k !== 'attribute' && k !== 'default');
    if (rest.length) throw filterError(`Unexpected keyword argument ${pyRepr(rest[0])}`);
    const fallback = Object.hasOwn(kwargs, 'default') ? kwargs.default : undefined;
    return attrGetter(kwargs.attribute, { default: fallback });
  }
  if (!args.length) throw filterError('map requires a filter argument');
  const [name, ...rest] = args;
  const def = FILTERS.get(toStr(name));
  if (!def) throw filterError(`No filter named ${pyRepr(toStr(name))}.`);
  return (item) => {
    if (item instanceof PyUndefined && !def.acceptsUndefined) item.fail();
    const result = invokePlugin(def, [item, ...rest], kwargs, state);
    return result instanceof PyIterable && result.kind !== 'range' ? [...result.items] : result;
  };
}

defineFilter('map', 'value, *args, **kwargs', ({ value, args, kwargs }, state) => {
  const fn = mapFunction(args as unknown[], kwargs as Kwargs, state);
  if (value instanceof PyUndefined) return generator('sync_do_map', []);
  return generator('sync_do_map', toList(value).map(fn));
}, { acceptsUndefined: true });

function testFunction(args: unknown[], kwargs: Kwargs, state: RenderState): (item: unknown) => boolean {
  if (!args.length) return truthy;
  const [name, ...rest] = args;
  const def = TESTS.get(toStr(name));
  if (!def) throw filterError(`No test named ${pyRepr(toStr(name))}.`);
  return (item) => truthy(invokePlugin(def, [item, ...rest], kwargs, state));
}

function selectOrReject(value: unknown, args: unknown[], kwargs: Kwargs, state: RenderState, byAttr: boolean, keep: boolean, name: string): PyIterable {
  let getter: (item: unknown) => unknown = (item) => item;
  let testArgs = args;
  if (byAttr) {
    if (!args.length) throw filterError('Missing parameter for attribute name');
    getter = attrGetter(args[0]);
    testArgs = args.slice(1);
  }
  const test = testFunction(testArgs, kwargs, state);
  if (value instanceof PyUndefined) return generator(name, []);
  return generator(name, toList(value).filter((item) => test(getter(item)) === keep));
}

defineFilter('select', 'value, *args, **kwargs', ({ value, args, kwargs }, st) => selectOrReject(value, args as unknown[], kwargs as Kwargs, st, false, true, 'select_or_reject'), { acceptsUndefined: true });
defineFilter('reject', 'value, *args, **kwargs', ({ value, args, kwargs }, st) => selectOrReject(value, args as unknown[], kwargs as Kwargs, st, false, false, 'select_or_reject'), { acceptsUndefined: true });
defineFilter('selectattr', 'value, *args, **kwargs', ({ value, args, kwargs }, st) => selectOrReject(value, args as unknown[], kwargs as Kwargs, st, true, true, 'select_or_reject'), { acceptsUndefined: true });
defineFilter('rejectattr', 'value, *args, **kwargs', ({ value, args, kwargs }, st) => selectOrReject(value, args as unknown[], kwargs as Kwargs, st, true, false, 'select_or_reject'), { acceptsUndefined: true });

function minMax(value: unknown, caseSensitive: unknown, attribute: unknown, wantMax: boolean): unknown {
  const items = toList(value);
  if (!items.length) return new PyUndefined(`No aggregated item, sequence was empty.`);
  const key = attrGetter(attribute, { postprocess: truthy(caseSensitive) ? undefined : ignoreCase });
  let best = items[0];
  let bestKey = key(best);
  for (const item of items.slice(1)) {
    const k = key(item);
    const c = pyCompare(k, bestKey);
    if (wantMax ? c > 0 : c < 0) {
      best = item;
      bestKey = k;
    }
  }
  return best;
}

defineFilter('max', 'value, case_sensitive=False, attribute=None', ({ value, case_sensitive, attribute }) => minMax(value, case_sensitive, attribute, true));
defineFilter('min', 'value, case_sensitive=False, attribute=None', ({ value, case_sensitive, attribute }) => minMax(value, case_sensitive, attribute, false));

defineFilter('pprint', 'value', ({ value }) => pyRepr(value));

defineFilter('replace', 's, old, new, count=None', ({ s: v, old, new: replacement, count }) =>
  STR_METHODS.replace!(s(v), count === null ? [s(old), s(replacement)] : [s(old), s(replacement), count], {}),
);

defineFilter('reverse', 'value', ({ value }) => {
  if (typeof value === 'string') return [...value].reverse().join('');
  return generator('reverse', [...iterate(value)].reverse());
});

defineFilter('round', "value, precision=0, method='common'", ({ value, precision, method }) => {
  const n = numberOf(value);
  if (n === undefined) throw pyTypeError(`type ${pyTypeName(value)} doesn't define __round__ method`);
  const p = Number(numberOf(precision));
  if (method === 'common') {
    const r = pyRound(n, p);
    return isFloatValue(value) ? toPyFloat(r) : r;
  }
  if (method !== 'ceil' && method !== 'floor') throw filterError('method must be common, ceil or floor');
  const factor = 10 ** p;
  const fn = method === 'ceil' ? Math.ceil : Math.floor;
  return toPyFloat(fn(n * factor) / factor);
});

defineFilter('safe', 'value', ({ value }) => s(value));

defineFilter('slice', 'value, slices, fill_with=None', ({ value, slices, fill_with }) => {
  const seq = toList(value);
  const n = Number(numberOf(slices));
  const length = seq.length;
  const perSlice = Math.floor(length / n);
  const withExtra = length % n;
  let offset = 0;
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    const start = offset + i * perSlice;
    if (i < withExtra) offset++;
    const end = offset + (i + 1) * perSlice;
    const part = seq.slice(start, end);
    if (fill_with !== null && i >= withExtra) part.push(fill_with);
    out.push(part);
  }
  return generator('sync_do_slice', out);
});

defineFilter('sort', 'value, reverse=False, case_sensitive=False, attribute=None', ({ value, reverse, case_sensitive, attribute }) =>
  sortBy(toList(value), attrGetter(attribute, { postprocess: truthy(case_sensitive) ? undefined : ignoreCase }), truthy(reverse)),
);

defineFilter('string', 'value', ({ value }) => s(value));

defineFilter('striptags', 'value', ({ value }) =>
  s(value)
    .replace(/<!--[\s\S]*?-->|<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|#34);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#34': '"' })[e]!)
    .split(/\s+/)
    .filter(Boolean)
    .join(' '),
);

defineFilter('sum', 'iterable, attribute=None, start=0', ({ iterable, attribute, start }) => {
  let items = toList(iterable);
  if (attribute !== null) items = items.map(attrGetter(attribute));
  let total = start;
  for (const item of items) total = add(total, item);
  return total;
});

defineFilter('title', 's', ({ s: v }) =>
  s(v)
    .split(/([-\s({[<]+)/)
    .filter((item) => item)
    .map((item) => item[0]!.toUpperCase() + item.slice(1).toLowerCase())
    .join(''),
);

defineFilter('tojson', 'value, indent=None', ({ value, indent }) =>
  htmlSafeJson(value, indent === null ? undefined : Number(numberOf(indent))),
);

function htmlSafeJson(value: unknown, indent: number | undefined): string {
  return pyJsonDumps(value, { sortKeys: true, indent })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027');
}

defineFilter('trim', 'value, chars=None', ({ value, chars }) => STR_METHODS.strip!(s(value), chars === null ? [] : [chars], {}));

defineFilter('truncate', "s, length=255, killwords=False, end='...', leeway=None", ({ s: v, length, killwords, end, leeway }) => {
  const text = s(v);
  const len = Number(numberOf(length));
  const lee = leeway === null ? 5 : Number(numberOf(leeway));
  const tail = s(end);
  if (len < tail.length) throw filterError(`expected length >= ${tail.length}, got ${len}`);
  if (lee < 0) throw filterError(`expected leeway >= 0, got ${lee}`);
  if (text.length <= len + lee) return text;
  if (truthy(killwords)) return text.slice(0, len - tail.length) + tail;
  const cut = text.slice(0, len - tail.length);
  const at = cut.lastIndexOf(' ');
  return (at < 0 ? '' : cut.slice(0, at)) + tail;
});

defineFilter('urlencode', 'value', ({ value }) => {
  const quote = (t: string, safe: string) =>
    [...Buffer.from(t, 'utf8')]
      .map((b) => {
        const c = String.fromCharCode(b);
        return /[A-Za-z0-9_.\-~]/.test(c) || safe.includes(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
      })
      .join('');
  if (typeof value === 'string') return quote(value, '/');
  const pairs = isMappingLike(value) ? mappingKeys(value).map((k) => [k, mappingGet(value, k)]) : toList(value).map((p) => toList(p));
  const plus = (t: string) => quote(t, ' ').replace(/ /g, '+');
  return pairs.map(([k, v]) => `${plus(s(k))}=${plus(s(v))}`).join('&');
});

defineFilter('wordcount', 's', ({ s: v }) => (s(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length);

defineFilter('wordwrap', 's, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True', ({ s: v, width, break_long_words, wrapstring }) => {
  const w = Number(numberOf(width));
  const sep = wrapstring === null ? '\n' : s(wrapstring);
  return s(v)
    .split(/\r\n|\r|\n/)
    .map((para) => {
      const words = para.split(/\s+/).filter(Boolean);
      const lines: string[] = [];
      let line = '';
      for (let word of words) {
        while (truthy(break_long_words) && word.length > w) {
          if (line) {
            lines.push(line);
            line = '';
          }
          lines.push(word.slice(0, w));
          word = word.slice(w);
        }
        if (!line) line = word;
        else if (line.length + 1 + word.length <= w) line += ` ${word}`;
        else {
          lines.push(line);
          line = word;
        }
      }
      if (line) lines.push(line);
      return lines.join(sep);
    })
    .join(sep);
});

defineFilter('xmlattr', 'd, autospace=True', ({ d, autospace }) => {
  if (!isMappingLike(d)) throw filterError('xmlattr requires a mapping');
  const parts = mappingKeys(d)
    .filter((k) => {
      const v = mappingGet(d, k);
      return v !== null && !(v instanceof PyUndefined);
    })
    .map((k) => `${htmlEscape(k)}="${htmlEscape(s(mappingGet(d, k)))}"`);
  const out = parts.join(' ');
  return out && truthy(autospace) ? ` ${out}` : out;
});

