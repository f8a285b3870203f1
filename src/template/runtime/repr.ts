// str() and repr() as Python computes them, for every value the runtime handles.
import { pyFloatRepr } from '../python/number.js';
import { PyDatetime, PyFloat, PyIterable, PyMapping, PyTimedelta, PyTuple, Namespace, PY_CALLABLE } from './types.js';
import { PyUndefined, setUndefinedRepr } from './undefined.js';

/** Python's type name, as type_debug and error messages print it. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'function':
      return PY_CALLABLE in value ? 'builtin_function_or_method' : 'function';
    default:
      break;
  }
  if (value instanceof PyFloat) return 'float';
  if (Array.isArray(value)) return value instanceof PyTuple ? 'tuple' : 'list';
  if (value instanceof PyUndefined) return 'AnsibleUndefined';
  if (value instanceof PyIterable) return value.kind;
  if (value instanceof Namespace) return 'Namespace';
  if (value instanceof PyDatetime) return 'datetime';
  if (value instanceof PyTimedelta) return 'timedelta';
  if (value instanceof Set) return 'set';
  if (value instanceof PyMapping) return 'dict';
  if (isDict(value)) return 'dict';
  return (value as object).constructor?.name ?? 'object';
}

/** A plain JS object standing for a Python dict. */
export function isDict(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function pyIntStr(n: number): string {
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}

export function pyNumberStr(n: number): string {
  return Number.isInteger(n) ? (Object.is(n, -0) ? '0' : pyIntStr(n)) : pyFloatRepr(n);
}

/** Python str(value). */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof PyUndefined) {
    if (value.lenient) return '';
    value.fail();
  }
  if (value instanceof String || value instanceof PyDatetime || value instanceof PyTimedelta) return value.toString();
  return pyRepr(value);
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}\p{Cs}]/u;

/** Python repr() of a str. */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      const code = ch.codePointAt(0)!;
      if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

let fakeAddress = 0x7f3a5c000000;
function address(): string {
  fakeAddress += 0x40;
  return `0x${fakeAddress.toString(16)}`;
}

/** Python repr(value). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  switch (typeof value) {
    case 'string':
      return pyStrRepr(value);
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return pyNumberStr(value);
    case 'bigint':
      return value.toString();
    case 'function':
      if (PY_CALLABLE in value) return (value as { [PY_CALLABLE]: string })[PY_CALLABLE];
      return `<function ${value.name || 'macro'} at ${address()}>`;
    default:
      break;
  }
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (Array.isArray(value)) {
    if (value instanceof PyTuple) {
      if (value.length === 1) return `(${pyRepr(value[0])},)`;
      return `(${value.map(pyRepr).join(', ')})`;
    }
    return `[${value.map(pyRepr).join(', ')}]`;
  }
  if (value instanceof PyUndefined) return `AnsibleUndefined(hint=${value.hint === undefined ? 'None' : pyStrRepr(value.hint)})`;
  if (value instanceof PyIterable) {
    if (value.repr !== undefined) return value.repr;
    if (value.kind === 'generator') return `<generator object ${value.generatorName ?? 'genexpr'} at ${address()}>`;
    if (value.kind.startsWith('dict_')) return `${value.kind}(${pyRepr(value.items)})`;
    return `<${value.kind} object at ${address()}>`;
  }
  if (value instanceof Namespace) return `<Namespace ${dictRepr(Object.entries(value.attrs))}>`;
  if (value instanceof PyDatetime) return datetimeRepr(value);
  if (value instanceof PyTimedelta) return `datetime.timedelta(${timedeltaArgs(value)})`;
  if (value instanceof Set) return value.size ? `{${[...value].map(pyRepr).join(', ')}}` : 'set()';
  if (value instanceof PyMapping) return dictRepr(value.keys().map((k) => [k, value.get(k)]));
  if (value instanceof String) return pyStrRepr(value.toString());
  if (value instanceof Date) return datetimeRepr(PyDatetime.fromDate(value));
  if (typeof value === 'object') return dictRepr(Object.entries(value));
  return String(value);
}

function dictRepr(entries: [string, unknown][]): string {
  return `{${entries.map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

function datetimeRepr(d: PyDatetime): string {
  const f = d.fields;
  const parts = [f.year, f.month, f.day, f.hour, f.minute];
  if (f.second || f.microsecond) parts.push(f.second);
  if (f.microsecond) parts.push(f.microsecond);
  return `datetime.datetime(${parts.join(', ')})`;
}

function timedeltaArgs(d: PyTimedelta): string {
  const parts: string[] = [];
  if (d.days) parts.push(`days=${d.days}`);
  if (d.seconds) parts.push(`seconds=${d.seconds}`);
  if (d.microseconds) parts.push(`microseconds=${d.microseconds}`);
  return parts.join(', ') || '0';
}

setUndefinedRepr(pyRepr);
