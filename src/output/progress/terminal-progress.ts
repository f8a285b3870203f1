// The live progress view on a terminal: below the log, one status line per task that has
// hosts at work, redrawn in place by a timer. Before the Display writes any log text it
// erases its lines (Display.beforeWrite), so the log keeps Ansible's exact format and the
// lines reappear underneath at the next redraw. Events only update counters.
import type { Display } from '../display.js';
import type { OutputCallback, ResultEvent, TaskInfo, TaskPrefix } from '../events.js';
import { formatProgressLine, SPINNER, truncate } from './progress-line.js';
import { ProgressTracker } from './progress-tracker.js';

export interface TerminalProgressOptions {
  /** Redraw period. */
  intervalMs?: number;
  /** A task shows up once it has run this long (fast tasks never flicker a line). */
  showAfterMs?: number;
  /** At most this many lines; the rest are summed up in one more line. */
  maxLines?: number;
  now?: () => number;
}

const ERASE_LINE = '\r\x1b[2K';
const CURSOR_UP = '\x1b[1A';

export class TerminalProgress implements OutputCallback {
  readonly tracker: ProgressTracker;
  private readonly intervalMs: number;
  private readonly showAfterMs: number;
  private readonly maxLines: number;
  private timer: NodeJS.Timeout | undefined;
  private drawnLines = 0;
  private ticks = 0;
  private readonly previousBeforeWrite: (() => void) | undefined;

  constructor(
    private readonly display: Display,
    private readonly stream: NodeJS.WriteStream,
    options: TerminalProgressOptions = {},
  ) {
    this.tracker = new ProgressTracker(options.now);
    this.intervalMs = options.intervalMs ?? 200;
    this.showAfterMs = options.showAfterMs ?? 300;
    this.maxLines = options.maxLines ?? 6;
    this.tracker.onBusy = () => this.start();
    this.previousBeforeWrite = display.beforeWrite;
    display.beforeWrite = () => {
      this.erase();
      this.previousBeforeWrite?.();
    };
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.redraw(), this.intervalMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Remove the drawn lines; the cursor ends at the start of the first one. */
  erase(): void {
    if (this.drawnLines === 0) return;
    this.stream.write(ERASE_LINE + `${CURSOR_UP}${ERASE_LINE}`.repeat(this.drawnLines - 1));
    this.drawnLines = 0;
  }

  redraw(): void {
    // Pending log text goes out first (it erases the old lines on its way).
    this.display.flush();
    if (!this.tracker.busy) {
      this.erase();
      this.stop();
      return;
    }
    const width = this.stream.columns || 80;
    const spinner = SPINNER[this.ticks++ % SPINNER.length]!;
    const snapshot = this.tracker.snapshot(this.showAfterMs);
    const lines = snapshot.slice(0, this.maxLines).map((line) => formatProgressLine(line, spinner, width));
    if (snapshot.length > this.maxLines) {
      lines.push(truncate(`  ... and ${snapshot.length - this.maxLines} more tasks at work`, width - 1));
    }
    if (lines.length === 0 && this.drawnLines === 0) return;
    const erase = this.drawnLines === 0 ? '' : ERASE_LINE + `${CURSOR_UP}${ERASE_LINE}`.repeat(this.drawnLines - 1);
    this.stream.write(erase + lines.join('\n'));
    this.drawnLines = lines.length;
  }

  playStart(): void {
    this.tracker.playStart();
  }
  taskStart(task: TaskInfo, prefix: TaskPrefix): void {
    this.tracker.taskStart(task, prefix);
  }
  taskHosts(task: TaskInfo, hosts: readonly string[]): void {
    this.tracker.taskHosts(task, hosts);
  }
  hostTaskStart(host: string, task: TaskInfo): void {
    this.tracker.hostTaskStart(host, task);
  }
  runnerOk(event: ResultEvent): void {
    this.tracker.runnerOk(event);
  }
  runnerFailed(event: ResultEvent): void {
    this.tracker.runnerFailed(event);
  }
  runnerSkipped(event: ResultEvent): void {
    this.tracker.runnerSkipped(event);
  }
  runnerUnreachable(event: ResultEvent): void {
    this.tracker.runnerUnreachable(event);
  }

  stats(): void {
    this.tracker.stats();
    this.stop();
    this.erase();
  }

  close(): void {
    this.tracker.reset();
    this.stop();
    this.erase();
    this.display.beforeWrite = this.previousBeforeWrite;
  }
}
