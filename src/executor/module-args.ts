// Module arguments at run time: `_variable_params` expanded, omitted values removed,
// then validated and coerced against the module's argument spec.
import { TsplayError } from '../errors.js';
import type { ModuleDefinition } from '../modules/module.js';
import { validateModuleArgs } from '../modules/arguments.js';

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

/** Validate against the spec; returns the coerced arguments or throws a module failure message. */
export function prepareModuleArgs(definition: ModuleDefinition, args: Record<string, unknown>): Record<string, unknown> {
  return validateModuleArgs(definition, args);
}
