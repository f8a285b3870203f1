// Shared by the vault tests: scratch directories, the real ansible-vault, and tsplay-vault's
// main() run in-process with captured streams and an optional scripted prompter.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/vault/main.js';
import type { Prompter } from '../../src/vault/prompt.js';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without the caller's ANSIBLE_* settings, with HOME in the scratch directory. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('ANSIBLE_') && key !== 'EDITOR' && key !== 'PAGER') env[key] = value;
  return { ...env, HOME: home, ANSIBLE_NOCOLOR: '1', ...extra };
}

export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'tsplay-vault-test-'));

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, text: string | Buffer, mode?: number): string {
    const path = this.path(name);
    writeFileSync(path, text);
    if (mode !== undefined) chmodSync(path, mode);
    return path;
  }

  /** An executable shell script. */
  script(name: string, body: string): string {
    return this.write(name, `#!/bin/sh\n${body}\n`, 0o755);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Run a command in its own session (no controlling terminal, so password prompts read
 * stdin instead of waiting at the developer's terminal).
 */
export function runCommand(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string | Buffer }): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export function ansibleVault(scratch: Scratch, args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}): Promise<RunResult> {
  return runCommand('ansible-vault', args, { cwd: scratch.dir, env: cleanEnv(scratch.dir, options.env), ...(options.input !== undefined ? { input: options.input } : {}) });
}

/** Answers prompts from a list, recording what was asked. */
export function scriptedPrompter(answers: (string | null)[]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = async (message: string) => {
    asked.push(message);
    if (answers.length === 0) throw new Error(`unexpected prompt: ${message}`);
    return answers.shift()!;
  };
  return { asked, secret: next, line: next };
}

export interface TsplayVaultOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  prompter?: Prompter;
  stdoutIsTTY?: boolean;
  stdinIsTTY?: boolean;
  /** Use the real prompter on this terminal device (a missing one means: read stdin). */
  ttyPath?: string;
}

/** tsplay-vault's main() in-process, in the scratch directory. */
export async function tsplayVault(scratch: Scratch, args: string[], options: TsplayVaultOptions = {}): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await main(args, {
    stdin: Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]),
    stdout,
    stderr,
    stdinIsTTY: options.stdinIsTTY ?? false,
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    env: cleanEnv(scratch.dir, options.env),
    cwd: scratch.dir,
    home: scratch.dir,
    // Never the developer's terminal: a test that prompts must script the answers.
    ...(options.ttyPath ? { ttyPath: options.ttyPath } : { prompter: options.prompter ?? scriptedPrompter([]) }),
  });
  return { code, stdout: out, stderr: err };
}
