// Hands the recorder's batches to a worker thread that stores them (history-worker.ts), so
// the run's thread only serializes its results. Waiting for the worker is synchronous
// (Atomics.wait on a shared counter of handled messages), which also works in the
// process's 'exit' handler, where the exit code is stored.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { NewRun } from './history-store.js';
import type { HistorySink, RecorderBatch } from './history-sink.js';
import type { RecapRecord, RunStatus } from './run-model.js';

export const WORKER_URL = new URL('./history-worker.js', import.meta.url);
/** How long the run's end waits for the worker to store what is left. */
const FINISH_TIMEOUT_MS = 10_000;

export type WorkerMessage =
  | { kind: 'write'; batch: RecorderBatch }
  | { kind: 'recap'; recap: RecapRecord[]; customStats: Record<string, unknown> | undefined }
  | { kind: 'end'; endedAt: number }
  | { kind: 'finish'; exitCode: number; status: RunStatus; endedAt: number };

export interface WorkerSetup {
  path: string;
  run: NewRun;
  secrets: string[];
  /** Int32 [0]: messages handled. */
  handled: SharedArrayBuffer;
  errors: MessagePort;
}

/** JSON that survives values JSON cannot hold (bigint, cycles). */
function toJson(message: WorkerMessage): string {
  try {
    return JSON.stringify(message);
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(message, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value && typeof value === 'object') {
        if (seen.has(value)) return '[Circular]';
        seen.add(value);
      }
      return value;
    });
  }
}

export class WorkerSink implements HistorySink {
  private readonly worker: Worker;
  private readonly handled: Int32Array;
  private readonly errorPort: MessagePort;
  private readonly errors: string[] = [];
  private posted = 0;
  private finished = false;

  constructor(path: string, run: NewRun, secrets: Iterable<string | undefined | null>, workerUrl: URL = WORKER_URL) {
    const shared = new SharedArrayBuffer(4);
    this.handled = new Int32Array(shared);
    const channel = new MessageChannel();
    this.errorPort = channel.port1;
    this.errorPort.unref();
    const setup: WorkerSetup = { path, run, secrets: [...secrets].filter((s): s is string => typeof s === 'string'), handled: shared, errors: channel.port2 };
    // No inherited node flags: some (--input-type, --eval options) stop a file-based worker from starting.
    this.worker = new Worker(workerUrl, { workerData: setup, transferList: [channel.port2], execArgv: [] });
    this.worker.on('error', (error) => this.errors.push(`the history worker stopped: ${error.message}`));
    this.worker.unref();
  }

  private post(message: WorkerMessage): void {
    if (this.finished) return;
    this.worker.postMessage(toJson(message));
    this.posted++;
  }

  /** Block until the worker handled everything posted (or the time is up). */
  private wait(timeoutMs: number): void {
    const deadline = Date.now() + timeoutMs;
    for (let seen = Atomics.load(this.handled, 0); seen < this.posted; seen = Atomics.load(this.handled, 0)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.errors.push(`the history worker did not store the run within ${timeoutMs / 1000} s`);
        return;
      }
      Atomics.wait(this.handled, 0, seen, left);
    }
  }

  write(batch: RecorderBatch): void {
    this.post({ kind: 'write', batch });
  }

  recap(recap: RecapRecord[], customStats: Record<string, unknown> | undefined): void {
    this.post({ kind: 'recap', recap, customStats });
  }

  end(endedAt: number): void {
    this.post({ kind: 'end', endedAt });
  }

  finish(exitCode: number, status: RunStatus, endedAt: number): void {
    this.post({ kind: 'finish', exitCode, status, endedAt });
    this.finished = true;
    this.wait(FINISH_TIMEOUT_MS);
  }

  takeErrors(): string[] {
    for (let m = receiveMessageOnPort(this.errorPort); m; m = receiveMessageOnPort(this.errorPort)) this.errors.push(String(m.message));
    return this.errors.splice(0);
  }
}
