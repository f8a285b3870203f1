// The blue-green convention: a module (or a set_fact/debug step) that shifts traffic or
// measures it puts a `bluegreen` key in its result, and the run report charts it:
//
//   bluegreen:
//     weights: { blue: 90, green: 10 }   # traffic weight per target group after this step
//     error_rate: 0.004                  # optional: failed requests / requests, 0..1
//     requests: 2500                     # optional: requests the error rate was measured on
//     phase: "shift 10%"                 # optional: a label for the step
//     at: "2026-05-01T10:00:00Z"         # optional: when (ISO 8601 or epoch ms); default: the result's end
//
// `bluegreen.samples: [ {...}, ... ]` carries several measurements of one step (a canary
// watch). Loop results are read item by item. Both weights and error_rate are optional
// per sample; a sample needs at least one of them. A playbook without such a module can
// record a sample with `set_fact: { bluegreen: {...} }` (read from the result's ansible_facts).
// Results of the bluegreen_switch and bluegreen_info modules are read too: their
// `weights_before` (at the task's start) and `weights` (at its end).
import type { ResultRecord, TaskRecord } from '../run-model.js';

export interface BlueGreenSample {
  at: number;
  host: string;
  task: string;
  phase: string | undefined;
  weights: Record<string, number> | undefined;
  errorRate: number | undefined;
  requests: number | undefined;
}

function asNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function asTime(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return fallback;
}

function sampleFrom(data: unknown, fallbackAt: number, host: string, task: string): BlueGreenSample | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const d = data as Record<string, unknown>;
  let weights: Record<string, number> | undefined;
  if (d.weights && typeof d.weights === 'object' && !Array.isArray(d.weights)) {
    weights = {};
    for (const [group, w] of Object.entries(d.weights as Record<string, unknown>)) {
      const n = asNumber(w);
      if (n !== undefined) weights[group] = n;
    }
    if (Object.keys(weights).length === 0) weights = undefined;
  }
  const errorRate = asNumber(d.error_rate);
  if (!weights && errorRate === undefined) return undefined;
  return {
    at: asTime(d.at, fallbackAt),
    host,
    task,
    phase: typeof d.phase === 'string' ? d.phase : undefined,
    weights,
    errorRate,
    requests: asNumber(d.requests),
  };
}

function samplesOf(result: Record<string, unknown>, at: number, host: string, task: string): BlueGreenSample[] {
  const out: BlueGreenSample[] = [];
  const facts = result.ansible_facts;
  const data = result.bluegreen ?? (facts && typeof facts === 'object' ? (facts as Record<string, unknown>).bluegreen : undefined);
  if (data && typeof data === 'object') {
    const many = (data as Record<string, unknown>).samples;
    if (Array.isArray(many)) for (const s of many) out.push(...[sampleFrom(s, at, host, task)].filter((x): x is BlueGreenSample => x !== undefined));
    const one = sampleFrom(data, at, host, task);
    if (one) out.push(one);
  }
  if (Array.isArray(result.results)) {
    for (const item of result.results) if (item && typeof item === 'object') out.push(...samplesOf(item as Record<string, unknown>, at, host, task));
  }
  return out;
}

const BLUEGREEN_MODULE = /(^|\.)bluegreen_(switch|info)$/;

/** bluegreen_switch / bluegreen_info results: the weights before and after the task. */
function moduleSamples(r: ResultRecord, task: string): BlueGreenSample[] {
  const out: BlueGreenSample[] = [];
  for (const [key, at] of [['weights_before', r.startedAt], ['weights', r.endedAt]] as const) {
    const sample = sampleFrom({ weights: r.result[key] }, at, r.host, task);
    if (sample) out.push({ ...sample, phase: typeof r.result.live_color === 'string' && key === 'weights' ? `${r.result.live_color} live` : undefined });
  }
  return out;
}

/** Every blue-green sample of a run, in time order. */
export function blueGreenSamples(results: readonly ResultRecord[], tasks: readonly TaskRecord[]): BlueGreenSample[] {
  const byTask = new Map(tasks.map((t) => [t.seq, t]));
  const samples = results.flatMap((r) => {
    const task = byTask.get(r.taskSeq);
    const own = samplesOf(r.result, r.endedAt, r.host, task?.name ?? '');
    return own.length === 0 && task && BLUEGREEN_MODULE.test(task.action) ? moduleSamples(r, task.name) : own;
  });
  return samples.sort((a, b) => a.at - b.at);
}
