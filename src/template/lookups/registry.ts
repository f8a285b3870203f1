// Lookup plugins and how `lookup()` / `query()` call them (Templar._lookup): terms are
// the positional arguments, keyword arguments are the plugin's options; the result is a
// list for query()/wantlist=True, else its items joined with commas when they are text.
import { PyException, ansibleError } from '../runtime/errors.js';
import { pyTypeName } from '../runtime/repr.js';
import { Kwargs } from '../runtime/types.js';
import { markUnsafe } from '../ansible/variables.js';
import type { RenderState } from '../render-state.js';

export type LookupRun = (terms: unknown[], options: Kwargs, state: RenderState) => unknown[];

export const LOOKUPS = new Map<string, LookupRun>();

export function defineLookup(name: string, run: LookupRun): void {
  LOOKUPS.set(name, run);
  LOOKUPS.set(`ansible.builtin.${name}`, run);
  LOOKUPS.set(`ansible.legacy.${name}`, run);
}

function findLookup(name: string): LookupRun {
  const run = LOOKUPS.get(name);
  if (!run) throw ansibleError(`lookup plugin (${name}) not found`);
  return run;
}

/** Runs a lookup plugin for a with_<name> loop: the result is always the list. */
export function runLookupList(state: RenderState, name: string, terms: unknown[], options: Kwargs = {}): unknown[] {
  return findLookup(name)(terms, options, state);
}

export function runLookup(state: RenderState, name: string, terms: unknown[], kwargs: Kwargs, query: boolean): unknown {
  if (state.options.disableLookups) {
    throw ansibleError(`The lookup \`${name}\` was found, however lookups were disabled from templating`);
  }
  const run = findLookup(name);
  const options: Kwargs = { ...kwargs };
  const wantlist = query || Boolean(options.wantlist);
  const errors = options.errors ?? 'strict';
  delete options.wantlist;
  delete options.allow_unsafe;
  delete options.errors;
  let ran: unknown[];
  try {
    ran = run(terms, options, state);
  } catch (e) {
    if (errors === 'ignore' || errors === 'warn') return wantlist ? [] : null;
    if (e instanceof PyException) {
      if (e.pyType === 'UndefinedError' || e.pyType === 'AnsibleUndefinedVariable') throw new PyException('AnsibleUndefinedVariable', e.message);
      if (e.pyType === 'AnsibleLookupError' || e.pyType === 'AnsibleOptionsError') throw e;
      const cls = e.pyType.startsWith('Ansible') ? `ansible.errors.${e.pyType}` : e.pyType;
      throw ansibleError(
        `An unhandled exception occurred while running the lookup plugin '${name}'. Error was a <class '${cls}'>, original message: ${e.message}. ${e.message}`,
      );
    }
    throw e;
  }
  if (!ran.length) return ran;
  state.flags.unsafe = true;
  if (wantlist) return markUnsafe(ran);
  if (ran.every((item) => typeof item === 'string')) return ran.join(',');
  return ran.length === 1 ? markUnsafe(ran[0]) : markUnsafe(ran);
}

/** AnsibleError for a term of the wrong type. */
export function expectString(term: unknown, what: string): string {
  if (typeof term !== 'string') throw ansibleError(`${what} expects a string, got ${pyTypeName(term)}`);
  return term;
}
