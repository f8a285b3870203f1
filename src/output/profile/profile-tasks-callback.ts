// The profile_tasks callback (ansible.posix): a timestamp line under every task banner
// (wall clock, time since the previous line, time since start), and after the recap the
// tasks by time spent. A task's time runs from its start to the next task's start, summed
// over serial batches. tsplay's --profile prints only the part after the recap.
import type { Display } from '../display.js';
import type { OutputCallback, TaskInfo } from '../events.js';
import { pyFormatFixed } from '../../template/python/number.js';
import { codePoints, filled, formatDuration, formatTimestamp } from './time-format.js';

export type ProfileSortOrder = 'descending' | 'ascending' | 'none';

export interface ProfileTasksOptions {
  /** How many tasks the summary lists; undefined lists all. */
  outputLimit: number | undefined;
  sortOrder: ProfileSortOrder;
  /** Only the summary after the recap, no timestamp line under each task banner (tsplay's --profile). */
  summaryOnly?: boolean;
  /** Milliseconds since the epoch (tests pass a fake clock). */
  now?: () => number;
}

interface TaskTiming {
  name: string;
  path: string | undefined;
  started: number;
  elapsed: number;
}

export class ProfileTasksCallback implements OutputCallback {
  private readonly now: () => number;
  private readonly startedAt: number;
  private lastLineAt: number;
  private readonly timings = new Map<number, TaskTiming>();
  private current: TaskTiming | undefined;

  constructor(
    private readonly display: Display,
    private readonly options: ProfileTasksOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.lastLineAt = this.now();
  }

  private timestampLine(): string {
    const now = this.now();
    const line = filled(`${formatTimestamp(new Date(now))} (${formatDuration((now - this.lastLineAt) / 1000)})${' '.repeat(7)}${formatDuration((now - this.startedAt) / 1000)}`);
    this.lastLineAt = now;
    return line;
  }

  private closeCurrent(): void {
    if (this.current) this.current.elapsed += this.now() - this.current.started;
  }

  taskStart(task: TaskInfo): void {
    if (this.options.summaryOnly) this.lastLineAt = this.now();
    else this.display.display(this.timestampLine());
    this.closeCurrent();
    let timing = this.timings.get(task.id);
    if (timing) timing.started = this.now();
    else {
      timing = { name: task.name, path: undefined, started: this.now(), elapsed: 0 };
      this.timings.set(task.id, timing);
    }
    if (this.display.verbosity >= 2) timing.path = task.path;
    this.current = timing;
  }

  stats(): void {
    this.display.display(this.timestampLine());
    this.display.display(filled('', '='));
    this.closeCurrent();
    this.current = undefined;
    let rows = [...this.timings.values()];
    if (this.options.sortOrder !== 'none') {
      const sign = this.options.sortOrder === 'descending' ? -1 : 1;
      rows.sort((a, b) => sign * (a.elapsed - b.elapsed));
    }
    if (this.options.outputLimit !== undefined) rows = rows.slice(0, Math.max(0, this.options.outputLimit));
    const width = this.display.columns - 9;
    for (const row of rows) {
      const name = `${row.name} `;
      let line = `${name}${'-'.repeat(Math.max(0, width - codePoints(name)))}${` ${pyFormatFixed(row.elapsed / 1000, 2)}s`.padStart(9, '-')}`;
      if (row.path) line += `\n${row.path} ${'-'.repeat(Math.max(0, this.display.columns - codePoints(row.path) - 1))}`;
      this.display.display(line);
    }
  }
}
