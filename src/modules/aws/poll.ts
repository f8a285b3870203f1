// Waiting on AWS's eventual consistency: ask again, a little less often each time, until
// the answer is what we wait for, the timeout passes, or the run is interrupted.
import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  timeoutMs: number;
  /** First pause between two checks; it grows by half up to maxIntervalMs. */
  intervalMs?: number;
  maxIntervalMs?: number;
  signal?: AbortSignal;
}

export type PollOutcome<T> = { done: true; value: T } | { done: false; last: T | undefined };

/**
 * Calls `check` until it answers ready. Returns { done: false } with the last value seen
 * when the time is up or the run is interrupted (the caller words the failure).
 */
export async function pollUntil<T>(check: () => Promise<{ value?: T; ready: boolean }>, options: PollOptions): Promise<PollOutcome<T>> {
  const deadline = Date.now() + options.timeoutMs;
  let interval = options.intervalMs ?? 1000;
  const maxInterval = options.maxIntervalMs ?? 5000;
  let last: T | undefined;
  for (;;) {
    const answer = await check();
    last = answer.value;
    if (answer.ready) return { done: true, value: answer.value as T };
    const left = deadline - Date.now();
    if (left <= 0 || options.signal?.aborted) return { done: false, last };
    try {
      await sleep(Math.min(interval, left), undefined, options.signal ? { signal: options.signal } : undefined);
    } catch {
      return { done: false, last };
    }
    interval = Math.min(maxInterval, interval * 1.5);
  }
}
