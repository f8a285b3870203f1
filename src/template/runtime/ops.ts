// Python operator semantics: truthiness, equality, ordering, arithmetic, `in`, len() and
// iteration. Bools count as ints, as in Python; integral floats are PyFloat boxes.
import { percentFormat } from '../python/format.js';
import { pyTypeError, pyZeroDivision, pyValueError } from './errors.js';
import { isDict, pyTypeName } from './repr.js';
import { PyDatetime, PyFloat, PyIterable, PyMapping, PyTimedelta, PyTuple, toPyFloat, toTuple } from './types.js';
import { PyUndefined } from './undefined.js';

// ---- numbers -------------------------------------------------------------------------

/** The numeric value of an int, float or bool; undefined for anything else. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof PyFloat) return value.value;
  return undefined;
}

export function isNumber(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat;
}

export function isFloatValue(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
}

/** Python int() of a number (truncates floats). */
export function toInt(value: unknown): number {
  const n = numberOf(value);
  if (n === undefined) throw pyTypeError(`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`);
  return Math.trunc(n);
}

function numericResult(n: number, float: boolean): number | PyFloat {
  return float ? toPyFloat(n) : n;
}

function failUndefined(...values: unknown[]): void {
  for (const v of values) if (v instanceof PyUndefined) v.fail();
}

