// The live progress view, on when stdout is a terminal (not `--no-progress`, not TERM=dumb).
import type { Display } from '../display.js';
import type { OutputCallback } from '../events.js';
import { TerminalProgress } from './terminal-progress.js';

export { TerminalProgress, type TerminalProgressOptions } from './terminal-progress.js';
export { ProgressTracker, type ProgressSnapshotLine } from './progress-tracker.js';

export function createProgressView(
  display: Display,
  options: { disabled: boolean; stream?: NodeJS.WriteStream; env?: NodeJS.ProcessEnv },
): OutputCallback[] {
  const stream = options.stream ?? process.stdout;
  const env = options.env ?? process.env;
  if (options.disabled || !stream.isTTY || env.TERM === 'dumb') return [];
  return [new TerminalProgress(display, stream)];
}
