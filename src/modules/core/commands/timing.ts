// Times as the command module reports them: str() of Python's datetime and timedelta.
import { performance } from 'node:perf_hooks';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Milliseconds since the epoch, with sub-millisecond precision. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** `2024-05-01 12:30:00.123456` in the local time zone. */
export function pythonDatetime(epochMs: number): string {
  const date = new Date(Math.floor(epochMs));
  const micros = Math.floor((epochMs * 1000) % 1_000_000);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(micros, 6)}`;
}

/** `0:00:01.250000`, `1 day, 2:03:04` (no fraction when it is zero). */
export function pythonTimedelta(micros: number): string {
  const total = Math.max(0, Math.round(micros));
  const fraction = total % 1_000_000;
  let seconds = Math.floor(total / 1_000_000);
  const days = Math.floor(seconds / 86400);
  seconds %= 86400;
  const clock = `${Math.floor(seconds / 3600)}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}${fraction ? `.${pad(fraction, 6)}` : ''}`;
  return days ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock;
}

/** The start, end and delta keys of a command result. */
export function commandTimes(startMs: number, endMs: number): { start: string; end: string; delta: string } {
  const startMicros = Math.floor(startMs * 1000);
  const endMicros = Math.floor(endMs * 1000);
  return { start: pythonDatetime(startMs), end: pythonDatetime(endMs), delta: pythonTimedelta(endMicros - startMicros) };
}
