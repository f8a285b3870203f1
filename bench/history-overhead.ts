// Run history overhead: the engine benchmark's project (200 hosts x 50 set_fact/debug tasks,
// local connection) run by tsplay with recording off and on, in back-to-back pairs. The
// overhead is the median of the pairs' ratios (a pair shares whatever else the machine is
// doing), checked against the budget (recording on at most 5% slower); exits 1 over budget.
// The fastest runs of each side are compared too, and the CPU time of tsplay's main thread
// and of the whole process (read from /proc at exit), which other work on the machine
// disturbs far less than wall time.
// Usage: npm run bench:history [-- --hosts 200 --tasks 50 --forks 50 --runs 9 --budget 5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO as repo } from '../scripts/repo.js';
import { writeBenchProject } from './bench-playbook.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const hosts = arg('hosts', 200);
const tasks = arg('tasks', 50);
const forks = arg('forks', 50);
const runs = arg('runs', 9);
const budgetPercent = arg('budget', 5);

const dir = mkdtempSync(join(tmpdir(), 'tsplay-bench-history-'));
writeBenchProject(dir, hosts, tasks);
const db = join(dir, 'history.db');

// Preloaded into tsplay: prints the main thread's and the process's CPU time when it exits.
const probe = join(dir, 'cpu-probe.cjs');
writeFileSync(
  probe,
  `const { readFileSync } = require('node:fs');
process.once('exit', () => {
  const stat = readFileSync('/proc/self/task/' + process.pid + '/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const usage = process.cpuUsage();
  process.stderr.write('\\nCPU_MS ' + (Number(fields[11]) + Number(fields[12])) * 10 + ' ' + Math.round((usage.user + usage.system) / 1000) + '\\n');
});
`,
);

interface Sample {
  seconds: number;
  mainCpuMs: number;
  processCpuMs: number;
}

function time(recording: boolean): Sample {
  const env: NodeJS.ProcessEnv = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', TSPLAY_HISTORY_DB: db };
  if (recording) delete env.TSPLAY_NO_HISTORY;
  else env.TSPLAY_NO_HISTORY = '1';
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', probe, join(repo, 'bin/tsplay.js'), '-i', 'inventory', 'playbook.yml', '-f', String(forks)], { cwd: dir, env, maxBuffer: 1 << 30, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`tsplay exited ${result.status}: ${result.stderr}`);
  const cpu = /CPU_MS (\d+) (\d+)/.exec(result.stderr);
  return { seconds, mainCpuMs: Number(cpu?.[1] ?? NaN), processCpuMs: Number(cpu?.[2] ?? NaN) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(`history overhead: ${hosts} hosts x ${tasks} tasks (debug/set_fact), local connection, forks=${forks}, ${runs} runs each`);
console.log(`load average before: ${loadavg()[0]!.toFixed(2)} (wall times are only meaningful on an otherwise idle machine)`);
time(false); // warm the file cache
const offSamples: Sample[] = [];
const onSamples: Sample[] = [];
for (let i = 0; i < runs; i++) {
  // Alternate which side goes first, so neither always meets a warmer or busier machine.
  if (i % 2 === 0) {
    offSamples.push(time(false));
    onSamples.push(time(true));
  } else {
    onSamples.push(time(true));
    offSamples.push(time(false));
  }
}
const off = offSamples.map((s) => s.seconds);
const on = onSamples.map((s) => s.seconds);
const cpu = (samples: Sample[], key: 'mainCpuMs' | 'processCpuMs') => median(samples.map((s) => s[key]));
const fastest = (values: number[]) => Math.min(...values);
const overhead = (median(on.map((t, i) => t / off[i]!)) - 1) * 100;
const fastestOverhead = (fastest(on) / fastest(off) - 1) * 100;
console.log(`recording off: ${off.map((s) => s.toFixed(2)).join(' ')} s (fastest ${fastest(off).toFixed(2)} s, median ${median(off).toFixed(2)} s)`);
console.log(`recording on:  ${on.map((s) => s.toFixed(2)).join(' ')} s (fastest ${fastest(on).toFixed(2)} s, median ${median(on).toFixed(2)} s)`);
console.log(`fastest on / fastest off: ${fastestOverhead >= 0 ? '+' : ''}${fastestOverhead.toFixed(1)}%`);
const percent = (a: number, b: number) => `${a / b - 1 >= 0 ? '+' : ''}${((a / b - 1) * 100).toFixed(1)}%`;
console.log(
  `CPU, main thread (median): off ${cpu(offSamples, 'mainCpuMs')} ms, on ${cpu(onSamples, 'mainCpuMs')} ms (${percent(cpu(onSamples, 'mainCpuMs'), cpu(offSamples, 'mainCpuMs'))}); ` +
    `whole process: off ${cpu(offSamples, 'processCpuMs')} ms, on ${cpu(onSamples, 'processCpuMs')} ms (${percent(cpu(onSamples, 'processCpuMs'), cpu(offSamples, 'processCpuMs'))})`,
);
console.log(`load average after: ${loadavg()[0]!.toFixed(2)}`);
console.log(`database: ${(statSync(db).size / 1024 / 1024).toFixed(1)} MiB after ${runs} recorded runs (${hosts * tasks} results each)`);
console.log(`overhead (median of paired runs): ${overhead.toFixed(1)}% (budget ${budgetPercent}%): ${overhead <= budgetPercent ? 'within budget' : 'OVER BUDGET'}`);
rmSync(dir, { recursive: true, force: true });
if (overhead > budgetPercent) process.exitCode = 1;
