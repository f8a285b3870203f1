// The fuzz suite the fuzz test files share: generated bad inputs (mutated playbooks, role
// and tasks files, vars files, templates, inventories, -e values) run through tsplay's
// main() in this process, each in its own folder with HOME and TMPDIR there too. Every
// run must end with an exit code ansible-playbook could give, a message, and no crash
// (see invariants.ts); no file may be written outside the fuzz folder (every node:fs
// write is checked, and /tmp, the repository and the real home are listed before and
// after for the traces of child processes). A sample also goes through the compiled
// bin, for what only a real process shows (exit status, unhandled rejections, output
// flushed before exit).
//
// TSPLAY_FUZZ_CASES (default 1200, shared by the fuzz test files) and TSPLAY_FUZZ_SEED
// replay or widen a run; a failure prints the seed, the case number, the mutated lines
// and the output (all failures go to the file TSPLAY_FUZZ_REPORT names, when set).
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { KIND_WEIGHTS, makeCase, type CaseKind, type FuzzCase } from './cases.js';
import { runInProcess, type CliRun } from './in-process-cli.js';
import { checkRun, knownGap } from './invariants.js';
import { INVENTORIES, PROJECT } from './seeds.js';
import { WriteGuard } from './write-guard.js';

const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'bin/tsplay.js');
const TOTAL_CASES = Number(process.env.TSPLAY_FUZZ_CASES ?? 1200);
const SEED = Number(process.env.TSPLAY_FUZZ_SEED ?? 8);
const ALL_KINDS = Object.keys(KIND_WEIGHTS) as CaseKind[];

const root = mkdtempSync(join(tmpdir(), 'tsplay-fuzz-'));
const home = join(root, 'home');
const scratch = join(root, 'tmp');
mkdirSync(home);
mkdirSync(scratch);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function environment(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOME: home,
    TMPDIR: scratch,
    USER: process.env.USER ?? 'root',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_LOCALHOST_WARNING: '0',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
  };
}

/** Paths (relative to a folder) a fuzz case could leave behind if it wrote outside its own folder. */
const OUR_PATHS = [...Object.keys(PROJECT), ...Object.keys(INVENTORIES), 'out', '.tsplay', '.ansible', 'db.conf', 'app.conf', 'motd'];

function ours(relative: string): boolean {
  return relative.endsWith('.retry') || OUR_PATHS.some((path) => relative === path || relative.startsWith(`${path}/`) || path.startsWith(`${relative}/`));
}

/** /tmp's entries, the repository's untracked and changed files, the real home's entries. */
function listing(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const name of readdirSync('/tmp')) entries.set(`/tmp/${name}`, name);
  const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: REPO, encoding: 'utf8' });
  for (const line of status.split('\n')) if (line.trim()) entries.set(`${REPO}/${line.slice(3)}`, line.slice(3));
  const realHome = process.env.HOME ?? '/root';
  for (const name of readdirSync(realHome)) entries.set(`${realHome}/${name}`, name);
  return entries;
}

/** New entries since `before` that look like a fuzz case's files (others' work is left alone). */
function newTraces(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([path, relative]) => !before.has(path) && ours(relative)).map(([path]) => path);
}

function report(c: FuzzCase, run: CliRun, problems: string[]): string {
  return [
    `case ${c.index} (seed ${SEED}, ${c.kind} ${c.target}: ${c.applied.join(', ')}): ${problems.join('; ')}`,
    `  tsplay ${c.argv.join(' ')}  -> exit ${run.code}`,
    `  --- mutated ${c.target} (changed lines)\n${changedLines(c).map((l) => `  | ${l}`).join('\n')}`,
    `  --- stderr\n${run.stderr.slice(0, 1500)}`,
    `  --- stdout (end)\n${run.stdout.slice(-1500)}`,
  ].join('\n');
}

/** The lines of the mutated text that the seed does not have (what the mutation did). */
function changedLines(c: FuzzCase): string[] {
  const original = new Set((c.target === '-e' ? '' : (PROJECT[c.target] ?? INVENTORIES[c.target] ?? '')).split('\n'));
  return c.text.split('\n').filter((line) => !original.has(line)).slice(0, 20).map((line) => JSON.stringify(line));
}

function runBin(c: FuzzCase): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...c.argv], { cwd: c.dir, env: environment(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr, escaped: signal ? [`killed by ${signal}`] : [], hung: signal === 'SIGKILL', ms: Date.now() - started });
    });
  });
}

