// Ansible's math and set filters (mathstuff): unique, union, intersect, difference,
// symmetric_difference, product, permutations, combinations, zip, zip_longest, log,
// pow, root, human_readable, human_to_bytes, rekey_on_member.
import { defineFilter } from '../plugins.js';
import { filterError, PyException, pyValueError } from '../runtime/errors.js';
import { contains, isMappingLike, iterate, mappingGet, mappingKeys, numberOf, toInt, truthy } from '../runtime/ops.js';
import { pyRepr } from '../runtime/repr.js';
import { PyTuple, toPyFloat, toTuple } from '../runtime/types.js';
import { pyFormatFixed } from '../python/number.js';
import { attrGetter, ignoreCase, toList, toStr } from './util.js';

/** Jinja's do_unique as Ansible calls it (case-insensitive unless told otherwise). */
function unique(items: readonly unknown[], caseSensitive: boolean, attribute: unknown): unknown[] {
  const key = attrGetter(attribute, { postprocess: caseSensitive ? undefined : ignoreCase });
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const item of items) {
    const k = key(item);
    if (!contains(seen, k)) {
      seen.push(k);
      out.push(item);
    }
  }
  return out;
}

defineFilter('unique', 'a, case_sensitive=None, attribute=None', ({ a, case_sensitive, attribute }) =>
  unique(toList(a), truthy(case_sensitive), attribute),
);

/** Strings are hashable in Python: set operations on them give sets. */
function hashable(value: unknown): boolean {
  return typeof value === 'string' || value instanceof PyTuple;
}

function setOf(value: unknown): Set<unknown> {
  return new Set(iterate(value));
}

defineFilter('intersect', 'a, b', ({ a, b }) => {
  if (hashable(a) && hashable(b)) {
    const sb = setOf(b);
    return new Set([...setOf(a)].filter((x) => sb.has(x)));
  }
  const listB = toList(b);
  return unique(toList(a).filter((x) => contains(listB, x)), true, null);
});

defineFilter('difference', 'a, b', ({ a, b }) => {
  if (hashable(a) && hashable(b)) {
    const sb = setOf(b);
    return new Set([...setOf(a)].filter((x) => !sb.has(x)));
  }
  const listB = toList(b);
  return unique(toList(a).filter((x) => !contains(listB, x)), true, null);
});

defineFilter('union', 'a, b', ({ a, b }) => {
  if (hashable(a) && hashable(b)) return new Set([...setOf(a), ...setOf(b)]);
  return unique([...toList(a), ...toList(b)], true, null);
});

defineFilter('symmetric_difference', 'a, b', ({ a, b }) => {
  if (hashable(a) && hashable(b)) {
    const sa = setOf(a);
    const sb = setOf(b);
    return new Set([...[...sa].filter((x) => !sb.has(x)), ...[...sb].filter((x) => !sa.has(x))]);
  }
  const listA = toList(a);
  const listB = toList(b);
  const isect = unique(listA.filter((x) => contains(listB, x)), true, null);
  return unique([...listA, ...listB], true, null).filter((x) => !contains(isect, x));
});

defineFilter('product', '*iterables, repeat=1', ({ iterables, repeat }) => {
  const pools: unknown[][] = [];
  const lists = (iterables as unknown[]).map(toList);
  for (let r = 0; r < toInt(repeat); r++) pools.push(...lists);
  let result: unknown[][] = [[]];
  for (const pool of pools) {
    const next: unknown[][] = [];
    for (const prefix of result) for (const item of pool) next.push([...prefix, item]);
    result = next;
  }
  return result.map((r) => toTuple(r));
});

defineFilter('permutations', 'iterable, r=None', ({ iterable, r }) => {
  const pool = toList(iterable);
  const n = pool.length;
  const k = r === null ? n : toInt(r);
  const out: PyTuple[] = [];
  if (k > n) return out;
  const walk = (prefix: number[]) => {
    if (prefix.length === k) {
      out.push(toTuple(prefix.map((i) => pool[i])));
      return;
    }
    for (let i = 0; i < n; i++) if (!prefix.includes(i)) walk([...prefix, i]);
  };
  walk([]);
  return out;
});

defineFilter('combinations', 'iterable, r', ({ iterable, r }) => {
  const pool = toList(iterable);
  const k = toInt(r);
  const out: PyTuple[] = [];
  const walk = (start: number, prefix: unknown[]) => {
    if (prefix.length === k) {
      out.push(toTuple(prefix));
      return;
    }
    for (let i = start; i < pool.length; i++) walk(i + 1, [...prefix, pool[i]]);
  };
  if (k <= pool.length) walk(0, []);
  return out;
});

defineFilter('zip', '*iterables', ({ iterables }) => {
  const lists = (iterables as unknown[]).map(toList);
  if (!lists.length) return [];
  const n = Math.min(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => toTuple(lists.map((l) => l[i])));
});

