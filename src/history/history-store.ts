// The run history database (SQLite through better-sqlite3): one row per run, its plays,
// tasks, per-host results and recap. Writers add rows in batches (one transaction each);
// WAL lets `tsplay-runs` read while a run is being recorded.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { PlayRecord, RecapRecord, ResultRecord, ResultStatus, RunDetail, RunRecord, RunStatus, TaskRecord } from './run-model.js';

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  playbooks TEXT NOT NULL,
  args TEXT NOT NULL,
  cwd TEXT NOT NULL,
  user TEXT NOT NULL,
  check_mode INTEGER NOT NULL,
  status TEXT NOT NULL,
  exit_code INTEGER,
  version TEXT NOT NULL,
  custom_stats TEXT
);
CREATE TABLE IF NOT EXISTS plays (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  hosts TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS tasks (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  play_seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  action TEXT NOT NULL,
  path TEXT,
  prefix TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS results (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  task_seq INTEGER NOT NULL,
  host TEXT NOT NULL,
  status TEXT NOT NULL,
  changed INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  message TEXT,
  result TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS results_by_run ON results (run_id, task_seq);
CREATE TABLE IF NOT EXISTS recap (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  host TEXT NOT NULL,
  ok INTEGER NOT NULL,
  changed INTEGER NOT NULL,
  unreachable INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  rescued INTEGER NOT NULL,
  ignored INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (run_id, host)
);
`;

export interface NewRun {
  startedAt: number;
  playbooks: string[];
  args: string[];
  cwd: string;
  user: string;
  checkMode: boolean;
  version: string;
}

/** Rows collected since the last write, stored in one transaction. */
export interface HistoryBatch {
  plays: PlayRecord[];
  tasks: TaskRecord[];
  /** Results with the result already serialized (done by the recorder, off the write path). */
  results: (Omit<ResultRecord, 'result'> & { resultJson: string })[];
}

export class HistoryStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryStoreError';
  }
}

interface RunRow {
  id: number;
  started_at: number;
  ended_at: number | null;
  playbooks: string;
  args: string;
  cwd: string;
  user: string;
  check_mode: number;
  status: string;
  exit_code: number | null;
  version: string;
  custom_stats: string | null;
}

function runFromRow(row: RunRow): RunRecord {
  return {
    id: row.id,
    startedAt: row.started_at,
    endedAt: row.ended_at ?? undefined,
    playbooks: JSON.parse(row.playbooks) as string[],
    args: JSON.parse(row.args) as string[],
    cwd: row.cwd,
    user: row.user,
    checkMode: row.check_mode === 1,
    status: row.status as RunStatus,
    exitCode: row.exit_code ?? undefined,
    version: row.version,
    customStats: row.custom_stats ? (JSON.parse(row.custom_stats) as Record<string, unknown>) : undefined,
  };
}

export class HistoryStore {
  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {}

  /** Open (creating when needed) the database for recording. */
  static openForWriting(path: string): HistoryStore {
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { timeout: 5000 });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new HistoryStoreError(`${path} was written by a newer tsplay (history schema ${version})`);
      }
      db.exec(SCHEMA);
      if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    } catch (error) {
      db.close();
      throw error;
    }
    return new HistoryStore(path, db);
  }

  /** Open an existing database for reading. */
  static openForReading(path: string): HistoryStore {
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true, timeout: 5000 });
    } catch (error) {
      throw new HistoryStoreError(`no run history at ${path} (${error instanceof Error ? error.message : String(error)})`);
    }
    return new HistoryStore(path, db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  startRun(run: NewRun): number {
    const info = this.db
      .prepare(
        `INSERT INTO runs (started_at, playbooks, args, cwd, user, check_mode, status, version)
         VALUES (?, ?, ?, ?, ?, ?, 'running', ?)`,
      )
      .run(run.startedAt, JSON.stringify(run.playbooks), JSON.stringify(run.args), run.cwd, run.user, run.checkMode ? 1 : 0, run.version);
    return Number(info.lastInsertRowid);
  }

  private statements?: {
    play: Database.Statement;
    task: Database.Statement;
    result: Database.Statement;
    recap: Database.Statement;
  };

  private prepared() {
    this.statements ??= {
      play: this.db.prepare('INSERT OR REPLACE INTO plays (run_id, seq, name, hosts, started_at) VALUES (?, ?, ?, ?, ?)'),
      task: this.db.prepare('INSERT OR REPLACE INTO tasks (run_id, seq, play_seq, name, action, path, prefix, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      result: this.db.prepare(
        `INSERT INTO results (run_id, task_seq, host, status, changed, started_at, ended_at, duration_ms, message, result)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      recap: this.db.prepare(
        `INSERT OR REPLACE INTO recap (run_id, host, ok, changed, unreachable, failures, skipped, rescued, ignored, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
    return this.statements;
  }

  /** Store a batch in one transaction. */
  write(runId: number, batch: HistoryBatch): void {
    const s = this.prepared();
    this.db.transaction(() => {
      for (const p of batch.plays) s.play.run(runId, p.seq, p.name, JSON.stringify(p.hosts), p.startedAt);
      for (const t of batch.tasks) s.task.run(runId, t.seq, t.playSeq, t.name, t.action, t.path ?? null, t.prefix, t.startedAt);
      for (const r of batch.results) {
        s.result.run(runId, r.taskSeq, r.host, r.status, r.changed ? 1 : 0, r.startedAt, r.endedAt, r.durationMs, r.message ?? null, r.resultJson);
      }
    })();
  }

  writeRecap(runId: number, recap: RecapRecord[], customStats: Record<string, unknown> | undefined): void {
    const s = this.prepared();
    this.db.transaction(() => {
      recap.forEach((h, seq) => s.recap.run(runId, h.host, h.ok, h.changed, h.unreachable, h.failures, h.skipped, h.rescued, h.ignored, seq));
      this.db.prepare('UPDATE runs SET custom_stats = ? WHERE id = ?').run(customStats ? JSON.stringify(customStats) : null, runId);
    })();
  }

  endRun(runId: number, endedAt: number): void {
    this.db.prepare('UPDATE runs SET ended_at = ? WHERE id = ?').run(endedAt, runId);
  }

  finishRun(runId: number, exitCode: number, status: RunStatus, endedAt: number): void {
    this.db.prepare('UPDATE runs SET exit_code = ?, status = ?, ended_at = COALESCE(ended_at, ?) WHERE id = ?').run(exitCode, status, endedAt, runId);
  }

  // Reading.

  listRuns(limit: number): (RunRecord & { hosts: number; failedHosts: number })[] {
    const rows = this.db
      .prepare(
        `SELECT runs.*,
                (SELECT COUNT(*) FROM recap WHERE recap.run_id = runs.id) AS hosts,
                (SELECT COUNT(*) FROM recap WHERE recap.run_id = runs.id AND (failures > 0 OR unreachable > 0)) AS failed_hosts
         FROM runs ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as (RunRow & { hosts: number; failed_hosts: number })[];
    return rows.map((row) => ({ ...runFromRow(row), hosts: row.hosts, failedHosts: row.failed_hosts }));
  }

  latestRunId(): number | undefined {
    const row = this.db.prepare('SELECT MAX(id) AS id FROM runs').get() as { id: number | null };
    return row.id ?? undefined;
  }

  run(id: number): RunDetail | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) return undefined;
    const plays = (this.db.prepare('SELECT * FROM plays WHERE run_id = ? ORDER BY seq').all(id) as { seq: number; name: string; hosts: string; started_at: number }[]).map(
      (p): PlayRecord => ({ seq: p.seq, name: p.name, hosts: JSON.parse(p.hosts) as string[], startedAt: p.started_at }),
    );
    const tasks = (
      this.db.prepare('SELECT * FROM tasks WHERE run_id = ? ORDER BY seq').all(id) as {
        seq: number;
        play_seq: number;
        name: string;
        action: string;
        path: string | null;
        prefix: string;
        started_at: number;
      }[]
    ).map((t): TaskRecord => ({ seq: t.seq, playSeq: t.play_seq, name: t.name, action: t.action, path: t.path ?? undefined, prefix: t.prefix, startedAt: t.started_at }));
    const results = (
      this.db.prepare('SELECT * FROM results WHERE run_id = ? ORDER BY rowid').all(id) as {
        task_seq: number;
        host: string;
        status: string;
        changed: number;
        started_at: number;
        ended_at: number;
        duration_ms: number;
        message: string | null;
        result: string;
      }[]
    ).map(
      (r): ResultRecord => ({
        taskSeq: r.task_seq,
        host: r.host,
        status: r.status as ResultStatus,
        changed: r.changed === 1,
        startedAt: r.started_at,
        endedAt: r.ended_at,
        durationMs: r.duration_ms,
        message: r.message ?? undefined,
        result: JSON.parse(r.result) as Record<string, unknown>,
      }),
    );
    const recap = this.db.prepare('SELECT host, ok, changed, unreachable, failures, skipped, rescued, ignored FROM recap WHERE run_id = ? ORDER BY seq').all(id) as RecapRecord[];
    return { run: runFromRow(row), plays, tasks, results, recap };
  }
}
