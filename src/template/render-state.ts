// The state of one templating call: the variables it reads (templated lazily, each at
// most once per call and scope), recursion detection, and what plugins need (search
// path, the templar for nested rendering).
import type { VarScope } from '../vars/scope.js';
import { globalFunction } from './globals.js';
import { MISSING_KEY } from './runtime/types.js';
import { PyUndefined, undefinedName } from './runtime/undefined.js';
import type { AnsibleTemplar } from './ansible/templar.js';

export interface RenderOptions {
  searchPath: readonly string[];
  disableLookups: boolean;
}

/** Per-scope memo: variables already templated, and those being templated right now. */
export interface ScopeCache {
  readonly values: Map<string, unknown>;
  readonly resolving: Set<string>;
}

/** Strings produced by to_json & co. (Ansible's NativeJinjaText): never converted back. */
const NATIVE_TEXT_LIMIT = 10_000;
const nativeTexts = new Map<string, boolean>();

/** `unsafe`: the text also came from a lookup (Ansible's NativeJinjaUnsafeText). */
export function markNativeText(text: string, unsafe = false): void {
  if (nativeTexts.size >= NATIVE_TEXT_LIMIT) nativeTexts.delete(nativeTexts.keys().next().value!);
  nativeTexts.set(text, unsafe || (nativeTexts.get(text) ?? false));
}

export function isNativeText(value: unknown): boolean {
  return typeof value === 'string' && nativeTexts.has(value);
}

/** Python class name of a string the templar produced (type_debug). */
export function textClassName(value: string): string {
  const native = nativeTexts.get(value);
  if (native !== undefined) return native ? 'NativeJinjaUnsafeText' : 'NativeJinjaText';
  return 'str';
}

/** Facts about a whole templating call, shared by its nested renders. */
export interface CallFlags {
  /** An unsafe value was read (or a lookup ran): the result must not be templated again. */
  unsafe: boolean;
}

export class RenderState {
  private readonly caches: Map<VarScope, ScopeCache>;
  readonly flags: CallFlags;
  private readonly globals = new Map<string, unknown>();

  constructor(
    readonly templar: AnsibleTemplar,
    readonly scope: VarScope,
    readonly options: RenderOptions,
    parent?: RenderState,
  ) {
    this.caches = parent ? parent.caches : new Map();
    this.flags = parent ? parent.flags : { unsafe: false };
  }

  /** The same call, reading another scope (a host's variables through hostvars). */
  forScope(scope: VarScope): RenderState {
    return scope === this.scope ? this : new RenderState(this.templar, scope, this.options, this);
  }

  cache(scope: VarScope = this.scope): ScopeCache {
    let cache = this.caches.get(scope);
    if (!cache) {
      cache = { values: new Map(), resolving: new Set() };
      this.caches.set(scope, cache);
    }
    return cache;
  }

  /** A name in a template: a variable (templated on first read), a global, or undefined. */
  resolve(name: string): unknown {
    const value = this.variable(name);
    if (value !== MISSING_KEY) return value;
    let fn = this.globals.get(name);
    if (fn === undefined) {
      fn = globalFunction(name, this);
      if (fn !== MISSING_KEY) this.globals.set(name, fn);
    }
    return fn === MISSING_KEY ? undefinedName(name) : fn;
  }

  /** A variable's templated value, or MISSING_KEY when the scope does not define it. */
  variable(name: string): unknown {
    const cache = this.cache();
    const cached = cache.values.get(name);
    if (cached !== undefined || cache.values.has(name)) return cached;
    if (!this.scope.has(name)) return MISSING_KEY;
    const value = this.templar.readVariable(this, name);
    // An undefined result depends on nothing cached; keep it too (it fails the same way again).
    cache.values.set(name, value);
    return value;
  }

  isNativeText(value: unknown): boolean {
    return isNativeText(value);
  }

  isUndefined(value: unknown): value is PyUndefined {
    return value instanceof PyUndefined;
  }
}
