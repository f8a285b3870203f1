// Runs one command line through ansible-playbook (a real process) and through tsplay
// (main() in this process, see test/fuzz/in-process-cli.ts), each in a fresh copy of the
// same files, with HOME in the copy and the same environment.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runInProcess, type CliRun } from '../fuzz/in-process-cli.js';

export interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment both runs get (no developer ANSIBLE_* settings, no colour, no history). */
export function baseEnvironment(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOME: home,
    USER: process.env.USER ?? 'root',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_LOCALHOST_WARNING: '0',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_DEPRECATION_WARNINGS: '0',
    TSPLAY_NO_HISTORY: '1',
    ...extra,
  };
}

/** A folder holding `files`, with a home of its own. */
export function projectCopy(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-cli-'));
  mkdirSync(join(dir, 'home'));
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

export function runAnsible(args: readonly string[], cwd: string, env: Record<string, string>): Promise<Output> {
  return new Promise((resolve, reject) => {
    const child = spawn('ansible-playbook', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface BothRuns {
  dir: string;
  ansible: Output;
  tsplay: CliRun;
}

/** Both runs of `args` on copies of `files`; paths of the copies read `<dir>` in the output. */
export async function runBoth(
  files: Record<string, string>,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
  options: { skipAnsible?: boolean } = {},
): Promise<BothRuns> {
  const ansibleDir = projectCopy(files);
  const tsplayDir = projectCopy(files);
  try {
    const ansible = options.skipAnsible ? { code: -1, stdout: '', stderr: '' } : await runAnsible(args, ansibleDir, baseEnvironment(join(ansibleDir, 'home'), extraEnv));
    const tsplay = await runInProcess(args, { cwd: tsplayDir, env: baseEnvironment(join(tsplayDir, 'home'), extraEnv) });
    const clean = <T extends Output>(out: T, dir: string): T => ({ ...out, stdout: out.stdout.split(dir).join('<dir>'), stderr: out.stderr.split(dir).join('<dir>') });
    return { dir: '<dir>', ansible: clean(ansible, ansibleDir), tsplay: clean(tsplay, tsplayDir) };
  } finally {
    rmSync(ansibleDir, { recursive: true, force: true });
    rmSync(tsplayDir, { recursive: true, force: true });
  }
}
