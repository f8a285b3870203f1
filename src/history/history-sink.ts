// Where the recorder's batches go. The store sink writes them to SQLite in the calling
// thread; the worker sink (worker-sink.ts) hands them to a worker thread that does the
// same, so a large run pays only for handing over its results.
import type { ResultData } from '../output/events.js';
import type { HistoryBatch, HistoryStore } from './history-store.js';
import { SecretMasker } from './secret-masker.js';
import type { PlayRecord, RecapRecord, ResultStatus, RunStatus, TaskRecord } from './run-model.js';
import { failureMessage, storedResultJson } from './stored-result.js';

/** A result as the recorder collects it: the callback's result, not yet serialized. */
export interface PendingResult {
  taskSeq: number;
  host: string;
  status: ResultStatus;
  changed: boolean;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  action: string;
  result: ResultData;
}

export interface RecorderBatch {
  plays: PlayRecord[];
  tasks: TaskRecord[];
  results: PendingResult[];
}

export interface HistorySink {
  write(batch: RecorderBatch): void;
  recap(recap: RecapRecord[], customStats: Record<string, unknown> | undefined): void;
  /** The run's events are over. */
  end(endedAt: number): void;
  /** Store the exit code and close; everything is stored when this returns. */
  finish(exitCode: number, status: RunStatus, endedAt: number): void;
  /** Problems met while storing (reported once by the recorder). */
  takeErrors(): string[];
}

/** The rows the database keeps for a batch: results serialized, failure messages, secrets masked. */
export function storedBatch(batch: RecorderBatch, masker: SecretMasker): HistoryBatch {
  return {
    plays: batch.plays,
    tasks: batch.tasks,
    results: batch.results.map((r) => {
      const failed = r.status === 'failed' || r.status === 'ignored' || r.status === 'unreachable';
      const message = failed ? failureMessage(r.result) : undefined;
      const json = storedResultJson(r.result, r.action);
      return {
        taskSeq: r.taskSeq,
        host: r.host,
        status: r.status,
        changed: r.changed,
        startedAt: r.startedAt,
        endedAt: r.endedAt,
        durationMs: r.durationMs,
        message: message === undefined || masker.empty ? message : masker.mask(message),
        resultJson: masker.empty ? json : masker.maskJson(json),
      };
    }),
  };
}

/** Writes to the store in the calling thread. */
export class StoreSink implements HistorySink {
  private readonly masker: SecretMasker;
  private readonly errors: string[] = [];
  private closed = false;

  constructor(
    private readonly store: HistoryStore,
    readonly runId: number,
    secrets: Iterable<string | undefined | null> = [],
    /**
     * Close the database when the run finishes. The worker leaves it open: closing copies the
     * write-ahead log into the database file (a checkpoint), which the run's end would wait
     * for; SQLite recovers an unclosed WAL database, and a later run checkpoints it.
     */
    private readonly closeOnFinish = true,
  ) {
    this.masker = new SecretMasker(secrets);
  }

  private guard(action: () => void): void {
    if (this.closed) return;
    try {
      action();
    } catch (error) {
      this.errors.push(error instanceof Error ? error.message : String(error));
    }
  }

  write(batch: RecorderBatch): void {
    this.guard(() => this.store.write(this.runId, storedBatch(batch, this.masker)));
  }

  recap(recap: RecapRecord[], customStats: Record<string, unknown> | undefined): void {
    this.guard(() => this.store.writeRecap(this.runId, recap, customStats));
  }

  end(endedAt: number): void {
    this.guard(() => this.store.endRun(this.runId, endedAt));
  }

  finish(exitCode: number, status: RunStatus, endedAt: number): void {
    this.guard(() => this.store.finishRun(this.runId, exitCode, status, endedAt));
    this.closed = true;
    if (this.closeOnFinish) this.store.close();
  }

  takeErrors(): string[] {
    return this.errors.splice(0);
  }
}