function unsupported(op: string, a: unknown, b: unknown): never {
  throw pyTypeError(`unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

// ---- truthiness, equality, ordering --------------------------------------------------

export function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0;
    case 'object':
      break;
    default:
      return true;
  }
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof PyUndefined) {
    if (value.lenient) return false;
    value.fail();
  }
  if (value instanceof PyFloat) return value.value !== 0;
  if (value instanceof PyMapping) return value.keys().length > 0;
  if (value instanceof PyIterable) return value.kind === 'generator' || value.items.length > 0;
  if (value instanceof Set) return value.size > 0;
  if (isDict(value)) {
    for (const _ in value) return true;
    return false;
  }
  return true;
}

export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) {
    if (a instanceof PyUndefined) a.fail();
    return typeof a !== 'number' || !Number.isNaN(a);
  }
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) {
    failUndefined(a, b);
    return a === b;
  }
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'string' || tb === 'string') {
    failUndefined(a, b);
    if (ta === 'string' && tb === 'string') return a === b;
    if (a instanceof String || b instanceof String) return String(a) === String(b);
    return false;
  }
  const na = numberOf(a);
  if (na !== undefined) {
    const nb = numberOf(b);
    if (nb !== undefined) return na === nb;
    failUndefined(b);
    return false;
  }
  failUndefined(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length || (a instanceof PyTuple) !== (b instanceof PyTuple)) return false;
    for (let i = 0; i < a.length; i++) if (!pyEquals(a[i], b[i])) return false;
    return true;
  }
  if (isMappingLike(a) && isMappingLike(b)) {
    const ka = mappingKeys(a);
    const kb = mappingKeys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
      if (!mappingHas(b, k)) return false;
      if (!pyEquals(mappingGet(a, k), mappingGet(b, k))) return false;
    }
    return true;
  }
  if (a instanceof PyIterable && b instanceof PyIterable && a.kind === b.kind && a.kind !== 'generator') {
    return pyEquals([...a.items], [...b.items]);
  }
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((x) => b.has(x));
  if (a instanceof PyDatetime && b instanceof PyDatetime) return microseconds(a) === microseconds(b);
  if (a instanceof PyTimedelta && b instanceof PyTimedelta) return a.totalMicroseconds === b.totalMicroseconds;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && a.valueOf() !== a && b.valueOf() !== b) {
    return a.valueOf() === b.valueOf();
  }
  return false;
}

const OP_SYMBOL = { lt: '<', gt: '>', le: '<=', ge: '>=' } as const;
export type OrderOp = keyof typeof OP_SYMBOL;

/** -1, 0 or 1; TypeError when Python cannot order the two values. */
export function pyCompare(a: unknown, b: unknown, op: OrderOp = 'lt'): number {
  failUndefined(a, b);
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if ((a instanceof PyDatetime && b instanceof PyDatetime) || (a instanceof PyTimedelta && b instanceof PyTimedelta)) {
    const x = a instanceof PyDatetime ? microseconds(a) : (a as PyTimedelta).totalMicroseconds;
    const y = b instanceof PyDatetime ? microseconds(b) : (b as PyTimedelta).totalMicroseconds;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (Array.isArray(a) && Array.isArray(b) && (a instanceof PyTuple) === (b instanceof PyTuple)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
  }
  throw pyTypeError(`'${OP_SYMBOL[op]}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

/** Python orders strings by code point; JS's < compares UTF-16 units, which differs only above the BMP. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) {
      const pa = a.codePointAt(i)!;
      const pb = b.codePointAt(i)!;
      return pa < pb ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : 1;
}

export function lt(a: unknown, b: unknown): boolean {
  return pyCompare(a, b, 'lt') < 0;
}
export function gt(a: unknown, b: unknown): boolean {
  return pyCompare(a, b, 'gt') > 0;
}
export function le(a: unknown, b: unknown): boolean {
  return pyCompare(a, b, 'le') <= 0;
}
export function ge(a: unknown, b: unknown): boolean {
  return pyCompare(a, b, 'ge') >= 0;
}

// ---- arithmetic ------------------------------------------------------------------------

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    return Number.isInteger(a) && Number.isInteger(b) ? r : toPyFloat(r);
  }
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  failUndefined(a, b);
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== undefined && nb !== undefined) return numericResult(na + nb, isFloatValue(a) || isFloatValue(b));
  if (typeof a === 'string') throw pyTypeError(`can only concatenate str (not "${pyTypeName(b)}") to str`);
  if (Array.isArray(a)) {
    const aTuple = a instanceof PyTuple;
    if (Array.isArray(b) && (b instanceof PyTuple) === aTuple) return aTuple ? toTuple([...a, ...b]) : [...a, ...b];
    throw pyTypeError(`can only concatenate ${aTuple ? 'tuple' : 'list'} (not "${pyTypeName(b)}") to ${aTuple ? 'tuple' : 'list'}`);
  }
  if (a instanceof PyDatetime && b instanceof PyTimedelta) return datetimeFromMicroseconds(microseconds(a) + b.totalMicroseconds);
  if (a instanceof PyTimedelta && b instanceof PyDatetime) return datetimeFromMicroseconds(microseconds(b) + a.totalMicroseconds);
  if (a instanceof PyTimedelta && b instanceof PyTimedelta) return new PyTimedelta(a.totalMicroseconds + b.totalMicroseconds);
  return unsupported('+', a, b);
}

export function sub(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    return Number.isInteger(a) && Number.isInteger(b) ? r : toPyFloat(r);
  }
  failUndefined(a, b);
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== undefined && nb !== undefined) return numericResult(na - nb, isFloatValue(a) || isFloatValue(b));
  if (a instanceof Set && b instanceof Set) return new Set([...a].filter((x) => !b.has(x)));
  if (a instanceof PyDatetime && b instanceof PyDatetime) return new PyTimedelta(microseconds(a) - microseconds(b));
  if (a instanceof PyDatetime && b instanceof PyTimedelta) return datetimeFromMicroseconds(microseconds(a) - b.totalMicroseconds);
  if (a instanceof PyTimedelta && b instanceof PyTimedelta) return new PyTimedelta(a.totalMicroseconds - b.totalMicroseconds);
  return unsupported('-', a, b);
}

function repeat(seq: unknown, times: number): unknown {
  const n = Math.max(0, times);
  if (typeof seq === 'string') return seq.repeat(n);
  const arr = seq as unknown[];
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...arr);
  return seq instanceof PyTuple ? toTuple(out) : out;
}

function isSequence(value: unknown): boolean {
  return typeof value === 'string' || Array.isArray(value);
}

export function mul(a: unknown, b: unknown): unknown {
  failUndefined(a, b);
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== undefined && nb !== undefined) return numericResult(na * nb, isFloatValue(a) || isFloatValue(b));
  if (isSequence(a) && nb !== undefined) {
    if (isFloatValue(b)) throw pyTypeError(`can't multiply sequence by non-int of type 'float'`);
    return repeat(a, nb);
  }
  if (isSequence(b) && na !== undefined) {
    if (isFloatValue(a)) throw pyTypeError(`can't multiply sequence by non-int of type 'float'`);
    return repeat(b, na);
  }
  if (isSequence(a)) throw pyTypeError(`can't multiply sequence by non-int of type '${pyTypeName(b)}'`);
  return unsupported('*', a, b);
}

export function div(a: unknown, b: unknown): unknown {
  failUndefined(a, b);
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na === undefined || nb === undefined) return unsupported('/', a, b);
  if (nb === 0) throw pyZeroDivision(isFloatValue(a) || isFloatValue(b) ? 'float division by zero' : 'division by zero');
  return toPyFloat(na / nb);
}

export function floorDiv(a: unknown, b: unknown): unknown {
  failUndefined(a, b);
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na === undefined || nb === undefined) return unsupported('//', a, b);
  const float = isFloatValue(a) || isFloatValue(b);
  if (nb === 0) throw pyZeroDivision(float ? 'float floor division by zero' : 'integer division or modulo by zero');
  return numericResult(Math.floor(na / nb), float);
}

export function pyMod(na: number, nb: number): number {
  const r = na % nb;
  return r !== 0 && (r < 0) !== (nb < 0) ? r + nb : r;
}

export function mod(a: unknown, b: unknown): unknown {
  if (typeof a === 'string') return percentFormat(a, b);
  failUndefined(a, b);
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na === undefined || nb === undefined) return unsupported('%', a, b);
  const float = isFloatValue(a) || isFloatValue(b);
  if (nb === 0) throw pyZeroDivision(float ? 'float modulo' : 'integer division or modulo by zero');
  return numericResult(pyMod(na, nb), float);
}

export function pow(a: unknown, b: unknown): unknown {
  failUndefined(a, b);
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na === undefined || nb === undefined) return unsupported('** or pow()', a, b);
  const float = isFloatValue(a) || isFloatValue(b) || nb < 0;
  if (na === 0 && nb < 0) throw pyZeroDivision('0.0 cannot be raised to a negative power');
  const r = na ** nb;
  if (Number.isNaN(r) && na < 0) throw pyValueError('math domain error');
  return numericResult(r, float);
}

export function neg(a: unknown): unknown {
  failUndefined(a);
  const n = numberOf(a);
  if (n === undefined) throw pyTypeError(`bad operand type for unary -: '${pyTypeName(a)}'`);
  return isFloatValue(a) ? numericResult(-n, true) : n === 0 ? 0 : -n;
}

export function pos(a: unknown): unknown {
  failUndefined(a);
  const n = numberOf(a);
  if (n === undefined) throw pyTypeError(`bad operand type for unary +: '${pyTypeName(a)}'`);
  return typeof a === 'boolean' ? n : a;
}

// ---- containers ------------------------------------------------------------------------

export function isMappingLike(value: unknown): value is Record<string, unknown> | PyMapping {
  return value instanceof PyMapping || isDict(value);
}

export function mappingKeys(value: Record<string, unknown> | PyMapping): string[] {
  return value instanceof PyMapping ? value.keys() : Object.keys(value);
}

export function mappingHas(value: Record<string, unknown> | PyMapping, key: string): boolean {
  return value instanceof PyMapping ? value.has(key) : Object.hasOwn(value, key);
}

export function mappingGet(value: Record<string, unknown> | PyMapping, key: string): unknown {
  return value instanceof PyMapping ? value.get(key) : value[key];
}

/** A dict key as JS stores it: Python's int and bool keys become their decimal strings. */
export function dictKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number') return String(key);
  if (typeof key === 'boolean') return key ? 'True' : 'False';
  if (key === null || key === undefined) return 'None';
  if (key instanceof PyFloat) return String(key.value);
  if (key instanceof PyUndefined) key.fail();
  if (key instanceof PyTuple) return `(${key.map(dictKey).join(', ')})`;
  throw pyTypeError(`unhashable type: '${pyTypeName(key)}'`);
}

/** Python `item in container`. */
export function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') {
      failUndefined(item);
      throw pyTypeError(`'in <string>' requires string as left operand, not ${pyTypeName(item)}`);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) {
    for (const x of container) if (pyEquals(x, item)) return true;
    return false;
  }
  failUndefined(container);
  if (isMappingLike(container)) return mappingHas(container, dictKey(item));
  if (container instanceof PyIterable) return container.items.some((x) => pyEquals(x, item));
  if (container instanceof Set) return [...container].some((x) => pyEquals(x, item));
  throw pyTypeError(`argument of type '${pyTypeName(container)}' is not iterable`);
}

