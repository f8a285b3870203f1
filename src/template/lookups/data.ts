// Lookups over data: items, list, dict, indexed_items, together, nested, sequence,
// subelements, env, vars.
import { AnsiblePluginError, ansibleError } from '../runtime/errors.js';
import { percentFormat } from '../python/format.js';
import { isMappingLike, mappingGet, mappingKeys } from '../runtime/ops.js';
import { isDict, pyRepr, pyStr } from '../runtime/repr.js';
import { PyUndefined } from '../runtime/undefined.js';
import { MISSING_KEY, tuple } from '../runtime/types.js';
import { parseKv } from '../../parsing/split-args.js';
import { defineLookup } from './registry.js';

/** LookupBase._flatten: one level. */
function flattenOnce(terms: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const term of terms) {
    if (Array.isArray(term)) out.push(...term);
    else out.push(term);
  }
  return out;
}

defineLookup('items', (terms) => flattenOnce(terms));
defineLookup('list', (terms) => [...terms]);

defineLookup('dict', (terms) => {
  const out: unknown[] = [];
  for (const term of terms) {
    if (!isMappingLike(term)) throw ansibleError('with_dict expects a dict');
    for (const key of mappingKeys(term)) out.push({ key, value: mappingGet(term, key) });
  }
  return out;
});

defineLookup('indexed_items', (terms) => flattenOnce(terms).map((item, i) => tuple(i, item)));

defineLookup('together', (terms) => {
  if (!terms.length) throw ansibleError('with_together requires at least one element in each list');
  const lists = terms.map((t) => (Array.isArray(t) ? t : [t]));
  const n = Math.max(...lists.map((l) => l.length));
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(flattenOnce(lists.map((l) => (i < l.length ? l[i] : null))));
  return out;
});

defineLookup('nested', (terms) => {
  const lists = terms.map((t) => (Array.isArray(t) ? t : [t]));
  if (!lists.length) throw ansibleError('with_nested requires at least one element in the nested list');
  let result: unknown[][] = (lists[0] as unknown[]).map((x) => [x]);
  for (const next of lists.slice(1)) {
    const combined: unknown[][] = [];
    for (const x of result) for (const y of next) combined.push(flattenOnce([x, y]));
    result = combined;
  }
  return result;
});

const SHORTCUT = /^((?:0[xX])?[0-9a-fA-F]+-)?((?:0[xX])?[0-9a-fA-F]+)(\/(?:0[xX])?[0-9a-fA-F]+)?(:(.+))?$/;

function parseIntLiteral(text: string, what: string): number {
  const t = text.trim();
  let n: number;
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) n = parseInt(t, 16);
  else if (/^[+-]?0[oO][0-7]+$/.test(t)) n = parseInt(t.replace(/0[oO]/, ''), 8);
  else if (/^[+-]?0[bB][01]+$/.test(t)) n = parseInt(t.replace(/0[bB]/, ''), 2);
  else if (/^[+-]?(0|[1-9]\d*)$/.test(t)) n = Number(t);
  else throw ansibleError(`can't parse ${what} as integer`);
  return n;
}

defineLookup('sequence', (terms) => {
  const results: string[] = [];
  for (const raw of terms) {
    const term = pyStr(raw);
    let start = 1;
    let end: number | undefined;
    let count: number | undefined;
    let stride = 1;
    let format = '%d';
    const m = SHORTCUT.exec(term);
    if (m) {
      if (m[1]) start = parseIntLiteral(m[1].slice(0, -1), `start=${m[1].slice(0, -1)}`);
      end = parseIntLiteral(m[2]!, `end=${m[2]}`);
      if (m[3]) stride = parseIntLiteral(m[3].slice(1), `stride=${m[3].slice(1)}`);
      if (m[5] !== undefined) format = m[5];
    } else {
      const args = parseKv(term);
      for (const key of ['start', 'end', 'count', 'stride'] as const) {
        if (!(key in args)) continue;
        const value = parseIntLiteral(String(args[key]), `${key}=${String(args[key])}`);
        if (key === 'start') start = value;
        else if (key === 'end') end = value;
        else if (key === 'count') count = value;
        else stride = value;
        delete args[key];
      }
      if ('format' in args) {
        format = String(args.format);
        delete args.format;
      }
      const extra = Object.keys(args);
      if (extra.length) throw ansibleError(`unrecognized arguments to with_sequence: ${pyRepr(extra)}`);
    }
    if (count === undefined && end === undefined) throw ansibleError('must specify count or end in with_sequence');
    if (count !== undefined && end !== undefined) throw ansibleError("can't specify both count and end in with_sequence");
    if (count !== undefined) {
      if (count !== 0) end = start + count * stride - 1;
      else {
        start = 0;
        end = 0;
        stride = 0;
      }
    }
    if (stride > 0 && end! < start) throw ansibleError('to count backwards make stride negative');
    if (stride < 0 && end! > start) throw ansibleError("to count forward don't make stride negative");
    if ((format.match(/%/g) ?? []).length !== 1) throw ansibleError(`bad formatting string: ${format}`);
    if (stride === 0) continue;
    const adjust = stride > 0 ? 1 : -1;
    for (let i = start; stride > 0 ? i < end! + adjust : i > end! + adjust; i += stride) {
      try {
        results.push(percentFormat(format, i));
      } catch {
        throw ansibleError(`problem formatting ${pyRepr(i)} with ${pyRepr(format)}`);
      }
    }
  }
  return results;
});

