// serial: batch sizes as numbers, percentages or a list of either (the last one repeats).
import { TsplayError } from '../errors.js';

function batchSize(value: unknown, total: number): number {
  if (typeof value === 'string' && value.trim().endsWith('%')) {
    const pct = parseFloat(value);
    return Math.max(1, Math.floor((pct / 100) * total));
  }
  const n = Number(value);
  if (!Number.isFinite(n)) throw new TsplayError(`Invalid serial value: ${String(value)}`);
  return n <= 0 ? total : n;
}

export function serialBatches(hosts: string[], serial: unknown): string[][] {
  if (serial === undefined || serial === null || (Array.isArray(serial) && serial.length === 0)) return hosts.length ? [hosts] : [];
  const sizes = Array.isArray(serial) ? serial : [serial];
  const batches: string[][] = [];
  let start = 0;
  let index = 0;
  while (start < hosts.length) {
    const size = batchSize(sizes[Math.min(index, sizes.length - 1)], hosts.length);
    batches.push(hosts.slice(start, start + size));
    start += size;
    index++;
  }
  return batches;
}
