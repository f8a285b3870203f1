// Ansible's FieldAttribute conversions (isa bool, int, percent) and the reasons Python
// gives when a value does not convert, as its "could not be converted" messages print them.
import { NotABooleanError } from '../parsing/boolean.js';
import { pyStr, pyStrRepr } from '../template/runtime/repr.js';

const BOOLEAN_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't', 'n', 'no', 'off', '0', 'false', 'f']);

const pythonTypeName = (value: unknown) => (Array.isArray(value) ? 'list' : value === null || value === undefined ? 'NoneType' : 'dict');

/** Why Ansible's boolean(value, strict=True) refuses a value, if it does. */
export function booleanProblem(value: unknown): string | undefined {
  if (typeof value === 'boolean') return undefined;
  // boolean() looks the value up in a frozenset: lists and dicts are not hashable.
  if (typeof value === 'object' && value !== null) return `unhashable type: '${Array.isArray(value) ? 'list' : 'dict'}'`;
  if (typeof value === 'number' && (value === 0 || value === 1)) return undefined;
  if (typeof value === 'string' && BOOLEAN_WORDS.has(value.trim().toLowerCase())) return undefined;
  return new NotABooleanError(pyStr(value)).message;
}

/** Why Python's int(value) refuses a value, if it does. */
export function integerProblem(value: unknown): string | undefined {
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'cannot convert float NaN to integer';
    return Number.isFinite(value) ? undefined : 'cannot convert float infinity to integer';
  }
  if (typeof value === 'string') return /^\s*[-+]?\d+(_\d+)*\s*$/.test(value) ? undefined : `invalid literal for int() with base 10: ${pyStrRepr(value)}`;
  return `int() argument must be a string, a bytes-like object or a real number, not '${pythonTypeName(value)}'`;
}

/** Why Ansible's percent conversion (float() after removing '%') refuses a value, if it does. */
export function percentProblem(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return undefined;
  if (typeof value === 'string') {
    const text = value.replace(/%/g, '').trim();
    return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) || /^[-+]?(inf|infinity|nan)$/i.test(text) ? undefined : `could not convert string to float: '${value.replace(/%/g, '')}'`;
  }
  return `float() argument must be a string or a real number, not '${pythonTypeName(value)}'`;
}

/** int(value) for a value integerProblem() accepts: floats truncate, booleans count as 1 and 0. */
export function toInteger(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Math.trunc(value);
  return Number.parseInt(String(value).trim().replace(/_/g, ''), 10);
}

/** Ansible's message for a field whose value does not convert; `raw` is the value before templating. */
export function conversionMessage(field: string, raw: unknown, isa: string, reason: string): string {
  return `the field '${field}' has an invalid value (${pyStr(raw)}), and could not be converted to an ${isa}.The error was: ${reason}`;
}

/** Ansible's message for a field whose template uses an undefined variable. */
export function undefinedFieldMessage(field: string, reason: string): string {
  return `The field '${field}' has an invalid value, which includes an undefined variable. The error was: ${reason}`;
}

/** Python's truth value of loaded data (what Ansible tests when it uses a field it could not convert). */
export function pythonTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
