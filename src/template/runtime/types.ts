// The Python value model the template runtime works on. Most Python values map onto
// plain JS values (None -> null, bool -> boolean, int -> integral number, str -> string,
// list -> Array, dict -> plain object); the classes below cover what JS has no form for.

/**
 * A Python float whose value is integral (`10 / 2` is `5.0`, not `5`). Non-integral JS
 * numbers are floats already, so only integral floats are boxed, and only inside
 * expression evaluation: values leaving the templar are plain numbers again.
 */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
}

/** Returns `n` as a Python float: boxed when integral, a plain number otherwise. */
export function toPyFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

export function isPyFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
}

/** A Python tuple: an array that prints as `(1, 'a')`. map/filter/slice give plain arrays. */
export class PyTuple<T = unknown> extends Array<T> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

export function tuple(...items: unknown[]): PyTuple {
  const t = new PyTuple();
  for (const item of items) t.push(item);
  return t;
}

export function toTuple<T>(items: Iterable<T>): PyTuple<T> {
  const t = new PyTuple<T>();
  for (const item of items) t.push(item);
  return t;
}

/**
 * Lazy Python iterables that print by their type, not their items: generators, range,
 * dict views. Ansible unrolls them to lists at the end of templating and after each filter.
 */
export class PyIterable {
  constructor(
    /** Python type name: generator, range, dict_keys, dict_values, dict_items, ... */
    readonly kind: string,
    readonly items: readonly unknown[],
    /** How Python prints it (`range(0, 3)`); undefined means `<kind object at 0x...>`. */
    readonly repr?: string,
    /** Generator function name, for `<generator object NAME at 0x...>`. */
    readonly generatorName?: string,
  ) {}
}

export function generator(name: string, items: readonly unknown[]): PyIterable {
  return new PyIterable('generator', items, undefined, name);
}

/** Jinja's namespace(): the one object `{% set ns.attr = ... %}` may assign to. */
export class Namespace {
  constructor(readonly attrs: Record<string, unknown>) {}
}

/** Keyword arguments of a call, kept apart from positional ones. */
export type Kwargs = Record<string, unknown>;

export const PY_CALLABLE: unique symbol = Symbol('tsplay.pyCallable');

/** A callable with Python's calling convention (positional args and keyword args). */
export interface PyCallable {
  (args: unknown[], kwargs: Kwargs): unknown;
  [PY_CALLABLE]: string;
}

/** `repr` is how Python prints the callable (`<built-in method upper of str object>`). */
export function pyCallable(repr: string, impl: (args: unknown[], kwargs: Kwargs) => unknown): PyCallable {
  const fn = impl as PyCallable;
  fn[PY_CALLABLE] = repr;
  return fn;
}

export function isPyCallable(value: unknown): value is PyCallable {
  return typeof value === 'function' && PY_CALLABLE in value;
}

/** A datetime (now(), to_datetime, template_run_date): prints as Python's datetime does. */
export class PyDatetime {
  constructor(
    /** Wall-clock fields as Python holds them (naive datetime, no zone). */
    readonly fields: {
      year: number;
      month: number;
      day: number;
      hour: number;
      minute: number;
      second: number;
      microsecond: number;
    },
  ) {}

  static fromDate(date: Date, utc = false): PyDatetime {
    return new PyDatetime({
      year: utc ? date.getUTCFullYear() : date.getFullYear(),
      month: (utc ? date.getUTCMonth() : date.getMonth()) + 1,
      day: utc ? date.getUTCDate() : date.getDate(),
      hour: utc ? date.getUTCHours() : date.getHours(),
      minute: utc ? date.getUTCMinutes() : date.getMinutes(),
      second: utc ? date.getUTCSeconds() : date.getSeconds(),
      microsecond: (utc ? date.getUTCMilliseconds() : date.getMilliseconds()) * 1000,
    });
  }

  /** Seconds since the epoch, reading the fields as local time (Python's naive timestamp()). */
  timestamp(): number {
    const f = this.fields;
    const d = new Date(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, Math.floor(f.microsecond / 1000));
    return d.getTime() / 1000 + (f.microsecond % 1000) / 1e6;
  }

  toString(): string {
    const f = this.fields;
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const base = `${p(f.year, 4)}-${p(f.month)}-${p(f.day)} ${p(f.hour)}:${p(f.minute)}:${p(f.second)}`;
    return f.microsecond ? `${base}.${p(f.microsecond, 6)}` : base;
  }
}

/** A Python timedelta (difference of two datetimes). */
export class PyTimedelta {
  constructor(readonly totalMicroseconds: number) {}
  get days(): number {
    return Math.floor(this.totalMicroseconds / 86_400_000_000);
  }
  get seconds(): number {
    return Math.floor((this.totalMicroseconds - this.days * 86_400_000_000) / 1_000_000);
  }
  get microseconds(): number {
    return this.totalMicroseconds - this.days * 86_400_000_000 - this.seconds * 1_000_000;
  }
  toString(): string {
    const days = this.days;
    const h = Math.floor(this.seconds / 3600);
    const m = Math.floor((this.seconds % 3600) / 60);
    const s = this.seconds % 60;
    let out = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
    if (this.microseconds) out += `.${String(this.microseconds).padStart(6, '0')}`;
    return days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${out}` : out;
  }
}

/**
 * A read-only mapping that is not a plain object: hostvars, `vars`, a host's variables.
 * Values are produced on access (templated lazily), so nothing is copied up front.
 */
export abstract class PyMapping {
  abstract keys(): string[];
  abstract has(key: string): boolean;
  /** The value for `key`, or MISSING_KEY when there is none. */
  abstract get(key: string): unknown;
}

export const MISSING_KEY: unique symbol = Symbol('tsplay.missingKey');
