// A local connection that behaves like a remote one: its file operations are the shell
// scripts the SSH transport runs (ShellFileOps), and it does not call itself local, so
// the file modules take their remote paths (questions batched into scripts, changes that
// describe what they touched). Module tests run on it and on the plain local connection
// to show both paths give the same results; it also counts the commands it runs.
import { spawn } from 'node:child_process';
import { LocalConnection } from '../../src/connection/local.js';
import type { Connection, FileOptions, FileStat, MkdirOptions, RunOptions, RunResult, StatOptions, WriteOptions } from '../../src/connection/connection.js';
import { ShellFileOps, type ScriptResult } from '../../src/connection/shell-file-ops.js';

function runScript(script: string, args: readonly string[], stdin: Buffer | undefined): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', script, 'sh', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ rc: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? Buffer.alloc(0));
  });
}

export class ScriptedConnection implements Connection {
  readonly transport = 'scripted';
  private readonly local: LocalConnection;
  /** Commands run so far (each one a round trip over SSH). */
  commands = 0;
  private readonly files = new ShellFileOps((script, args, options) => {
    if (options.become !== undefined) throw new Error('the scripted test connection does not become other users');
    this.commands++;
    return runScript(script, args, options.stdin);
  });

  constructor(readonly host: string) {
    this.local = new LocalConnection(host);
  }

  connect(): Promise<void> {
    return this.local.connect();
  }

  close(): Promise<void> {
    return this.local.close();
  }

  run(command: string | readonly string[], options?: RunOptions): Promise<RunResult> {
    this.commands++;
    return this.local.run(command, options);
  }

  stat(path: string, options?: StatOptions): Promise<FileStat | undefined> {
    return this.files.stat(path, options);
  }

  readFile(path: string, options?: FileOptions): Promise<Buffer> {
    return this.files.readFile(path, options);
  }

  writeFile(path: string, data: string | Buffer, options?: WriteOptions): Promise<void> {
    return this.files.writeFile(path, data, options);
  }

  checksum(path: string, options?: FileOptions): Promise<string | undefined> {
    return this.files.checksum(path, options);
  }

  mkdirs(path: string, options?: MkdirOptions): Promise<void> {
    return this.files.mkdirs(path, options);
  }
}
