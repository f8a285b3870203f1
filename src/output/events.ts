// What the executor tells its observers. The stdout callbacks (default, json), the live
// progress view, the profiler and the run recorder all consume the same events.
import type { AggregateStats } from '../executor/stats.js';

export interface PlayInfo {
  name: string;
  /** The play's hosts pattern(s). */
  hosts: string[];
  checkMode: boolean;
  strategy: string;
  id: number;
  /** `file:line` of the play. */
  path: string | undefined;
}

export interface TaskInfo {
  /** Unique per task object. */
  id: number;
  /** The name as the banner shows it (`role : name`, or the action). */
  name: string;
  action: string;
  hasLoop: boolean;
  checkMode: boolean;
  noLog: boolean;
  /** `file:line` of the task, for -vv and failures. */
  path: string | undefined;
  delegateTo: string | undefined;
  ignoreUnreachable: boolean;
  isHandler: boolean;
  /** include_tasks / include_role: ok results print no line. */
  isInclude: boolean;
}

export type TaskPrefix = 'TASK' | 'RUNNING HANDLER' | 'CLEANUP TASK';

/** An Ansible-shaped result: module keys plus the `_ansible_*` display hints. */
export type ResultData = Record<string, unknown>;

export interface ResultEvent {
  host: string;
  task: TaskInfo;
  result: ResultData;
  /** Milliseconds the host spent on the task (or the item). */
  durationMs?: number;
}

export interface OutputCallback {
  playbookStart?(file: string, checkMode: boolean): void;
  playStart?(play: PlayInfo): void;
  taskStart?(task: TaskInfo, prefix: TaskPrefix): void;
  /** The hosts a task will run on (after run_once), before any starts (progress views). */
  taskHosts?(task: TaskInfo, hosts: readonly string[]): void;
  /** A host started working on the task (progress views). */
  hostTaskStart?(host: string, task: TaskInfo): void;
  noHostsMatched?(): void;
  noHostsRemaining?(): void;
  runnerOk?(event: ResultEvent): void;
  runnerFailed?(event: ResultEvent, ignoreErrors: boolean): void;
  runnerSkipped?(event: ResultEvent): void;
  runnerUnreachable?(event: ResultEvent): void;
  itemOk?(event: ResultEvent): void;
  itemFailed?(event: ResultEvent): void;
  itemSkipped?(event: ResultEvent): void;
  retry?(event: ResultEvent): void;
  /** async tasks with poll > 0: still running / finished / timed out or failed. */
  asyncPoll?(host: string, jid: string): void;
  asyncOk?(host: string, jid: string): void;
  asyncFailed?(host: string, jid: string): void;
  fileDiff?(event: ResultEvent): void;
  include?(file: string, hosts: string[], itemVars: ResultData | undefined): void;
  handlerNotified?(handlerName: string, host: string): void;
  stats?(stats: AggregateStats, checkMode: boolean): void;
  /** The run is over (flush, close files). */
  close?(): void | Promise<void>;
}

/** Calls every callback that implements an event, in order. */
export class CallbackFanout implements Required<Omit<OutputCallback, 'close'>> {
  constructor(private readonly callbacks: OutputCallback[]) {}

  add(callback: OutputCallback): void {
    this.callbacks.push(callback);
  }

  async close(): Promise<void> {
    for (const cb of this.callbacks) await cb.close?.();
  }

  playbookStart(file: string, checkMode: boolean): void {
    for (const cb of this.callbacks) cb.playbookStart?.(file, checkMode);
  }
  playStart(play: PlayInfo): void {
    for (const cb of this.callbacks) cb.playStart?.(play);
  }
  taskStart(task: TaskInfo, prefix: TaskPrefix): void {
    for (const cb of this.callbacks) cb.taskStart?.(task, prefix);
  }
  taskHosts(task: TaskInfo, hosts: readonly string[]): void {
    for (const cb of this.callbacks) cb.taskHosts?.(task, hosts);
  }
  hostTaskStart(host: string, task: TaskInfo): void {
    for (const cb of this.callbacks) cb.hostTaskStart?.(host, task);
  }
  noHostsMatched(): void {
    for (const cb of this.callbacks) cb.noHostsMatched?.();
  }
  noHostsRemaining(): void {
    for (const cb of this.callbacks) cb.noHostsRemaining?.();
  }
  runnerOk(event: ResultEvent): void {
    for (const cb of this.callbacks) cb.runnerOk?.(event);
  }
  runnerFailed(event: ResultEvent, ignoreErrors: boolean): void {
    for (const cb of this.callbacks) cb.runnerFailed?.(event, ignoreErrors);
  }
  runnerSkipped(event: ResultEvent): void {
    for (const cb of this.callbacks) cb.runnerSkipped?.(event);
  }
  runnerUnreachable(event: ResultEvent): void {
    for (const cb of this.callbacks) cb.runnerUnreachable?.(event);
  }
  itemOk(event: ResultEvent): void {
    for (const cb of this.callbacks) cb.itemOk?.(event);
  }
  itemFailed(event: ResultEvent): void {
    for (const cb of this.callbacks) cb.itemFailed?.(event);
  }
  itemSkipped(event: ResultEvent): void {
    for (const cb of this.callbacks) cb.itemSkipped?.(event);
  }
  retry(event: ResultEvent): void {
    for (const cb of this.callbacks) cb.retry?.(event);
  }
  asyncPoll(host: string, jid: string): void {
    for (const cb of this.callbacks) cb.asyncPoll?.(host, jid);
  }
  asyncOk(host: string, jid: string): void {
    for (const cb of this.callbacks) cb.asyncOk?.(host, jid);
  }
  asyncFailed(host: string, jid: string): void {
    for (const cb of this.callbacks) cb.asyncFailed?.(host, jid);
  }
  fileDiff(event: ResultEvent): void {
    for (const cb of this.callbacks) cb.fileDiff?.(event);
  }
  include(file: string, hosts: string[], itemVars: ResultData | undefined): void {
    for (const cb of this.callbacks) cb.include?.(file, hosts, itemVars);
  }
  handlerNotified(handlerName: string, host: string): void {
    for (const cb of this.callbacks) cb.handlerNotified?.(handlerName, host);
  }
  stats(stats: AggregateStats, checkMode: boolean): void {
    for (const cb of this.callbacks) cb.stats?.(stats, checkMode);
  }
}
