// `tsplay-runs`: the run history recorded by tsplay.
//   tsplay-runs list [-n COUNT]              the latest runs
//   tsplay-runs show ID|last                 one run: recap, failures, slowest tasks
//   tsplay-runs report ID|last -o FILE       one run as a self-contained HTML page
// --db PATH reads another database (default: as tsplay records, see history-settings.ts).
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../../config/index.js';
import { historySettings } from '../../history/history-settings.js';
import { HistoryStore, HistoryStoreError } from '../../history/history-store.js';
import { renderRunReport } from '../../history/report/run-report.js';
import { formatRunDetail, formatRunList } from './format.js';

export const RUNS_USAGE = `usage: tsplay-runs [--db PATH] list [-n COUNT]
       tsplay-runs [--db PATH] show ID|last
       tsplay-runs [--db PATH] report ID|last -o FILE`;

export interface RunsIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

class RunsUsageError extends Error {}
class RunsError extends Error {}

interface RunsCommand {
  name: 'list' | 'show' | 'report';
  db: string | undefined;
  count: number;
  id: string | undefined;
  output: string | undefined;
}

function parse(argv: readonly string[]): RunsCommand | 'help' {
  const command: Partial<RunsCommand> & { count: number } = { count: 20 };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const [flag, attached] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      if (attached !== undefined) return attached;
      if (i + 1 >= argv.length) throw new RunsUsageError(`argument ${flag}: expected one argument`);
      return argv[++i]!;
    };
    if (arg === '-h' || arg === '--help') return 'help';
    else if (arg === '--db' || arg.startsWith('--db=')) command.db = value();
    else if (arg === '-o' || arg === '--output' || arg.startsWith('--output=')) command.output = value();
    else if (arg === '-n' || arg === '--limit' || arg.startsWith('--limit=')) {
      const raw = value();
      if (!/^\d+$/.test(raw)) throw new RunsUsageError(`argument -n/--limit: invalid int value: '${raw}'`);
      command.count = Number(raw);
    } else if (arg.startsWith('-') && arg !== '-') throw new RunsUsageError(`unrecognized arguments: ${arg}`);
    else positional.push(arg);
  }
  const [name, id, ...rest] = positional;
  if (!name) throw new RunsUsageError('a command is required: list, show or report');
  if (name !== 'list' && name !== 'show' && name !== 'report') throw new RunsUsageError(`invalid command '${name}' (choose from 'list', 'show', 'report')`);
  if (rest.length || (name === 'list' && id !== undefined)) throw new RunsUsageError(`unrecognized arguments: ${[...(name === 'list' ? [id] : []), ...rest].join(' ')}`);
  if (name !== 'list' && id === undefined) throw new RunsUsageError(`${name} needs a run ID (or "last")`);
  if (name === 'report' && !command.output) throw new RunsUsageError('report needs -o FILE (- for standard output)');
  return { name, db: command.db, count: command.count, id, output: command.output };
}

function databasePath(command: RunsCommand, io: RunsIo): string {
  if (command.db) return resolve(io.cwd, command.db);
  let config: Config | undefined;
  try {
    config = loadConfig({ env: io.env, cwd: io.cwd, home: homedir() });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
  return historySettings(config, io.env, io.cwd).path;
}

function runId(store: HistoryStore, id: string): number {
  if (id === 'last' || id === 'latest') {
    const latest = store.latestRunId();
    if (latest === undefined) throw new RunsError('no runs recorded yet');
    return latest;
  }
  if (!/^\d+$/.test(id)) throw new RunsError(`invalid run ID '${id}': a number or "last"`);
  return Number(id);
}

export async function main(argv: readonly string[], io: RunsIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env }): Promise<number> {
  let store: HistoryStore | undefined;
  try {
    const command = parse(argv);
    if (command === 'help') {
      io.stdout.write(`${RUNS_USAGE}\n`);
      return 0;
    }
    store = HistoryStore.openForReading(databasePath(command, io));
    if (command.name === 'list') {
      io.stdout.write(`${formatRunList(store.listRuns(command.count))}\n`);
      return 0;
    }
    const id = runId(store, command.id!);
    const detail = store.run(id);
    if (!detail) throw new RunsError(`no run with ID ${id} in ${store.path}`);
    if (command.name === 'show') {
      io.stdout.write(`${formatRunDetail(detail)}\n`);
      return 0;
    }
    const html = renderRunReport(detail);
    if (command.output === '-') io.stdout.write(html);
    else {
      const target = resolve(io.cwd, command.output!);
      writeFileSync(target, html);
      io.stdout.write(`Run ${id} report written to ${target}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof RunsUsageError) {
      io.stderr.write(`${RUNS_USAGE}\ntsplay-runs: error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof RunsError || error instanceof HistoryStoreError) {
      io.stderr.write(`tsplay-runs: error: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`tsplay-runs: error: ${message}\n`);
    return 1;
  } finally {
    store?.close();
  }
}
