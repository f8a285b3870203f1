// The `json` stdout callback: the whole run as one JSON document printed at the end
// (plays, tasks with each host's result, stats), in the shape of Ansible's json callback.
import { randomUUID } from 'node:crypto';
import type { AggregateStats } from '../executor/stats.js';
import { pyJsonDumps } from '../template/python/json.js';
import type { Display } from './display.js';
import type { OutputCallback, PlayInfo, ResultData, ResultEvent, TaskInfo } from './events.js';

interface Duration {
  start: string;
  end?: string;
}

interface TaskEntry {
  task: { name: string; id: string; path?: string | undefined; duration: Duration };
  hosts: Record<string, ResultData>;
}

interface PlayEntry {
  play: { name: string; id: string; path?: string | undefined; duration: Duration };
  tasks: TaskEntry[];
}

const now = () => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class JsonCallback implements OutputCallback {
  private readonly plays: PlayEntry[] = [];
  private readonly taskEntries = new Map<number, TaskEntry>();

  constructor(private readonly display: Display) {}

  private get currentPlay(): PlayEntry | undefined {
    return this.plays[this.plays.length - 1];
  }

  playStart(play: PlayInfo): void {
    this.plays.push({ play: { name: play.name, id: randomUUID(), path: play.path, duration: { start: now() } }, tasks: [] });
  }

  taskStart(task: TaskInfo): void {
    const entry: TaskEntry = { task: { name: task.name, id: randomUUID(), path: task.path, duration: { start: now() } }, hosts: {} };
    this.taskEntries.set(task.id, entry);
    this.currentPlay?.tasks.push(entry);
  }

  private record(event: ResultEvent, extra: ResultData = {}): void {
    const entry = this.taskEntries.get(event.task.id);
    if (!entry) return;
    entry.hosts[event.host] = { ...event.result, action: event.task.action, ...extra };
    entry.task.duration.end = now();
    const play = this.currentPlay;
    if (play) play.play.duration.end = now();
  }

  runnerOk(event: ResultEvent): void {
    this.record(event);
  }

  runnerFailed(event: ResultEvent): void {
    this.record(event, { failed: true });
  }

  runnerSkipped(event: ResultEvent): void {
    this.record(event, { skipped: true });
  }

  runnerUnreachable(event: ResultEvent): void {
    this.record(event, { unreachable: true });
  }

  stats(stats: AggregateStats): void {
    const summary: Record<string, unknown> = {};
    for (const host of [...stats.processed.keys()].sort()) summary[host] = stats.summarize(host);
    const custom: Record<string, unknown> = {};
    for (const [host, data] of stats.custom) if (host !== '_run') custom[host] = data;
    const document = {
      custom_stats: custom,
      global_custom_stats: stats.custom.get('_run') ?? {},
      plays: this.plays,
      stats: summary,
    };
    this.display.display(pyJsonDumps(document, { sortKeys: true, indent: 4, ensureAscii: false }));
  }

  close(): Promise<void> {
    return this.display.drain();
  }
}
