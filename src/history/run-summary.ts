// Figures derived from a recorded run, shared by `tsplay-runs show` and the HTML report.
import type { RunDetail, ResultRecord, TaskRecord } from './run-model.js';

export interface TaskTiming {
  task: TaskRecord;
  /** From the first host's start to the last host's end. */
  wallMs: number;
  /** The longest single host. */
  slowestHost: string | undefined;
  slowestMs: number;
  hosts: number;
}

export interface Failure {
  host: string;
  task: string;
  status: ResultRecord['status'];
  message: string;
  at: number;
}

export function taskTimings(detail: RunDetail): TaskTiming[] {
  const byTask = new Map<number, ResultRecord[]>();
  for (const r of detail.results) {
    const list = byTask.get(r.taskSeq);
    if (list) list.push(r);
    else byTask.set(r.taskSeq, [r]);
  }
  return detail.tasks.map((task) => {
    const results = byTask.get(task.seq) ?? [];
    let first = Infinity;
    let last = -Infinity;
    let slowest: ResultRecord | undefined;
    for (const r of results) {
      first = Math.min(first, r.startedAt);
      last = Math.max(last, r.endedAt);
      if (!slowest || r.durationMs > slowest.durationMs) slowest = r;
    }
    return { task, wallMs: results.length ? last - first : 0, slowestHost: slowest?.host, slowestMs: slowest?.durationMs ?? 0, hosts: new Set(results.map((r) => r.host)).size };
  });
}

export function slowestTasks(detail: RunDetail, limit: number): TaskTiming[] {
  return taskTimings(detail)
    .filter((t) => t.hosts > 0)
    .sort((a, b) => b.wallMs - a.wallMs)
    .slice(0, limit);
}

/** Failed and unreachable results (ignored failures too), in the order they happened. */
export function failures(detail: RunDetail): Failure[] {
  const names = new Map(detail.tasks.map((t) => [t.seq, t.name]));
  return detail.results
    .filter((r) => r.status === 'failed' || r.status === 'unreachable' || r.status === 'ignored')
    .map((r) => ({ host: r.host, task: names.get(r.taskSeq) ?? '', status: r.status, message: r.message ?? '', at: r.endedAt }));
}

/** Hosts in recap order, then any host that has results but no recap line. */
export function hostsOf(detail: RunDetail): string[] {
  const hosts = detail.recap.map((r) => r.host);
  const seen = new Set(hosts);
  for (const r of detail.results) {
    if (!seen.has(r.host)) {
      seen.add(r.host);
      hosts.push(r.host);
    }
  }
  return hosts;
}

export function runEnd(detail: RunDetail): number {
  let end = detail.run.endedAt ?? detail.run.startedAt;
  for (const r of detail.results) end = Math.max(end, r.endedAt);
  return end;
}

/** `1.2s`, `3m04s`, `2h05m`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
