// Attribute and item access (`a.b`, `a['b']`, `a[1:3]`) and calls, with Jinja2's rules:
// `a.b` tries the Python attribute (methods) before the key, `a['b']` the key first;
// whatever is missing yields an Undefined that fails only when used.
import { pyTypeError, pyValueError } from './errors.js';
import { methodsOf, Method } from './methods.js';
import { dictKey, numberOf } from './ops.js';
import { isDict, pyTypeName } from './repr.js';
import {
  isPyCallable,
  Kwargs,
  MISSING_KEY,
  Namespace,
  PyDatetime,
  PyFloat,
  PyIterable,
  PyMapping,
  PyTimedelta,
  PyTuple,
  pyCallable,
  toPyFloat,
  toTuple,
} from './types.js';
import { PyUndefined } from './undefined.js';

/** Objects the runtime defines (loop, cycler...) expose attributes through this. */
export interface HasPyAttributes {
  pyGetAttr(name: string): unknown;
}

function hasPyAttributes(value: unknown): value is HasPyAttributes {
  return typeof value === 'object' && value !== null && typeof (value as HasPyAttributes).pyGetAttr === 'function';
}

let nextAddress = 0x7f5a3c000000;
/** CPython prints object addresses; tsplay prints plausible, distinct ones. */
function fakeAddress(): string {
  nextAddress += 0x30;
  return `0x${nextAddress.toString(16)}`;
}

function boundMethod(self: unknown, name: string, method: Method<never>): unknown {
  return pyCallable(`<built-in method ${name} of ${pyTypeName(self)} object at ${fakeAddress()}>`, (args, kwargs) =>
    (method as Method<unknown>)(self, args, kwargs),
  );
}

/** Attributes of values that are not containers (datetimes, timedeltas, numbers). */
function scalarAttribute(obj: unknown, name: string): unknown {
  if (obj instanceof PyDatetime) return datetimeAttribute(obj, name);
  if (obj instanceof PyTimedelta) {
    if (name === 'days') return obj.days;
    if (name === 'seconds') return obj.seconds;
    if (name === 'microseconds') return obj.microseconds;
    if (name === 'total_seconds') return pyCallable('<built-in method total_seconds>', () => toPyFloat(obj.totalMicroseconds / 1e6));
  }
  const n = numberOf(obj);
  if (n !== undefined && typeof obj !== 'boolean') {
    if (name === 'real') return obj;
    if (name === 'imag') return 0;
    if (name === 'is_integer' && (obj instanceof PyFloat || !Number.isInteger(n))) {
      return pyCallable('<built-in method is_integer>', () => Number.isInteger(n));
    }
  }
  return MISSING_KEY;
}

let datetimeHook: ((obj: PyDatetime, name: string) => unknown) | undefined;
/** The datetime methods (strftime...) live with the date filters; they register here. */
export function setDatetimeAttributes(hook: (obj: PyDatetime, name: string) => unknown): void {
  datetimeHook = hook;
}
function datetimeAttribute(obj: PyDatetime, name: string): unknown {
  if (name in obj.fields) return obj.fields[name as keyof PyDatetime['fields']];
  return datetimeHook ? datetimeHook(obj, name) : MISSING_KEY;
}

/** Jinja's environment.getattr: `obj.name`. */
export function getattr(obj: unknown, name: string): unknown {
  if (obj instanceof PyUndefined) return obj;
  if (isDict(obj)) {
    const methods = methodsOf(obj)!;
    if (Object.hasOwn(methods, name)) return boundMethod(obj, name, methods[name]!);
    if (Object.hasOwn(obj, name)) return obj[name];
    return new PyUndefined(undefined, obj, name);
  }
  const methods = methodsOf(obj);
  if (methods && Object.hasOwn(methods, name)) return boundMethod(obj, name, methods[name]!);
  if (obj instanceof PyMapping) {
    const value = obj.get(name);
    return value === MISSING_KEY ? new PyUndefined(undefined, obj, name) : value;
  }
  if (obj instanceof Namespace) {
    return Object.hasOwn(obj.attrs, name) ? obj.attrs[name] : new PyUndefined(undefined, obj, name);
  }
  if (hasPyAttributes(obj)) {
    const value = obj.pyGetAttr(name);
    return value === MISSING_KEY ? new PyUndefined(undefined, obj, name) : value;
  }
  const scalar = scalarAttribute(obj, name);
  if (scalar !== MISSING_KEY) return scalar;
  return new PyUndefined(undefined, obj === undefined ? null : obj, name);
}

function sequenceIndex(length: number, key: unknown): number | undefined {
  if (typeof key === 'boolean') key = key ? 1 : 0;
  if (typeof key !== 'number' || !Number.isInteger(key)) return undefined;
  const i = key < 0 ? key + length : key;
  return i >= 0 && i < length ? i : -1;
}

