// The local connection: commands are child processes, files are read and written
// with node:fs. Become to another user goes through the become method (sudo/su), and
// file operations under such become fall back to commands run as that user.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
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
import { CommandTimeoutError } from './connection.js';
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
  private readonly children = new Set<ChildProcess>();
  readonly transport = 'local';
  /** File operations under become to another user go through commands. */
  private readonly shellOps = new ShellFileOps(async (script, args, options) => {
    const result = await this.runRaw(['/bin/sh', '-c', script, 'sh', ...args], options);
    return { rc: result.rc, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
  });

  constructor(readonly host: string) {}

  async connect(): Promise<void> {}

  async run(command: string | readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await this.runRaw(command, options);
    return { rc: result.rc, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
  }

  private async runRaw(command: string | readonly string[], options: RunOptions = {}): Promise<{ rc: number; stdout: Buffer; stderr: Buffer }> {
    if (options.cwd !== undefined && !(await isDirectory(options.cwd))) {
      // As the SSH transport reports it (a shell's cd failing).
      return { rc: 1, stdout: Buffer.alloc(0), stderr: Buffer.from(`cannot change directory to ${options.cwd}\n`) };
    }
    let argv: string[] = typeof command === 'string' ? [options.executable ?? '/bin/sh', '-c', command] : [...command];
    let stdin = options.stdin;
    if (needsBecome(options.become)) {
      // sudo resets the environment: the variables must be set on the inside.
      if (options.env) argv = ['env', ...Object.entries(options.env).map(([name, value]) => `${name}=${value}`), ...argv];
      const wrapped = becomeCommand(argv, options.become);
      argv = wrapped.argv;
      if (wrapped.passwordLine !== undefined) {
        stdin = Buffer.concat([Buffer.from(wrapped.passwordLine), Buffer.from(stdin ?? '')]);
      }
    }
    return new Promise((resolve, reject) => {
      // Its own process group, so close() can stop the command and everything it started.
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        signal: options.signal,
        detached: true,
      });
      this.children.add(child);
      child.on('exit', () => this.children.delete(child));
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timer: NodeJS.Timeout | undefined;
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new CommandTimeoutError(options.timeoutMs!));
        }, options.timeoutMs);
      }
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        if (error.code === 'ENOENT' || error.code === 'EACCES') {
          // As a shell would report it: the command is not there or not executable.
          resolve({ rc: error.code === 'ENOENT' ? 127 : 126, stdout: Buffer.alloc(0), stderr: Buffer.from(`${argv[0]}: ${error.message}\n`) });
        } else {
          reject(error);
        }
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({
          rc: code ?? (signal ? -(signalNumber(signal) ?? 1) : -1),
          stdout: Buffer.concat(out),
          stderr: Buffer.concat(err),
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
      // Ownership before the mode: chown clears the setuid and setgid bits.
      const uid = options.owner !== undefined ? lookupUid(options.owner) : ownership?.uid;
      const gid = options.group !== undefined ? lookupGid(options.group) : ownership?.gid;
      if (uid !== undefined || gid !== undefined) await fs.chown(temp, uid ?? -1, gid ?? -1);
      await fs.chmod(temp, mode ?? 0o666 & ~process.umask());
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
    const first = await fs.mkdir(path, { recursive: true });
    if (first === undefined || options.mode === undefined) return;
    // Every directory created gets exactly the mode (mkdir's mode would be masked by the umask).
    const created = [first];
    for (const part of resolve(path).slice(first.length).split('/').filter(Boolean)) {
      created.push(join(created[created.length - 1]!, part));
    }
    for (const dir of created) await fs.chmod(dir, options.mode);
  }

  /** Stop every command still running (the run was interrupted). */
  async close(): Promise<void> {
    for (const child of this.children) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
    this.children.clear();
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isDirectory();
  } catch {
    return false;
  }
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
