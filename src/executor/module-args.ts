// Module arguments at run time: `_variable_params` expanded, omitted values removed,
// then validated and coerced against the module's argument spec.
import { TsplayError } from '../errors.js';
import { ModuleFailure, type ModuleDefinition } from '../modules/module.js';
import { checkModuleArgs } from '../modules/arguments.js';

/** Drop arguments whose value is the omit placeholder (recursively in dicts and lists). */
export function removeOmit(value: unknown, omit: string): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== omit).map((v) => removeOmit(v, omit));
  if (value && typeof value === 'object' && value.constructor === Object) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== omit) out[key] = removeOmit(v, omit);
    return out;
  }
  return value;
}

/** `args: "{{ somedict }}"` (or a bare templated free-form text) gives the arguments as a dict. */
export function expandVariableParams(args: Record<string, unknown>): Record<string, unknown> {
  if (!('_variable_params' in args)) return args;
  const { _variable_params: params, ...rest } = args;
  if (params && typeof params === 'object' && !Array.isArray(params)) return { ...(params as Record<string, unknown>), ...rest };
  throw new TsplayError(`invalid or malformed argument: '${String(params)}'`);
}

export interface PreparedArgs {
  params: Record<string, unknown>;
  /** Printed as [WARNING] (an option given with its alias...). */
  warnings: string[];
  /** Values of no_log options, masked in every result. */
  noLogValues: string[];
}

/** Validate against the spec (messages name the module as the task wrote it); throws on invalid arguments. */
export function prepareModuleArgs(definition: ModuleDefinition, args: Record<string, unknown>, action: string): PreparedArgs {
  const checked = checkModuleArgs(definition, args, action);
  if (checked.error !== undefined) throw new ModuleFailure(checked.error);
  return { params: checked.params, warnings: checked.warnings, noLogValues: checked.noLogValues };
}

const MASK = '********';

/** Replace every occurrence of a secret in a result's strings (Ansible's remove_values). */
export function maskValues<T>(value: T, secrets: readonly string[]): T {
  const real = secrets.filter((s) => s.length > 0);
  if (real.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return real.reduce((text, secret) => text.split(secret).join(MASK), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && v.constructor === Object) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  // The diff is the controller's own view of the change (Ansible's action plugins compute
  // it; the module's value masking never reaches it).
  if (value && typeof value === 'object' && !Array.isArray(value) && 'diff' in value) {
    const { diff, ...rest } = value as Record<string, unknown>;
    return { ...(walk(rest) as Record<string, unknown>), diff } as T;
  }
  return walk(value) as T;
}
