// How results are shown: internal keys stripped, debug results trimmed to what was
// asked for, JSON in Python's format, item labels.
import { pyJsonDumps } from '../template/python/json.js';
import type { ResultData } from './events.js';
import { pyStr } from '../template/runtime/repr.js';

const DEBUG_ALLOWED_KEYS = new Set(['msg', 'exception', 'warnings', 'deprecations']);
const HIDDEN_IN_DEBUG = ['changed', 'failed', 'skipped', 'invocation', 'skip_reason'];
const DEBUG_ACTIONS = new Set(['debug', 'ansible.builtin.debug', 'ansible.legacy.debug']);

/** Remove `_ansible_*` keys, recursively, as Ansible does before printing. */
export function stripInternalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripInternalKeys);
  if (value && typeof value === 'object' && value.constructor === Object) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (!key.startsWith('_ansible_')) out[key] = stripInternalKeys(v);
    }
    return out;
  }
  return value;
}

/** debug shows only its message (or only the variable it was asked for). */
export function cleanResult(result: ResultData, action: string): ResultData {
  if (!DEBUG_ACTIONS.has(action)) return result;
  const out: ResultData = {};
  if ('msg' in result) {
    for (const [key, value] of Object.entries(result)) {
      if (DEBUG_ALLOWED_KEYS.has(key) || key.startsWith('_')) out[key] = value;
    }
    return out;
  }
  for (const [key, value] of Object.entries(result)) if (!HIDDEN_IN_DEBUG.includes(key)) out[key] = value;
  return out;
}

export interface DumpOptions {
  verbosity: number;
  indent?: number | undefined;
  keepInvocation?: boolean;
}

/** The JSON after `=>`: sorted keys, Python separators, pretty when verbose or asked to. */
export function dumpResult(result: ResultData, options: DumpOptions): string {
  let indent = options.indent;
  if (!indent && (result._ansible_verbose_always === true || options.verbosity > 2)) indent = 4;
  const abridged = stripInternalKeys(result) as ResultData;
  if (!options.keepInvocation && options.verbosity < 3) delete abridged.invocation;
  if (options.verbosity < 3) delete abridged.diff;
  delete abridged.exception;
  return pyJsonDumps(abridged, { sortKeys: true, indent, ensureAscii: false });
}

/** The `(item=...)` label: loop_control.label, else the item; censored under no_log. */
export function itemLabel(result: ResultData): string {
  if (result._ansible_no_log === true) return '(censored due to no_log)';
  const label = '_ansible_item_label' in result ? result._ansible_item_label : result.item;
  return pyStr(label);
}
