// The local connection: commands are child processes, files are read and written
// with node:fs. Become to another user goes through the become method (sudo/su), and
// file operations under such become fall back to commands run as that user.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type {
  BecomeOptions,
  Connection,
  FileOptions,
  FileStat,
  MkdirOptions,
  RunOptions,
  RunResult,
  StatOptions,
  WriteOptions,
} from './connection.js';
import { becomeCommand } from './become.js';
import { ShellFileOps } from './shell-file-ops.js';
import { userName, groupName, lookupUid, lookupGid } from './local-users.js';

const CURRENT_USER = userInfo().username;

function needsBecome(become: BecomeOptions | undefined): become is BecomeOptions {
  return become !== undefined && become.user !== CURRENT_USER;
}

function fileType(stats: import('node:fs').Stats): FileStat['type'] {
  if (stats.isSymbolicLink()) return 'link';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isBlockDevice()) return 'block';
  if (stats.isCharacterDevice()) return 'char';
  return 'file';
}

export class LocalConnection implements Connection {
  readonly transport = 'local';
  /** File operations under become to another user go through commands. */
  private readonly shellOps = new ShellFileOps((command, options) => this.run(command, options));

  constructor(readonly host: string) {}

  async connect(): Promise<void> {}

  run(command: string | readonly string[], options: RunOptions = {}): Promise<RunResult> {
    let argv: string[] = typeof command === 'string' ? [options.executable ?? '/bin/sh', '-c', command] : [...command];
    let stdin = options.stdin;
    if (needsBecome(options.become)) {
      const wrapped = becomeCommand(argv, options.become);
      argv = wrapped.argv;
      if (wrapped.passwordLine !== undefined) {
        stdin = Buffer.concat([Buffer.from(wrapped.passwordLine), Buffer.from(stdin ?? '')]);
      }
    }
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        signal: options.signal,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timer: NodeJS.Timeout | undefined;
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`command timed out after ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      }
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        if (error.code === 'ENOENT' || error.code === 'EACCES') {
          // As a shell would report it: the command is not there or not executable.
          resolve({ rc: error.code === 'ENOENT' ? 127 : 126, stdout: '', stderr: `${argv[0]}: ${error.message}` });
        } else if (error.code === 'ENOTDIR' || (options.cwd !== undefined && error.syscall === 'spawn')) {
          resolve({ rc: 1, stdout: '', stderr: `cannot change directory to ${options.cwd}: ${error.message}` });
        } else {
          reject(error);
        }
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({
          rc: code ?? (signal ? -(signalNumber(signal) ?? 1) : -1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
      child.stdin.on('error', () => {
        /* the command may exit without reading its input */
      });
      child.stdin.end(stdin ?? '');
    });
  }

  async stat(path: string, options: StatOptions = {}): Promise<FileStat | undefined> {
    if (needsBecome(options.become)) return this.shellOps.stat(path, options);
    let stats;
    try {
      stats = options.follow ? await fs.stat(path) : await fs.lstat(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const result: FileStat = {
      path,
      type: fileType(stats),
      mode: stats.mode & 0o7777,
      uid: stats.uid,
      gid: stats.gid,
      owner: userName(stats.uid),
      group: groupName(stats.gid),
      size: stats.size,
      mtime: stats.mtimeMs / 1000,
      atime: stats.atimeMs / 1000,
      ctime: stats.ctimeMs / 1000,
      inode: stats.ino,
      dev: stats.dev,
      nlink: stats.nlink,
    };
    if (result.type === 'link') result.linkTarget = await fs.readlink(path);
    if (options.checksum && result.type === 'file') result.checksum = await this.checksum(path);
    return result;
  }

  async readFile(path: string, options: FileOptions = {}): Promise<Buffer> {
    if (needsBecome(options.become)) return this.shellOps.readFile(path, options);
    return fs.readFile(path);
  }

  async writeFile(path: string, data: string | Buffer, options: WriteOptions = {}): Promise<void> {
    if (needsBecome(options.become)) return this.shellOps.writeFile(path, data, options);
    const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    let mode = options.mode;
    let ownership: { uid: number; gid: number } | undefined;
    try {
      const existing = await fs.stat(path);
      mode ??= existing.mode & 0o7777;
      ownership = { uid: existing.uid, gid: existing.gid };
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    try {
      await fs.writeFile(temp, data, { mode: 0o600, flag: 'wx' });
      await fs.chmod(temp, mode ?? 0o666 & ~process.umask());
      const uid = options.owner !== undefined ? lookupUid(options.owner) : ownership?.uid;
      const gid = options.group !== undefined ? lookupGid(options.group) : ownership?.gid;
      if (uid !== undefined || gid !== undefined) await fs.chown(temp, uid ?? -1, gid ?? -1);
      await fs.rename(temp, path);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async checksum(path: string, options: FileOptions = {}): Promise<string | undefined> {
    if (needsBecome(options.become)) return this.shellOps.checksum(path, options);
    try {
      const handle = await fs.open(path, fsConstants.O_RDONLY);
      try {
        const hash = createHash('sha1');
        for await (const chunk of handle.createReadStream()) hash.update(chunk as Buffer);
        return hash.digest('hex');
      } finally {
        await handle.close().catch(() => undefined);
      }
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async mkdirs(path: string, options: MkdirOptions = {}): Promise<void> {
    if (needsBecome(options.become)) return this.shellOps.mkdirs(path, options);
    await fs.mkdir(path, { recursive: true, ...(options.mode !== undefined ? { mode: options.mode } : {}) });
  }

  async close(): Promise<void> {}
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return (
    { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 } as Partial<Record<NodeJS.Signals, number>>
  )[signal];
}