/** Jinja's environment.getitem: `obj[key]`. */
export function getitem(obj: unknown, key: unknown): unknown {
  if (obj instanceof PyUndefined) return obj;
  if (Array.isArray(obj)) {
    const i = sequenceIndex(obj.length, key);
    if (i !== undefined && i >= 0) return obj[i];
  } else if (isDict(obj)) {
    if (typeof key === 'string') {
      if (Object.hasOwn(obj, key)) return obj[key];
    } else if (key instanceof PyUndefined) key.fail();
    else {
      const k = hashableKey(key);
      if (k !== undefined && Object.hasOwn(obj, k)) return obj[k];
    }
  } else if (typeof obj === 'string') {
    const i = sequenceIndex(obj.length, key);
    if (i !== undefined && i >= 0) {
      if (/[\uD800-\uDFFF]/.test(obj)) {
        const chars = [...obj];
        const j = sequenceIndex(chars.length, key)!;
        if (j >= 0) return chars[j];
      } else return obj[i];
    }
  } else if (obj instanceof PyMapping) {
    const k = hashableKey(key);
    if (k !== undefined) {
      const value = obj.get(k);
      if (value !== MISSING_KEY) return value;
    }
  } else if (obj instanceof PyIterable && obj.kind === 'range') {
    const i = sequenceIndex(obj.items.length, key);
    if (i !== undefined && i >= 0) return obj.items[i];
  }
  if (typeof key === 'string') {
    const attr = getattr(obj, key);
    if (!(attr instanceof PyUndefined)) return attr;
  }
  return new PyUndefined(undefined, obj === undefined ? null : obj, key);
}

function hashableKey(key: unknown): string | undefined {
  try {
    return dictKey(key);
  } catch {
    return undefined;
  }
}

function sliceIndex(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof PyUndefined) value.fail();
  const n = numberOf(value);
  if (n === undefined || !Number.isInteger(n) || value instanceof PyFloat) {
    throw pyTypeError(`slice indices must be integers or None or have an __index__ method`);
  }
  return n;
}

/** Python's slice.indices(): the concrete start/stop/step for a sequence of `length`. */
export function sliceIndices(length: number, start: unknown, stop: unknown, step: unknown): [number, number, number] {
  const st = sliceIndex(step) ?? 1;
  if (st === 0) throw pyValueError('slice step cannot be zero');
  let s = sliceIndex(start);
  let e = sliceIndex(stop);
  if (st > 0) {
    s = s === undefined ? 0 : s < 0 ? Math.max(0, s + length) : Math.min(s, length);
    e = e === undefined ? length : e < 0 ? Math.max(0, e + length) : Math.min(e, length);
  } else {
    s = s === undefined ? length - 1 : s < 0 ? Math.max(-1, s + length) : Math.min(s, length - 1);
    e = e === undefined ? -1 : e < 0 ? Math.max(-1, e + length) : Math.min(e, length - 1);
  }
  return [s, e, st];
}

function sliceItems<T>(items: readonly T[], start: unknown, stop: unknown, step: unknown): T[] {
  const [s, e, st] = sliceIndices(items.length, start, stop, step);
  if (st === 1) return items.slice(s, Math.max(s, e));
  const out: T[] = [];
  if (st > 0) for (let i = s; i < e; i += st) out.push(items[i]!);
  else for (let i = s; i > e; i += st) out.push(items[i]!);
  return out;
}

/** `obj[start:stop:step]`. */
export function slice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (obj instanceof PyUndefined) return obj;
  if (typeof obj === 'string') {
    const chars = /[\uD800-\uDFFF]/.test(obj) ? [...obj] : obj;
    if (typeof chars === 'string' && (step === null || step === undefined)) {
      const [s, e] = sliceIndices(chars.length, start, stop, 1);
      return chars.slice(s, Math.max(s, e));
    }
    return sliceItems(typeof chars === 'string' ? chars.split('') : chars, start, stop, step).join('');
  }
  if (Array.isArray(obj)) {
    const out = sliceItems(obj, start, stop, step);
    return obj instanceof PyTuple ? toTuple(out) : out;
  }
  if (obj instanceof PyIterable && obj.kind === 'range') {
    const out = sliceItems(obj.items, start, stop, step);
    return new PyIterable('range', out, rangeRepr(out));
  }
  // Jinja turns the failed slice into an Undefined, which fails when used.
  return new PyUndefined(`'${pyTypeName(obj)}' object is not subscriptable`);
}

function rangeRepr(items: readonly unknown[]): string {
  if (!items.length) return 'range(0, 0)';
  const first = items[0] as number;
  const step = items.length > 1 ? (items[1] as number) - first : 1;
  const stop = (items[items.length - 1] as number) + step;
  return step === 1 ? `range(${first}, ${stop})` : `range(${first}, ${stop}, ${step})`;
}

export function makeRange(start: number, stop: number, step: number): PyIterable {
  if (step === 0) throw pyValueError('range() arg 3 must not be zero');
  const items: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) items.push(i);
  else for (let i = start; i > stop; i += step) items.push(i);
  if (items.length > 100_000) throw pyValueError('Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).');
  return new PyIterable('range', items, step === 1 ? `range(${start}, ${stop})` : `range(${start}, ${stop}, ${step})`);
}

/** Calls a value with Python's convention. Macros compiled by nunjucks take kwargs last. */
export function call(fn: unknown, args: unknown[], kwargs: Kwargs): unknown {
  if (isPyCallable(fn)) return fn(args, kwargs);
  if (fn instanceof PyUndefined) fn.fail();
  if (typeof fn === 'function') {
    const keywords = Object.assign(Object.create(null) as Record<string, unknown>, kwargs, { __keywords: true });
    const result = (fn as (...a: unknown[]) => unknown)(...args, keywords);
    return result instanceof String ? result.toString() : result;
  }
  throw pyTypeError(`'${pyTypeName(fn)}' object is not callable`);
}

/** `obj.name(args)` without allocating a bound method for the common str/list/dict case. */
export function callMethod(obj: unknown, name: string, args: unknown[], kwargs: Kwargs): unknown {
  const methods = methodsOf(obj);
  if (methods && Object.hasOwn(methods, name)) return (methods[name] as Method<unknown>)(obj, args, kwargs);
  return call(getattr(obj, name), args, kwargs);
}
