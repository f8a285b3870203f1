// The records of the run history, as stored and as read back by `tsplay-runs`.
import type { HostStats } from '../executor/stats.js';

export type RunStatus = 'running' | 'ok' | 'failed' | 'unreachable' | 'interrupted' | 'error';

export type ResultStatus = 'ok' | 'changed' | 'failed' | 'ignored' | 'skipped' | 'unreachable';

export interface RunRecord {
  id: number;
  startedAt: number;
  /** Undefined while running, or when the process died without finishing. */
  endedAt: number | undefined;
  playbooks: string[];
  /** The command-line arguments with secrets redacted. */
  args: string[];
  cwd: string;
  user: string;
  checkMode: boolean;
  status: RunStatus;
  exitCode: number | undefined;
  version: string;
  /** set_stats data for the whole run. */
  customStats: Record<string, unknown> | undefined;
}

export interface PlayRecord {
  seq: number;
  name: string;
  hosts: string[];
  startedAt: number;
}

export interface TaskRecord {
  seq: number;
  playSeq: number;
  name: string;
  action: string;
  path: string | undefined;
  prefix: string;
  startedAt: number;
}

export interface ResultRecord {
  taskSeq: number;
  host: string;
  status: ResultStatus;
  changed: boolean;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  /** The failure message (failed, ignored and unreachable results). */
  message: string | undefined;
  /** The result as the callbacks saw it (no_log results are already censored). */
  result: Record<string, unknown>;
}

export interface RecapRecord extends HostStats {
  host: string;
}

export interface RunDetail {
  run: RunRecord;
  plays: PlayRecord[];
  tasks: TaskRecord[];
  results: ResultRecord[];
  recap: RecapRecord[];
}

export function statusForExitCode(code: number): RunStatus {
  switch (code) {
    case 0:
      return 'ok';
    case 2:
      return 'failed';
    case 4:
      return 'unreachable';
    case 99:
      return 'interrupted';
    default:
      return 'error';
  }
}
