// Helpers shared by filters and tests: Jinja2's attribute getters and coercions.
import { getitem } from '../runtime/attr.js';
import { pyTypeError } from '../runtime/errors.js';
import { iterate, pyCompare } from '../runtime/ops.js';
import { pyStr } from '../runtime/repr.js';
import { PyUndefined } from '../runtime/undefined.js';

/** Jinja's soft_str. */
export function toStr(value: unknown): string {
  return pyStr(value);
}

export function toList(value: unknown): unknown[] {
  return [...iterate(value)];
}

/** Jinja's make_attrgetter: `a.b.0` walks items (then attributes), digits as indices. */
export function attrGetter(
  attribute: unknown,
  options: { postprocess?: (v: unknown) => unknown; default?: unknown } = {},
): (item: unknown) => unknown {
  const parts: unknown[] =
    attribute === null || attribute === undefined
      ? []
      : typeof attribute === 'string'
        ? attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
        : [attribute];
  return (item: unknown) => {
    let value = item;
    for (const part of parts) {
      value = getitem(value, part);
      if (value instanceof PyUndefined && options.default !== undefined) {
        value = options.default;
        break;
      }
    }
    return options.postprocess ? options.postprocess(value) : value;
  };
}

/** Jinja's ignore_case postprocessor. */
export function ignoreCase(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** sorted(items, key=key) with Python's ordering; stable. */
export function sortBy(items: readonly unknown[], key: (item: unknown) => unknown, reverse = false): unknown[] {
  const keyed = items.map((item) => ({ item, key: key(item) }));
  keyed.sort((a, b) => pyCompare(a.key, b.key));
  if (reverse) {
    // Python's reverse=True keeps equal elements in original order.
    keyed.reverse();
    stableEqualRuns(keyed);
  }
  return keyed.map((k) => k.item);
}

function stableEqualRuns(keyed: { item: unknown; key: unknown }[]): void {
  let start = 0;
  while (start < keyed.length) {
    let end = start + 1;
    while (end < keyed.length && pyCompare(keyed[start]!.key, keyed[end]!.key) === 0) end++;
    if (end - start > 1) {
      const run = keyed.slice(start, end).reverse();
      keyed.splice(start, end - start, ...run);
    }
    start = end;
  }
}

export function requireString(value: unknown, filter: string): string {
  if (typeof value !== 'string') throw pyTypeError(`${filter} expects a string, got ${typeof value}`);
  return value;
}