const HAS_SURROGATE = /[\uD800-\uDFFF]/;

/** Python len(). */
export function pyLen(value: unknown): number {
  if (typeof value === 'string') return HAS_SURROGATE.test(value) ? [...value].length : value.length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof PyUndefined && value.lenient) return 0;
  failUndefined(value);
  if (isMappingLike(value)) return mappingKeys(value).length;
  if (value instanceof PyIterable && value.kind !== 'generator') return value.items.length;
  if (value instanceof Set) return value.size;
  throw pyTypeError(`object of type '${pyTypeName(value)}' has no len()`);
}

/** The items a Python `for` loop visits: dicts give keys, strings give characters. */
export function iterate(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return HAS_SURROGATE.test(value) ? [...value] : value.split('');
  if (value instanceof PyUndefined && value.lenient) return [];
  failUndefined(value);
  if (value instanceof PyIterable) return value.items;
  if (isMappingLike(value)) return mappingKeys(value);
  if (value instanceof Set) return [...value];
  throw pyTypeError(`'${pyTypeName(value)}' object is not iterable`);
}

export function isIterable(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    Array.isArray(value) ||
    value instanceof PyIterable ||
    value instanceof Set ||
    isMappingLike(value)
  );
}

/** A naive datetime as microseconds since 0001-01-01 (calendar arithmetic only, no zones). */
function microseconds(d: PyDatetime): number {
  const f = d.fields;
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) * 1000 + f.microsecond;
}

function datetimeFromMicroseconds(us: number): PyDatetime {
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  return new PyDatetime({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    microsecond: us - Math.floor(us / 1_000_000) * 1_000_000,
  });
}