/**
 * The fuzz tests for some kinds of input: their share of TSPLAY_FUZZ_CASES (by the kinds'
 * weights) in-process, and `binSample` of the same cases through the compiled bin.
 */
export function fuzzTests(kinds: readonly CaseKind[], binSample: number): void {
  const share = kinds.reduce((sum, kind) => sum + KIND_WEIGHTS[kind], 0) / ALL_KINDS.reduce((sum, kind) => sum + KIND_WEIGHTS[kind], 0);
  const CASES = Math.round(TOTAL_CASES * share);
  const BIN_SAMPLE = Math.min(binSample, CASES);

  it(`runs ${CASES} generated bad ${kinds.join(', ')} inputs: exit codes, messages, no crash, no stray files`, async () => {
    const before = listing();
    const guard = new WriteGuard([root]);
    const failures: string[] = [];
    const codes = new Map<number, number>();
    const kindCounts = new Map<string, number>();
    const slowest: { ms: number; what: string }[] = [];
    /** Known engine gaps met (KNOWN_ENGINE_GAPS in invariants.ts), by name. */
    const gaps = new Map<string, number>();
    guard.install();
    try {
      for (let index = 0; index < CASES; index++) {
        const c = makeCase(root, SEED, index, kinds);
        const run = await runInProcess(c.argv, { cwd: c.dir, env: environment() });
        codes.set(run.code, (codes.get(run.code) ?? 0) + 1);
        kindCounts.set(c.kind, (kindCounts.get(c.kind) ?? 0) + 1);
        slowest.push({ ms: run.ms, what: `case ${c.index} (${c.kind} ${c.target}: ${c.applied.join(', ')}; exit ${run.code})` });
        slowest.sort((a, b) => b.ms - a.ms).splice(5);
        const all = checkRun(run);
        const problems = all.filter((problem) => !knownGap(problem));
        for (const problem of all) {
          const gap = knownGap(problem);
          if (gap) gaps.set(gap, (gaps.get(gap) ?? 0) + 1);
        }
        if (problems.length > 0) failures.push(report(c, run, problems));
        rmSync(c.dir, { recursive: true, force: true });
      }
    } finally {
      guard.uninstall();
    }
    if (process.env.TSPLAY_FUZZ_REPORT) writeFileSync(process.env.TSPLAY_FUZZ_REPORT, failures.join('\n\n'));
    const traces = newTraces(before, listing());
    console.log(
      `fuzz: ${CASES} cases (seed ${SEED}): ${[...kindCounts].map(([k, n]) => `${k} ${n}`).join(', ')}; exit codes ${[...codes]
        .sort((a, b) => a[0] - b[0])
        .map(([code, n]) => `${code}:${n}`)
        .join(' ')}; ${failures.length} failing; known engine gaps met: ${[...gaps].map(([g, n]) => `${g} (${n})`).join(', ') || 'none'}; slowest: ${slowest.map((s) => `${s.ms} ms ${s.what}`).join(' | ')}`,
    );
    expect(guard.violations, 'files written outside the fuzz folder').toEqual([]);
    expect(traces, 'new files outside the fuzz folder').toEqual([]);
    expect(failures.slice(0, 15).join('\n\n'), `${failures.length} of ${CASES} cases misbehaved`).toBe('');
  }, 900_000);

  it.runIf(BIN_SAMPLE > 0 && existsSync(join(REPO, 'dist/src/cli/main.js')))(`runs ${BIN_SAMPLE} of them through the compiled bin`, async () => {
    const failures: string[] = [];
    const indexes = Array.from({ length: BIN_SAMPLE }, (_, k) => Math.floor((k * CASES) / BIN_SAMPLE));
    for (let k = 0; k < indexes.length; k += 2) {
      const batch = indexes.slice(k, k + 2).map((index) => makeCase(root, SEED, index, kinds));
      const runs = await Promise.all(batch.map(runBin));
      batch.forEach((c, i) => {
        const run = runs[i]!;
        const problems = checkRun(run).filter((problem) => !knownGap(problem));
        if (/^(node:internal|\S+\.js:\d+$)/m.test(run.stderr)) problems.push('node printed an error report');
        if (problems.length > 0) failures.push(report(c, run, problems));
        rmSync(c.dir, { recursive: true, force: true });
      });
    }
    expect(failures.join('\n\n')).toBe('');
  }, 300_000);
}
