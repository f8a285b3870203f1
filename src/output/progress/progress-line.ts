// One status line of the live progress view, cut to the terminal width so it never wraps
// (a wrapped line would break erasing it).
import type { ProgressSnapshotLine } from './progress-tracker.js';

export const SPINNER = ['|', '/', '-', '\\'];

export function formatElapsed(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.floor(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export function formatProgressLine(line: ProgressSnapshotLine, spinner: string, width: number): string {
  const slowest = line.slowest ? `, slowest: ${line.slowest.host} ${formatElapsed(line.slowest.elapsedMs)}` : '';
  const text = `${spinner} ${line.prefix} [${line.name.replace(/\s+/g, ' ').trim()}] ${line.done}/${line.total} hosts done${slowest}`;
  return truncate(text, Math.max(10, width - 1));
}

/** Cut to `width` code points, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return `${chars.slice(0, width - 1).join('')}…`;
}
