// How a callback result is kept in the history: display hints dropped, gathered facts
// summarized, oversized results cut down to their scalar keys, and a one-line failure
// message for listings and the report.
import type { ResultData } from '../output/events.js';

/** Results whose JSON is larger than this keep only their top-level scalar values. */
export const MAX_RESULT_JSON = 64 * 1024;
const MAX_MESSAGE = 4000;

const FACT_ACTIONS = new Set(['gather_facts', 'setup', 'ansible.builtin.gather_facts', 'ansible.builtin.setup', 'ansible.legacy.setup', 'ansible.legacy.gather_facts']);

function withoutHints(value: ResultData): ResultData {
  const out: ResultData = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('_ansible_')) continue;
    out[key] = key === 'results' && Array.isArray(v) ? v.map((item) => (item && typeof item === 'object' && !Array.isArray(item) ? withoutHints(item as ResultData) : item)) : v;
  }
  return out;
}

/** The result as JSON text for the database. */
export function storedResultJson(result: ResultData, action: string): string {
  const kept = withoutHints(result);
  if (FACT_ACTIONS.has(action) && kept.ansible_facts && typeof kept.ansible_facts === 'object') {
    kept.ansible_facts = { _tsplay_omitted: `${Object.keys(kept.ansible_facts).length} facts` };
  }
  const json = JSON.stringify(kept) ?? '{}';
  if (json.length <= MAX_RESULT_JSON) return json;
  const scalars: ResultData = { _tsplay_truncated: `the result had ${json.length} characters of JSON; only its scalar values were kept` };
  for (const [key, v] of Object.entries(kept)) {
    if (v === null || typeof v === 'number' || typeof v === 'boolean') scalars[key] = v;
    else if (typeof v === 'string') scalars[key] = v.length > MAX_MESSAGE ? `${v.slice(0, MAX_MESSAGE)}…` : v;
  }
  return JSON.stringify(scalars);
}

function clip(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_MESSAGE ? `${trimmed.slice(0, MAX_MESSAGE)}…` : trimmed;
}

/** Why a result failed, in a line or a paragraph: msg (with stderr for a bare rc failure), a failed item's message, or stderr. */
export function failureMessage(result: ResultData): string | undefined {
  const msg = typeof result.msg === 'string' ? result.msg : undefined;
  const stderr = typeof result.stderr === 'string' && result.stderr.trim() ? result.stderr : undefined;
  if (msg) return clip(msg === 'non-zero return code' && stderr ? `${msg}: ${stderr}` : msg);
  if (Array.isArray(result.results)) {
    for (const item of result.results) {
      if (item && typeof item === 'object' && (item as ResultData).failed === true) {
        const inner = failureMessage(item as ResultData);
        if (inner) return inner;
      }
    }
  }
  if (typeof result.censored === 'string') return result.censored;
  if (stderr) return clip(stderr);
  if (typeof result.reason === 'string') return clip(result.reason);
  return undefined;
}
