// Reading a task result the way Ansible's TaskResult does (loop results count through
// their items), and the "clean copy" callbacks receive (no_log censoring, internal keys off).
import { stripInternalKeys } from '../output/result-format.js';

export type Result = Record<string, unknown>;

const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";
const PRESERVED_WHEN_CENSORED = ['attempts', 'changed', 'retries'];
const KEPT_INTERNAL_KEYS = new Set(['_ansible_verbose_always', '_ansible_item_label', '_ansible_no_log', '_ansible_verbose_override']);
const DELEGATED_VARS_KEPT = ['ansible_host', 'ansible_port', 'ansible_user', 'ansible_connection'];

function items(result: Result): Result[] {
  const results = result.results;
  return Array.isArray(results) ? (results.filter((r) => r && typeof r === 'object') as Result[]) : [];
}

function checkKey(result: Result, key: string): boolean {
  if (key in result) return Boolean(result[key]);
  return items(result).some((r) => Boolean(r[key]));
}

export function isChanged(result: Result): boolean {
  return checkKey(result, 'changed');
}

export function isSkipped(result: Result): boolean {
  const list = items(result);
  if (list.length > 0 && Array.isArray(result.results) && list.every((r) => r.skipped === true)) return true;
  return result.skipped === true;
}

export function isFailed(result: Result): boolean {
  if ('failed_when_result' in result || items(result).some((r) => 'failed_when_result' in r)) {
    return checkKey(result, 'failed_when_result');
  }
  return checkKey(result, 'failed');
}

export function isUnreachable(result: Result): boolean {
  return checkKey(result, 'unreachable');
}

/** The copy of a result the callbacks get (Ansible's TaskResult.clean_copy). */
export function cleanCopy(result: Result, options: { noLog: boolean; isDebug: boolean }): Result {
  const subset: Result = {};
  const delegated = result._ansible_delegated_vars as Result | undefined;
  if (delegated && typeof delegated === 'object') {
    const kept: Result = {};
    for (const key of DELEGATED_VARS_KEPT) if (key in delegated) kept[key] = delegated[key];
    subset._ansible_delegated_vars = kept;
  }
  let out: Result;
  if (options.noLog || result._ansible_no_log === true) {
    out = { censored: CENSORED };
    for (const key of PRESERVED_WHEN_CENSORED) if (key in result) out[key] = result[key];
  } else {
    out = {};
    for (const [key, value] of Object.entries(result)) {
      if (key === 'failed' || key === 'skipped' || (options.isDebug && key === 'invocation')) continue;
      if (key.startsWith('_ansible_') && !KEPT_INTERNAL_KEYS.has(key)) continue;
      out[key] = key.startsWith('_ansible_') ? value : stripInternalKeysKeeping(value);
    }
  }
  return { ...out, ...subset };
}

function stripInternalKeysKeeping(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripInternalKeysKeeping);
  if (value && typeof value === 'object' && value.constructor === Object) {
    const out: Result = {};
    for (const [key, v] of Object.entries(value)) {
      if (key.startsWith('_ansible_') && !KEPT_INTERNAL_KEYS.has(key)) continue;
      out[key] = stripInternalKeysKeeping(v);
    }
    return out;
  }
  return value;
}

/** What `register` stores: the result without internal keys or invocation. */
export function registeredCopy(result: Result): Result {
  const copy = stripInternalKeys(result) as Result;
  delete copy.invocation;
  return copy;
}

export { CENSORED };
