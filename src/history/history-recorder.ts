// Records a run into the history as one more consumer of the executor's events. Events only
// append to an in-memory batch; the batch goes to the sink (one database transaction) in
// slices: every 1000 results, when a task starts and the last batch is a second old, every
// second while a long task runs, and at the recap and the end. The worker sink stores it
// off the run's thread while the run goes on, so little is left to store when it ends.
import type { AggregateStats } from '../executor/stats.js';
import type { OutputCallback, PlayInfo, ResultEvent, TaskInfo, TaskPrefix } from '../output/events.js';
import type { HistorySink, RecorderBatch } from './history-sink.js';
import { statusForExitCode, type RecapRecord, type ResultStatus } from './run-model.js';

export interface HistoryRecorderOptions {
  /** Write pending rows at least this often while a task runs. */
  flushIntervalMs?: number;
  /** Write as soon as this many results are pending. */
  maxBatchResults?: number;
  /** Problems of the history (never fatal to the run). */
  warn?: (message: string) => void;
  now?: () => number;
}

export class HistoryRecorder implements OutputCallback {
  private readonly now: () => number;
  private readonly warn: (message: string) => void;
  private batch: RecorderBatch = { plays: [], tasks: [], results: [] };
  private pending = 0;
  private playSeq = -1;
  private taskSeq = 0;
  /** The play's task rows by TaskInfo.id: a task met again in the play (serial batches, free strategy) keeps its row. */
  private readonly taskRows = new Map<number, number>();
  /** The task each host is working on (one at a time) and since when. */
  private readonly hostStarts = new Map<string, { taskId: number; at: number }>();
  private readonly timer: NodeJS.Timeout;
  private readonly sliceMs: number;
  private readonly maxBatchResults: number;
  private lastFlush: number;
  private finished = false;
  private readonly onExit = (code: number) => this.finish(code);

  constructor(
    private readonly sink: HistorySink,
    options: HistoryRecorderOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.warn = options.warn ?? (() => undefined);
    this.sliceMs = options.flushIntervalMs ?? 1000;
    this.maxBatchResults = options.maxBatchResults ?? 1000;
    this.lastFlush = this.now();
    this.timer = setInterval(() => this.flush(), this.sliceMs);
    this.timer.unref();
    // The exit code is known only when the process ends (including a second Ctrl-C's exit).
    process.once('exit', this.onExit);
  }

  private taskRow(task: TaskInfo, prefix: TaskPrefix): number {
    let seq = this.taskRows.get(task.id);
    if (seq === undefined) {
      seq = this.taskSeq++;
      this.taskRows.set(task.id, seq);
      this.batch.tasks.push({ seq, playSeq: Math.max(0, this.playSeq), name: task.name, action: task.action, path: task.path, prefix, startedAt: this.now() });
      this.pending++;
    }
    return seq;
  }

  /** Hand what was collected to the sink. */
  flush(): void {
    if (this.pending === 0 || this.finished) return;
    this.lastFlush = this.now();
    const batch = this.batch;
    this.batch = { plays: [], tasks: [], results: [] };
    this.pending = 0;
    this.sink.write(batch);
  }

  /** Flush when the current time slice is over. */
  private flushIfDue(): void {
    if (this.now() - this.lastFlush >= this.sliceMs) this.flush();
  }

  playStart(play: PlayInfo): void {
    this.flushIfDue();
    this.playSeq++;
    // Roles load once: two plays may run the same task objects, each play gets its rows.
    this.taskRows.clear();
    this.batch.plays.push({ seq: this.playSeq, name: play.name, hosts: play.hosts, startedAt: this.now() });
    this.pending++;
  }

  taskStart(task: TaskInfo, prefix: TaskPrefix): void {
    this.flushIfDue();
    this.taskRow(task, prefix);
  }

  hostTaskStart(host: string, task: TaskInfo): void {
    this.hostStarts.set(host, { taskId: task.id, at: this.now() });
  }

  private record(event: ResultEvent, status: ResultStatus): void {
    const endedAt = this.now();
    const start = this.hostStarts.get(event.host);
    const started = start?.taskId === event.task.id ? start.at : undefined;
    const durationMs = Math.max(0, Math.round(event.durationMs ?? (started === undefined ? 0 : endedAt - started)));
    this.batch.results.push({
      taskSeq: this.taskRows.get(event.task.id) ?? this.taskRow(event.task, event.task.isHandler ? 'RUNNING HANDLER' : 'TASK'),
      host: event.host,
      status,
      changed: event.result.changed === true,
      startedAt: started ?? endedAt - durationMs,
      endedAt,
      durationMs,
      action: event.task.action,
      // The callbacks' cleaned copy (no_log results censored); serialized by the sink.
      result: event.result,
    });
    this.pending++;
    if (this.batch.results.length >= this.maxBatchResults) this.flush();
  }

  runnerOk(event: ResultEvent): void {
    this.record(event, event.result.changed === true ? 'changed' : 'ok');
  }
  runnerFailed(event: ResultEvent, ignoreErrors: boolean): void {
    this.record(event, ignoreErrors ? 'ignored' : 'failed');
  }
  runnerSkipped(event: ResultEvent): void {
    this.record(event, 'skipped');
  }
  runnerUnreachable(event: ResultEvent): void {
    this.record(event, 'unreachable');
  }

  stats(stats: AggregateStats): void {
    this.flush();
    const hosts = [...stats.processed.keys()].sort();
    const recap: RecapRecord[] = hosts.map((host) => ({ host, ...stats.summarize(host) }));
    const custom = stats.custom.get('_run');
    this.sink.recap(recap, custom && Object.keys(custom).length ? custom : undefined);
  }

  private reportErrors(): void {
    for (const error of this.sink.takeErrors()) this.warn(`Run history: ${error}`);
  }

  close(): void {
    if (this.finished) return;
    this.flush();
    this.sink.end(this.now());
    this.reportErrors();
  }

  /** The run is over with this exit code: store it and close the database. */
  finish(exitCode: number): void {
    if (this.finished) return;
    this.flush();
    this.finished = true;
    clearInterval(this.timer);
    process.off('exit', this.onExit);
    this.sink.finish(exitCode, statusForExitCode(exitCode), this.now());
    this.reportErrors();
  }
}