defineLookup('subelements', (terms) => {
  const fail = (msg = '') => ansibleError(`subelements lookup expects a list of two or three items, ${msg}`);
  if (terms.length < 2 || terms.length > 3) throw fail();
  const [first, path, flagsRaw] = terms;
  if (!(Array.isArray(first) || isDict(first)) || typeof path !== 'string') {
    throw fail('first a dict or a list, second a string pointing to the subkey');
  }
  let elements: unknown[];
  if (isDict(first)) {
    if (first.skipped !== undefined && first.skipped !== false) return [];
    elements = Object.values(first);
  } else elements = first;
  const flags = flagsRaw ?? {};
  if (!isDict(flags) || Object.keys(flags).some((k) => k !== 'skip_missing')) {
    throw fail("the optional third item must be a dict with flags ['skip_missing']");
  }
  const skipMissing = ['true', 'yes', '1', 'on', 'y'].includes(String(flags.skip_missing ?? false).toLowerCase());
  const keys = path.split('.');
  const out: unknown[] = [];
  for (const item of elements) {
    if (!isDict(item)) throw ansibleError(`subelements lookup expects a dictionary, got '${pyStr(item)}'`);
    if (item.skipped !== undefined && item.skipped !== false) continue;
    let value: Record<string, unknown> = item;
    let sublist: unknown[] = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const last = i === keys.length - 1;
      if (!Object.hasOwn(value, key)) {
        if (skipMissing) continue;
        throw ansibleError(`could not find '${key}' key in iterated item '${pyStr(value)}'`);
      }
      if (!last) {
        if (!isDict(value[key])) {
          if (skipMissing) continue;
          throw ansibleError(`the key ${key} should point to a dictionary, got '${pyStr(value[key])}'`);
        }
        value = value[key] as Record<string, unknown>;
      } else {
        if (!Array.isArray(value[key])) throw ansibleError(`the key ${key} should point to a list, got '${pyStr(value[key])}'`);
        sublist = value[key] as unknown[];
      }
    }
    // Ansible pops the list out of the item it yields.
    const stripped = stripKey(item, keys);
    for (const sub of sublist) out.push(tuple(stripped, sub));
  }
  return out;
});

/** A copy of `item` without the list at `keys` (Ansible pops it from the item it returns). */
function stripKey(item: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const copy = { ...item };
  if (keys.length === 1) {
    delete copy[keys[0]!];
    return copy;
  }
  const head = keys[0]!;
  if (isDict(copy[head])) copy[head] = stripKey(copy[head] as Record<string, unknown>, keys.slice(1));
  return copy;
}

defineLookup('env', (terms, options) => {
  const fallback = options.default ?? '';
  return terms.map((term) => {
    const name = pyStr(term).split(/\s+/)[0]!;
    const value = process.env[name];
    if (value !== undefined) return value;
    if (fallback instanceof PyUndefined) {
      throw new AnsiblePluginError('AnsibleUndefinedVariable', `The "env" lookup, found an undefined variable: ${name}`);
    }
    return fallback;
  });
});

defineLookup('vars', (terms, options, state) => {
  const fallback = options.default;
  return terms.map((term) => {
    if (typeof term !== 'string') {
      throw ansibleError(`Invalid setting identifier, "${pyStr(term)}" is not a string, its a <class '${typeof term}'>`);
    }
    let value = state.variable(term);
    if (value === MISSING_KEY) {
      const host = state.variable('inventory_hostname');
      const hostvars = state.variable('hostvars');
      if (host !== MISSING_KEY && hostvars !== MISSING_KEY && isMappingLike(hostvars)) {
        const hv = mappingGet(hostvars, pyStr(host));
        if (isMappingLike(hv)) {
          const v = mappingGet(hv, term);
          if (v !== MISSING_KEY && v !== undefined) value = v;
        }
      }
    }
    if (value === MISSING_KEY || value instanceof PyUndefined) {
      if (fallback !== undefined && fallback !== null) return fallback;
      if (value instanceof PyUndefined) value.fail();
      throw new AnsiblePluginError('AnsibleUndefinedVariable', `No variable found with this name: ${term}`);
    }
    return value;
  });
});

