// Shared by the report end-to-end tests: run the built CLIs in a project folder with run
// history on, and find the Debian Chromium.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
export const TSPLAY = join(REPO, 'bin/tsplay.js');
export const TSPLAY_RUNS = join(REPO, 'bin/tsplay-runs.js');
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(REPO, 'test-artifacts');

/** Flags for a headless Chromium that talks to no one. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install the Debian package chromium`);
  return false;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a bin with the environment of a user's shell: history on, no colour. */
export function runCli(bin: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  const base: NodeJS.ProcessEnv = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ...env };
  delete base.TSPLAY_NO_HISTORY;
  delete base.TSPLAY_HISTORY_DB;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: base, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