defineFilter('zip_longest', '*iterables, fillvalue=None', ({ iterables, fillvalue }) => {
  const lists = (iterables as unknown[]).map(toList);
  if (!lists.length) return [];
  const n = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => toTuple(lists.map((l) => (i < l.length ? l[i] : fillvalue))));
});

function requireNumber(value: unknown, filter: string): number {
  const n = numberOf(value);
  if (n === undefined) throw new PyException('AnsibleFilterTypeError', `${filter}() can only be used on numbers: must be real number, not ${typeof value === 'string' ? 'str' : 'list'}`);
  return n;
}

defineFilter('log', 'x, base=2.718281828459045', ({ x, base }) => {
  const n = requireNumber(x, 'log');
  const b = requireNumber(base, 'log');
  if (n <= 0) throw pyValueError('math domain error');
  return toPyFloat(b === 10 ? Math.log10(n) : Math.log(n) / Math.log(b));
});

defineFilter('pow', 'x, y', ({ x, y }) => toPyFloat(Math.pow(requireNumber(x, 'pow'), requireNumber(y, 'pow'))));

defineFilter('root', 'x, base=2', ({ x, base }) => {
  const n = requireNumber(x, 'root');
  const b = requireNumber(base, 'root');
  if (b === 2) {
    if (n < 0) throw new PyException('AnsibleFilterTypeError', 'root() can only be used on numbers: math domain error');
    return toPyFloat(Math.sqrt(n));
  }
  return toPyFloat(Math.pow(n, 1 / b));
});

const SIZE_RANGES: [string, number][] = [
  ['Y', 2 ** 80],
  ['Z', 2 ** 70],
  ['E', 2 ** 60],
  ['P', 2 ** 50],
  ['T', 2 ** 40],
  ['G', 2 ** 30],
  ['M', 2 ** 20],
  ['K', 2 ** 10],
  ['B', 1],
];

defineFilter('human_readable', 'size, isbits=False, unit=None', ({ size, isbits, unit }) => {
  const n = numberOf(size);
  if (n === undefined) throw new PyException('AnsibleFilterTypeError', `human_readable() failed on bad input: '>=' not supported between instances of 'str' and 'int'`);
  const base = truthy(isbits) ? 'bits' : 'Bytes';
  let suffix = '';
  let limit = 1;
  for ([suffix, limit] of SIZE_RANGES) {
    if ((unit === null && n >= limit) || (unit !== null && toStr(unit).toUpperCase() === suffix[0])) break;
  }
  suffix = limit !== 1 ? suffix + base[0] : base;
  return `${pyFormatFixed(n / limit, 2)} ${suffix}`;
});

defineFilter('human_to_bytes', 'size, default_unit=None, isbits=False', ({ size, default_unit, isbits }) => {
  const text = toStr(size);
  const fail = () => filterError(`human_to_bytes() can't interpret following string: ${text}`);
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text);
  if (!m || !m[1] || Number.isNaN(Number(m[1]))) throw fail();
  const num = Number(m[1]);
  const unit = m[2] ?? (default_unit === null ? undefined : toStr(default_unit));
  if (unit === undefined) return Math.round(num);
  const rangeKey = unit[0]!.toUpperCase();
  const limit = SIZE_RANGES.find(([k]) => k === rangeKey)?.[1];
  if (limit === undefined) throw fail();
  const unitClass = truthy(isbits) ? 'b' : 'B';
  const unitClassName = truthy(isbits) ? 'bit' : 'byte';
  if (unit.length > 1 && !unit.toLowerCase().includes(unitClassName) && unit[1] !== unitClass) throw fail();
  return Math.round(num * limit);
});

defineFilter('rekey_on_member', "data, key, duplicates='error'", ({ data, key, duplicates }) => {
  if (duplicates !== 'error' && duplicates !== 'overwrite') {
    throw filterError(`duplicates parameter to rekey_on_member has unknown value: ${toStr(duplicates)}`);
  }
  let items: unknown[];
  if (isMappingLike(data)) items = mappingKeys(data).map((k) => mappingGet(data, k));
  else if (Array.isArray(data)) items = data;
  else throw new PyException('AnsibleFilterTypeError', 'Type is not a valid list, set, or dict');
  const out: Record<string, unknown> = {};
  for (const item of items) {
    if (!isMappingLike(item)) throw new PyException('AnsibleFilterTypeError', 'List item is not a valid dict');
    const k = toStr(key);
    if (!mappingKeys(item).includes(k)) throw filterError(`Key ${k} was not found`);
    const value = mappingGet(item, k);
    const name = typeof value === 'string' ? value : pyRepr(value);
    if (truthy(out[name] ?? null)) {
      if (duplicates === 'error') throw filterError(`Key ${toStr(value)} is not unique, cannot correctly turn into dict`);
      out[name] = item;
    } else out[name] = item;
  }
  return out;
});

