// The only way a module touches a host. Both the local connection and SSH implement
// it, so the same module code runs on either; modules never know the transport.
import { TsplayError } from '../errors.js';

/** Privilege escalation for one operation (Ansible's become). */
export interface BecomeOptions {
  /** sudo (default), su, ... */
  method: string;
  /** Target user; Ansible's default is root. */
  user: string;
  password?: string | undefined;
  /** Extra flags for the become method (become_flags). */
  flags?: string | undefined;
  /** Executable of the become method when not the default (become_exe). */
  exe?: string | undefined;
}

export interface RunOptions {
  /** Bytes written to the command's standard input, which is then closed. */
  stdin?: string | Buffer | undefined;
  /** Extra environment variables for the command. */
  env?: Record<string, string> | undefined;
  /** Working directory (the command fails if it does not exist). */
  cwd?: string | undefined;
  become?: BecomeOptions | undefined;
  /** Kill the command and reject after this long. */
  timeoutMs?: number | undefined;
  /** Shell that runs a string command; /bin/sh when unset. Ignored for argv commands. */
  executable?: string | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Run on a pseudo-terminal where the transport has one, as Ansible's ssh connection runs
   * raw and script (`ssh -tt`): stderr merged into stdout, "\r\n" line ends, and stderr
   * holding ssh's closing message. Ignored with `stdin` (Ansible never uses a terminal to
   * send data) and by transports without terminals (local).
   */
  pty?: boolean | undefined;
  /**
   * The command is the task's own (raw, script, command, shell): connection debug output
   * (-vvv) reports its outcome as Ansible's ssh connection reports a module run, only the
   * exit code when the task has no_log ('censored'). Unset for a module's internal steps.
   */
  report?: 'output' | 'censored' | undefined;
}

export interface RunResult {
  rc: number;
  stdout: string;
  stderr: string;
}

export type FileType = 'file' | 'directory' | 'link' | 'fifo' | 'socket' | 'block' | 'char';

/** What `stat` knows about a path (the shape Ansible's stat module builds on). */
export interface FileStat {
  path: string;
  type: FileType;
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  /** Seconds since the epoch, with fractions. */
  mtime: number;
  atime: number;
  ctime: number;
  inode: number;
  dev: number;
  nlink: number;
  /** For links: the target as written in the link. */
  linkTarget?: string | undefined;
  /** SHA-1 hex of the content, when asked for and the path is a regular file. */
  checksum?: string | undefined;
}

export interface FileOptions {
  become?: BecomeOptions | undefined;
}

export interface StatOptions extends FileOptions {
  /** Follow a final symlink (stat) rather than describe it (lstat). Default false. */
  follow?: boolean | undefined;
  /** Compute the SHA-1 checksum of a regular file. */
  checksum?: boolean | undefined;
}

export interface WriteOptions extends FileOptions {
  /** Permission bits for the new file; when unset an existing file keeps its mode, a new one gets 0644 & ~umask. */
  mode?: number | undefined;
  owner?: string | undefined;
  group?: string | undefined;
}

export interface MkdirOptions extends FileOptions {
  mode?: number | undefined;
}

export interface Connection {
  /** 'local' or 'ssh'. */
  readonly transport: string;
  /** The inventory name of the host this connection reaches. */
  readonly host: string;
  /** Open the transport (idempotent). Rejects with UnreachableError when the host cannot be reached. */
  connect(): Promise<void>;
  /**
   * Run a command. A string runs through the shell; an argv array runs the program
   * directly, every element passed through unchanged (never interpreted by a shell).
   */
  run(command: string | readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Describe a path; undefined when it does not exist. */
  stat(path: string, options?: StatOptions): Promise<FileStat | undefined>;
  readFile(path: string, options?: FileOptions): Promise<Buffer>;
  /** Replace a file atomically (temporary file in the same directory, then rename). */
  writeFile(path: string, data: string | Buffer, options?: WriteOptions): Promise<void>;
  /** SHA-1 hex digest of a regular file (Ansible's checksum), undefined when missing. */
  checksum(path: string, options?: FileOptions): Promise<string | undefined>;
  /** mkdir -p. */
  mkdirs(path: string, options?: MkdirOptions): Promise<void>;
  /** Release the transport. Safe to call more than once. */
  close(): Promise<void>;
}

/** The host could not be reached: the task result is UNREACHABLE, not FAILED. */
export class UnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnreachableError';
  }
}

/**
 * Privilege escalation failed (wrong or missing password...). A user error, not a module
 * failure: the whole task (loop included) fails with this message alone, as Ansible's
 * AnsibleError from a connection plugin does.
 */
export class BecomeError extends TsplayError {
  constructor(message: string) {
    super(message);
    this.name = 'BecomeError';
  }
}

/** A command ran longer than its timeoutMs and was killed. */
export class CommandTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`command timed out after ${timeoutMs} ms`);
    this.name = 'CommandTimeoutError';
  }
}
