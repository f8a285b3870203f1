// Reading variables the way Ansible's AnsibleJ2Vars does: the raw value is templated when
// it is read (strings, and strings nested in lists and dicts), a template that fails on
// an undefined variable yields an Undefined that fails only when used, unsafe values are
// never templated, and a variable whose template reads itself is a recursive loop.
import { isScope, VarScope } from '../../vars/scope.js';
import { UnsafeText, VaultText } from '../../yaml/tagged.js';
import { PyException, ansibleError } from '../runtime/errors.js';
import { isDict, pyStr } from '../runtime/repr.js';
import { MISSING_KEY, PyMapping } from '../runtime/types.js';
import { PyUndefined } from '../runtime/undefined.js';
import type { RenderState } from '../render-state.js';

/** Values registered as unsafe (module results, facts, lookup output): never templated. */
const unsafeValues = new WeakSet<object>();
/**
 * Unsafe strings (Ansible's AnsibleUnsafeText). JS strings cannot carry a mark, so the
 * text itself is remembered (bounded, oldest dropped first): a string equal to one that
 * came from an unsafe source is not templated either.
 */
const UNSAFE_TEXT_LIMIT = 10_000;
const unsafeTexts = new Set<string>();

/** Marks a value (a list or dict and everything in it, or a string) as data never to template. */
export function markUnsafe<T>(value: T): T {
  if (typeof value === 'string') {
    if (isPossiblyTemplate(value)) {
      if (unsafeTexts.size >= UNSAFE_TEXT_LIMIT) unsafeTexts.delete(unsafeTexts.values().next().value!);
      unsafeTexts.add(value);
    }
  } else if (typeof value === 'object' && value !== null) unsafeValues.add(value);
  return value;
}

export function isUnsafe(value: unknown): boolean {
  if (typeof value === 'string') return unsafeTexts.has(value);
  return value instanceof UnsafeText || (typeof value === 'object' && value !== null && unsafeValues.has(value));
}

/** Containers known to hold no template string (checked once; vars are not mutated in place). */
const templateFree = new WeakSet<object>();

export function isPossiblyTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

function containsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return isPossiblyTemplate(value);
  if (typeof value !== 'object' || value === null) return false;
  if (value instanceof VaultText) return true;
  if (templateFree.has(value) || unsafeValues.has(value)) return false;
  let found = false;
  if (Array.isArray(value)) found = value.some(containsTemplate);
  else if (isDict(value)) {
    for (const key in value) {
      if (containsTemplate(value[key])) {
        found = true;
        break;
      }
    }
  }
  if (!found) templateFree.add(value);
  return found;
}

/** A VarScope seen from a template (hostvars[host], vars): a mapping read lazily. */
export class ScopeMapping extends PyMapping {
  constructor(
    private readonly scope: VarScope,
    private readonly state: RenderState | undefined,
  ) {
    super();
  }

  keys(): string[] {
    return [...this.scope.names()];
  }

  has(key: string): boolean {
    return this.scope.has(key);
  }

  get(key: string): unknown {
    if (!this.scope.has(key)) return MISSING_KEY;
    if (!this.state) return plainRaw(this.scope.get(key));
    const value = this.state.forScope(this.scope).variable(key);
    return isScope(value) ? new ScopeMapping(value, this.state) : value;
  }
}

/** A dict whose values are VarScopes (hostvars as host name -> the host's variables). */
export class ScopeDictMapping extends PyMapping {
  private readonly wrapped = new Map<string, ScopeMapping>();

  constructor(
    private readonly dict: Record<string, unknown>,
    private readonly state: RenderState,
  ) {
    super();
  }

  keys(): string[] {
    return Object.keys(this.dict);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.dict, key);
  }

  get(key: string): unknown {
    if (!Object.hasOwn(this.dict, key)) return MISSING_KEY;
    const value = this.dict[key];
    if (!isScope(value)) return templateValue(this.state, value);
    let mapping = this.wrapped.get(key);
    if (!mapping) {
      mapping = new ScopeMapping(value, this.state);
      this.wrapped.set(key, mapping);
    }
    return mapping;
  }
}

