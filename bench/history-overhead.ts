// Run history overhead: the engine benchmark's project (200 hosts x 50 set_fact/debug tasks,
// local connection) run by tsplay with recording off and on, alternately. The fastest run of
// each side is compared against the budget (recording on at most 5% slower; the fastest
// run is the one least disturbed by other work on the machine); exits 1 over budget.
// Usage: npm run bench:history [-- --hosts 200 --tasks 50 --forks 50 --runs 7 --budget 5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBenchProject } from './bench-playbook.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const hosts = arg('hosts', 200);
const tasks = arg('tasks', 50);
const forks = arg('forks', 50);
const runs = arg('runs', 7);
const budgetPercent = arg('budget', 5);
const repo = resolve(import.meta.dirname, '..', ...(import.meta.dirname.includes('/dist/') ? ['..'] : []));

const dir = mkdtempSync(join(tmpdir(), 'tsplay-bench-history-'));
writeBenchProject(dir, hosts, tasks);
const db = join(dir, 'history.db');

function time(recording: boolean): number {
  const env: NodeJS.ProcessEnv = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', TSPLAY_HISTORY_DB: db };
  if (recording) delete env.TSPLAY_NO_HISTORY;
  else env.TSPLAY_NO_HISTORY = '1';
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(repo, 'bin/tsplay.js'), '-i', 'inventory', 'playbook.yml', '-f', String(forks)], { cwd: dir, env, maxBuffer: 1 << 30, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`tsplay exited ${result.status}: ${result.stderr}`);
  return seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(`history overhead: ${hosts} hosts x ${tasks} tasks (debug/set_fact), local connection, forks=${forks}, ${runs} runs each`);
time(false); // warm the file cache
const off: number[] = [];
const on: number[] = [];
for (let i = 0; i < runs; i++) {
  off.push(time(false));
  on.push(time(true));
}
const fastest = (values: number[]) => Math.min(...values);
const overhead = (fastest(on) / fastest(off) - 1) * 100;
const medianOverhead = (median(on) / median(off) - 1) * 100;
console.log(`recording off: ${off.map((s) => s.toFixed(2)).join(' ')} s (fastest ${fastest(off).toFixed(2)} s, median ${median(off).toFixed(2)} s)`);
console.log(`recording on:  ${on.map((s) => s.toFixed(2)).join(' ')} s (fastest ${fastest(on).toFixed(2)} s, median ${median(on).toFixed(2)} s)`);
console.log(`median overhead: ${medianOverhead.toFixed(1)}%`);
console.log(`database: ${(statSync(db).size / 1024 / 1024).toFixed(1)} MiB after ${runs} recorded runs (${hosts * tasks} results each)`);
console.log(`overhead (fastest runs): ${overhead.toFixed(1)}% (budget ${budgetPercent}%): ${overhead <= budgetPercent ? 'within budget' : 'OVER BUDGET'}`);
rmSync(dir, { recursive: true, force: true });
if (overhead > budgetPercent) process.exitCode = 1;
