// Ansible's combine_vars: how two variable dictionaries of different precedence are
// merged. With hash_behaviour=replace (the default) a higher-precedence variable
// replaces a lower one whole; with merge, dictionaries merge recursively.
import { TsplayError } from '../errors.js';
import { pyJsonDumps } from '../template/python/json.js';

export type HashBehaviour = 'replace' | 'merge';
export type Vars = Record<string, unknown>;

export function isMapping(value: unknown): value is Vars {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The Python type name Ansible prints for loaded data in its combine errors. */
function pyTypeName(value: unknown, accumulated: boolean): string {
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'AnsibleSequence';
  if (typeof value === 'string') return 'AnsibleUnicode';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (isMapping(value)) return accumulated ? 'dict' : 'AnsibleMapping';
  return typeof value;
}

function validateMappings(a: unknown, b: unknown): void {
  if (isMapping(a) && isMapping(b)) return;
  const dump = (v: unknown) => {
    try {
      return pyJsonDumps(v);
    } catch {
      return String(v);
    }
  };
  throw new TsplayError(
    `failed to combine variables, expected dicts but got a '${pyTypeName(a, true)}' and a '${pyTypeName(b, false)}': \n${dump(a)}\n${dump(b)}`,
  );
}

/** merge_hash: recursive merge, lists replaced. */
export function mergeHash(x: Vars, y: Vars): Vars {
  if (Object.keys(x).length === 0) return { ...y };
  if (Object.keys(y).length === 0) return x;
  const out: Vars = { ...x };
  for (const [key, yValue] of Object.entries(y)) {
    const xValue = out[key];
    out[key] = Object.hasOwn(out, key) && isMapping(xValue) && isMapping(yValue) ? mergeHash(xValue, yValue) : yValue;
  }
  return out;
}

/** combine_vars(a, b): b wins. Throws TsplayError when either is not a dictionary. */
export function combineVars(a: unknown, b: unknown, behaviour: HashBehaviour = 'replace'): Vars {
  validateMappings(a, b);
  const x = a as Vars;
  const y = b as Vars;
  return behaviour === 'merge' ? mergeHash(x, y) : { ...x, ...y };
}