/** Whether a dict's values are VarScopes; decided once per dict (hostvars has one entry per host). */
const scopeDicts = new WeakMap<object, boolean>();

function holdsScopes(value: Record<string, unknown>): boolean {
  let holds = scopeDicts.get(value);
  if (holds === undefined) {
    holds = false;
    for (const key in value) {
      holds = isScope(value[key]);
      break;
    }
    scopeDicts.set(value, holds);
  }
  return holds;
}

function plainRaw(value: unknown): unknown {
  if (value instanceof UnsafeText || value instanceof VaultText) return value.value;
  return value;
}

/** Templates a raw variable value read from `state`'s scope (AnsibleJ2Vars.__getitem__). */
export function templateVariable(state: RenderState, name: string, raw: unknown): unknown {
  if (name === 'vars' && (isScope(raw) || isDict(raw))) {
    // Ansible hands `vars` over untemplated.
    return isScope(raw) ? new ScopeMapping(raw, undefined) : raw;
  }
  if (isScope(raw)) return new ScopeMapping(raw, state);
  if (isDict(raw) && holdsScopes(raw)) return new ScopeDictMapping(raw, state);
  if (raw instanceof UnsafeText) {
    state.flags.unsafe = true;
    return raw.value;
  }
  if (isUnsafe(raw)) {
    state.flags.unsafe = true;
    return raw;
  }
  if (raw instanceof PyMapping) return raw;
  if (!containsTemplate(raw)) return raw;
  const cache = state.cache();
  if (cache.resolving.has(name)) {
    throw ansibleError(`recursive loop detected in template string: ${describeRaw(raw)}`);
  }
  cache.resolving.add(name);
  try {
    return templateValue(state, raw);
  } catch (e) {
    if (e instanceof PyException && (e.pyType === 'UndefinedError' || e.pyType === 'AnsibleUndefinedVariable')) {
      const message = `${e.message}. ${e.message}`;
      return new PyUndefined(`${describeRaw(raw)}: ${message}`, undefined, name, 'AnsibleUndefinedVariable');
    }
    if (e instanceof PyException && e.message.startsWith('recursive loop detected')) throw e;
    const message = e instanceof PyException ? e.message : (e as Error).message;
    const type = e instanceof PyException ? e.pyType : 'Exception';
    throw ansibleError(
      `An unhandled exception occurred while templating '${describeRaw(raw)}'. Error was a <class '${pythonClass(type)}'>, original message: ${message}`,
    );
  } finally {
    cache.resolving.delete(name);
  }
}

function pythonClass(type: string): string {
  if (type.startsWith('Ansible')) return `ansible.errors.${type}`;
  if (['UndefinedError', 'TemplateSyntaxError', 'TemplateRuntimeError', 'TemplateNotFound'].includes(type)) return `jinja2.exceptions.${type}`;
  return type;
}

function describeRaw(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  try {
    return pyStr(raw);
  } catch {
    return String(raw);
  }
}

/** Templar.template on a variable's raw value: strings rendered, containers walked. */
function templateValue(state: RenderState, raw: unknown): unknown {
  if (typeof raw === 'string') {
    return isPossiblyTemplate(raw) ? state.templar.renderNested(raw, state) : raw;
  }
  if (raw instanceof VaultText) return templateValue(state, raw.value);
  if (raw instanceof UnsafeText) return raw.value;
  if (typeof raw !== 'object' || raw === null || isUnsafe(raw) || !containsTemplate(raw)) return raw;
  if (Array.isArray(raw)) return raw.map((item) => templateValue(state, item));
  if (isDict(raw)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(raw)) out[key] = templateValue(state, raw[key]);
    return out;
  }
  return raw;
}
