// What the live progress view knows: per task that has hosts at work, how many hosts it
// targets, how many finished, and which hosts are running since when. Events only touch
// counters and one map entry; the view computes its lines when it redraws.
import type { OutputCallback, ResultEvent, TaskInfo, TaskPrefix } from '../events.js';

export interface BusyGroup {
  taskId: number;
  prefix: TaskPrefix;
  name: string;
  /** Hosts the task was queued for (0 when the engine did not say). */
  queued: number;
  done: number;
  /** Running hosts by start time (ms); insertion order is start order, so the first is the slowest. */
  readonly running: Map<string, number>;
  startedAt: number;
}

export interface ProgressSnapshotLine {
  prefix: TaskPrefix;
  name: string;
  done: number;
  total: number;
  slowest: { host: string; elapsedMs: number } | undefined;
}

export class ProgressTracker implements OutputCallback {
  private readonly groups = new Map<number, BusyGroup>();
  private readonly prefixes = new Map<number, TaskPrefix>();
  /** Called when a host starts working (the view starts its timer). */
  onBusy: (() => void) | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  get busy(): boolean {
    return this.groups.size > 0;
  }

  private group(task: TaskInfo): BusyGroup {
    let group = this.groups.get(task.id);
    if (!group) {
      group = { taskId: task.id, prefix: this.prefixes.get(task.id) ?? 'TASK', name: task.name, queued: 0, done: 0, running: new Map(), startedAt: this.now() };
      this.groups.set(task.id, group);
    }
    return group;
  }

  playStart(): void {
    this.reset();
  }

  taskStart(task: TaskInfo, prefix: TaskPrefix): void {
    this.prefixes.set(task.id, prefix);
  }

  taskHosts(task: TaskInfo, hosts: readonly string[]): void {
    this.group(task).queued += hosts.length;
  }

  hostTaskStart(host: string, task: TaskInfo): void {
    const group = this.group(task);
    group.running.delete(host);
    group.running.set(host, this.now());
    this.onBusy?.();
  }

  private finished(event: ResultEvent): void {
    const group = this.groups.get(event.task.id);
    if (!group || !group.running.delete(event.host)) return;
    group.done++;
    if (group.running.size === 0 && group.done >= group.queued) this.groups.delete(group.taskId);
  }

  runnerOk(event: ResultEvent): void {
    this.finished(event);
  }
  runnerFailed(event: ResultEvent): void {
    this.finished(event);
  }
  runnerSkipped(event: ResultEvent): void {
    this.finished(event);
  }
  runnerUnreachable(event: ResultEvent): void {
    this.finished(event);
  }

  stats(): void {
    this.reset();
  }

  reset(): void {
    this.groups.clear();
    this.prefixes.clear();
  }

  /** The busy groups that have been at work at least `minAgeMs`, oldest first. */
  snapshot(minAgeMs = 0): ProgressSnapshotLine[] {
    const now = this.now();
    const lines: ProgressSnapshotLine[] = [];
    for (const group of this.groups.values()) {
      if (now - group.startedAt < minAgeMs) continue;
      const first = group.running.entries().next();
      lines.push({
        prefix: group.prefix,
        name: group.name,
        done: group.done,
        total: Math.max(group.queued, group.done + group.running.size),
        slowest: first.done ? undefined : { host: first.value[0], elapsedMs: now - first.value[1] },
      });
    }
    return lines;
  }
}
