// The registries of filters, tests and lookups. Each plugin declares a Python signature;
// its implementation receives the bound arguments by name and the render state.
import type { RenderState } from './render-state.js';
import { BoundArgs, bindArgs, parseSignature, Signature } from './runtime/signature.js';
import { Kwargs } from './runtime/types.js';

export type PluginImpl = (args: BoundArgs, state: RenderState) => unknown;

export interface PluginDef {
  signature: Signature;
  impl: PluginImpl;
  /** Filters that handle an undefined input themselves (default, mandatory...). */
  acceptsUndefined: boolean;
}

export const FILTERS = new Map<string, PluginDef>();
export const TESTS = new Map<string, PluginDef>();

/** Short names are also registered under these collection prefixes, as Ansible resolves them. */
const FILTER_PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

function define(
  registry: Map<string, PluginDef>,
  names: string | string[],
  spec: string,
  impl: PluginImpl,
  options: { acceptsUndefined?: boolean; prefixes?: string[] } = {},
): void {
  const list = Array.isArray(names) ? names : [names];
  for (const name of list) {
    const shortName = name.slice(name.lastIndexOf('.') + 1);
    const def: PluginDef = { signature: parseSignature(shortName, spec), impl, acceptsUndefined: options.acceptsUndefined ?? false };
    registry.set(name, def);
    if (!name.includes('.')) for (const prefix of options.prefixes ?? FILTER_PREFIXES) registry.set(prefix + name, def);
  }
}

export function defineFilter(
  names: string | string[],
  spec: string,
  impl: PluginImpl,
  options?: { acceptsUndefined?: boolean; prefixes?: string[] },
): void {
  define(FILTERS, names, spec, impl, options);
}

export function defineTest(names: string | string[], spec: string, impl: PluginImpl, options?: { prefixes?: string[] }): void {
  define(TESTS, names, spec, impl, { acceptsUndefined: true, ...options });
}

export function invokePlugin(def: PluginDef, args: unknown[], kwargs: Kwargs, state: RenderState): unknown {
  return def.impl(bindArgs(def.signature, args, kwargs), state);
}
