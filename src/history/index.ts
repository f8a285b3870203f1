// Run history: every run recorded into SQLite (see history-settings.ts for where and how
// to opt out), read back by `tsplay-runs`. The database code loads only when recording.
//
//   const callbacks = [...(await startRunHistory({ config, argv, cwd, env, checkMode, warn }))];
import { existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/index.js';
import type { OutputCallback } from '../output/events.js';
import type { HistorySink } from './history-sink.js';
import type { NewRun } from './history-store.js';
import { historySettings } from './history-settings.js';
import { redactArguments } from './redact.js';

export { historySettings, DEFAULT_HISTORY_DB, type HistorySettings } from './history-settings.js';
export { redactArguments, redactExtraVars, REDACTED } from './redact.js';
export { SecretMasker, MASK } from './secret-masker.js';
export type * from './run-model.js';

export interface StartHistoryInput {
  config: Config;
  /** The command line as typed (redacted before it is stored). */
  argv: readonly string[];
  playbooks: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  checkMode: boolean;
  version: string;
  /** Secret values known to the run, masked wherever they would be stored. */
  secrets?: Iterable<string | undefined | null>;
  warn: (message: string) => void;
}

/** The recorder callback, or none when history is off or its folder cannot be made. */
export async function startRunHistory(input: StartHistoryInput): Promise<OutputCallback[]> {
  const settings = historySettings(input.config, input.env, input.cwd);
  if (!settings.enabled) return [];
  try {
    mkdirSync(dirname(settings.path), { recursive: true });
    let user = 'unknown';
    try {
      user = userInfo().username;
    } catch {
      // No passwd entry for this uid: keep "unknown".
    }
    const run: NewRun = {
      startedAt: Date.now(),
      playbooks: [...input.playbooks],
      args: redactArguments(input.argv),
      cwd: input.cwd,
      user,
      checkMode: input.checkMode,
      version: input.version,
    };
    const secrets = [...(input.secrets ?? [])];
    const [{ HistoryRecorder }, { WorkerSink, WORKER_URL }] = await Promise.all([import('./history-recorder.js'), import('./worker-sink.js')]);
    let sink: HistorySink;
    if (existsSync(fileURLToPath(WORKER_URL))) sink = new WorkerSink(settings.path, run, secrets);
    else {
      // Running from the TypeScript sources (no compiled worker): store in this thread.
      const [{ HistoryStore }, { StoreSink }] = await Promise.all([import('./history-store.js'), import('./history-sink.js')]);
      const store = HistoryStore.openForWriting(settings.path);
      sink = new StoreSink(store, store.startRun(run), secrets);
    }
    return [new HistoryRecorder(sink, { warn: input.warn })];
  } catch (error) {
    input.warn(`Run history is not recorded: cannot open ${settings.path}: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}
