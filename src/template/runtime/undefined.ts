// Ansible's Undefined (a StrictUndefined that returns itself on attribute/item access, so
// `x.y.z | default(...)` works): any other use fails with Jinja's message.
import { UndefinedError } from './errors.js';

export const MISSING: unique symbol = Symbol('tsplay.missing');

export class PyUndefined {
  constructor(
    readonly hint?: string,
    /** The object an attribute was looked up on; MISSING for a plain undefined name. */
    readonly obj: unknown = MISSING,
    /** The variable name, attribute or key that was not found. */
    readonly name?: unknown,
    /** The Python exception class a use raises (lazily templated vars fail as AnsibleUndefinedVariable). */
    readonly exceptionType = 'UndefinedError',
    /**
     * Jinja's plain Undefined (an inline if without else): prints as '', is false and
     * empty; only Ansible's strict Undefined fails on those uses.
     */
    readonly lenient = false,
  ) {}

  message(): string {
    if (this.hint) return this.hint;
    if (this.obj === MISSING) return `${reprName(this.name)} is undefined`;
    if (typeof this.name !== 'string') return `${objectTypeRepr(this.obj)} has no element ${reprName(this.name)}`;
    return `'${objectTypeRepr(this.obj)}' has no attribute ${reprName(this.name)}`;
  }

  fail(): never {
    throw new UndefinedError(this.message(), this.exceptionType);
  }
}

export function isUndefined(value: unknown): value is PyUndefined {
  return value instanceof PyUndefined;
}

export function undefinedName(name: string): PyUndefined {
  return new PyUndefined(undefined, MISSING, name);
}

function reprName(name: unknown): string {
  if (typeof name === 'string') return name.includes("'") && !name.includes('"') ? `"${name}"` : `'${name}'`;
  return reprHook ? reprHook(name) : String(name);
}

let reprHook: ((value: unknown) => string) | undefined;
/** repr.ts (which imports this module) supplies Python's repr for non-string names. */
export function setUndefinedRepr(hook: (value: unknown) => string): void {
  reprHook = hook;
}

/** Jinja's object_type_repr: `dict object`, `list object`, ... */
export function objectTypeRepr(obj: unknown): string {
  if (obj === null || obj === undefined) return 'None';
  if (typeof obj === 'string') return 'str object';
  if (typeof obj === 'boolean') return 'bool object';
  if (typeof obj === 'number') return Number.isInteger(obj) ? 'int object' : 'float object';
  if (Array.isArray(obj)) return obj.constructor === Array ? 'list object' : 'tuple object';
  if (obj instanceof PyUndefined) return 'ansible.template.AnsibleUndefined object';
  const proto = Object.getPrototypeOf(obj);
  if (proto === Object.prototype || proto === null) return 'dict object';
  return `${(obj as object).constructor?.name ?? 'object'} object`;
}
