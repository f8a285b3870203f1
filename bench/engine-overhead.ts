// Engine overhead: 200 hosts x 50 debug/set_fact tasks on the local connection, run by
// ansible-playbook and by tsplay on the same machine; prints both wall times and the ratio.
// Usage: npm run bench:engine [-- --hosts 200 --tasks 50 --forks 50 --skip-ansible]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
const skipAnsible = process.argv.includes('--skip-ansible');

const dir = mkdtempSync(join(tmpdir(), 'tsplay-bench-'));
writeBenchProject(dir, hosts, tasks);

function time(command: string, args: string[]): { seconds: number; code: number | null; lines: number } {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: dir,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', TSPLAY_NO_HISTORY: '1' },
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, code: result.status, lines: result.stdout.split('\n').length };
}

const args = ['-i', 'inventory', 'playbook.yml', '-f', String(forks)];
console.log(`engine overhead: ${hosts} hosts x ${tasks} tasks (debug/set_fact), local connection, forks=${forks}`);
const tsplay = time(process.execPath, [join(repo, 'bin/tsplay.js'), ...args]);
console.log(`tsplay:           ${tsplay.seconds.toFixed(2)} s (exit ${tsplay.code}, ${tsplay.lines} lines), ${((tsplay.seconds * 1e6) / (hosts * tasks)).toFixed(0)} µs per task per host`);
if (!skipAnsible) {
  const ansible = time('ansible-playbook', args);
  console.log(`ansible-playbook: ${ansible.seconds.toFixed(2)} s (exit ${ansible.code}, ${ansible.lines} lines)`);
  console.log(`ratio: tsplay is ${(ansible.seconds / tsplay.seconds).toFixed(1)}x faster`);
}
rmSync(dir, { recursive: true, force: true });
