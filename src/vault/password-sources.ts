// Where a vault password comes from besides a prompt: a password file (whitespace around
// it ignored; itself possibly vault encrypted), an executable script printing the password,
// or a `*-client` script that is asked for a given vault id and exits 2 when it has none.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, extname, resolve } from 'node:path';
import { expandUser } from '../config/paths.js';
import { isEncrypted } from './envelope.js';
import { VaultError } from './errors.js';
import { pyBytesRepr, pyOsError } from '../template/python/os-error.js';
import type { VaultSecret } from './secret.js';
import { VaultLib } from './vault-lib.js';

export interface PasswordSourceContext {
  cwd: string;
  home: string;
  /** Secrets loaded before this one: an encrypted password file is decrypted with them. */
  earlierSecrets: readonly VaultSecret[];
  verbose: (level: number, message: string) => void;
}

/** Python's bytes.strip() / strip(b'\r\n'). */
export function stripBytes(data: Buffer, chars: string): Buffer {
  const set = new Set([...chars].map((c) => c.charCodeAt(0)));
  let start = 0;
  let end = data.length;
  while (start < end && set.has(data[start]!)) start++;
  while (end > start && set.has(data[end - 1]!)) end--;
  return data.subarray(start, end);
}

/** What Python's bytes.strip() removes by default. */
export const WHITESPACE = ' \t\n\r\x0b\x0c';

/** Whether the file has an execute bit (Ansible runs such password files). */
export function isExecutable(path: string): boolean {
  try {
    return (statSync(path).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** A client script is named `<something>-client[.ext]`. */
export function isClientScript(filename: string): boolean {
  const name = basename(filename);
  return name.slice(0, name.length - extname(name).length).endsWith('-client');
}

/** The absolute, symlink-free path of a password file; missing files are an error. */
export function resolvePasswordFile(filename: string, context: PasswordSourceContext): string {
  const path = resolve(context.cwd, expandUser(filename, context.home));
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // os.path.realpath keeps the unresolvable rest of the path.
  }
  if (!existsSync(real)) throw new VaultError(`The vault password file ${real} was not found`);
  return real;
}

function signalExitCode(signal: NodeJS.Signals | null): number {
  return signal ? -(constants.signals[signal] ?? 0) : 0;
}

/**
 * Whether the kernel would execute the file itself. Node's spawn falls back to /bin/sh for
 * anything else (execvp does), which would run a plain password file as shell commands;
 * Python, and so Ansible, reports ENOEXEC instead.
 */
function isExecutableFormat(path: string): boolean {
  const head = Buffer.alloc(4);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const read = readSync(fd, head, 0, 4, 0);
    return head.subarray(0, Math.min(read, 2)).toString('latin1') === '#!' || (read === 4 && head.toString('latin1') === '\x7fELF');
  } catch {
    // Unreadable: let the spawn report why.
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function runScript(path: string, args: string[], captureStderr: boolean, cwd: string) {
  if (!isExecutableFormat(path)) {
    const err = Object.assign(new Error('Exec format error'), { code: 'ENOEXEC' });
    throw new VaultError(
      `Problem running vault password script ${path} (${pyOsError(err, path)}). If this is not a script, remove the executable bit from the file.`,
    );
  }
  const result = spawnSync(path, args, { cwd, stdio: ['inherit', 'pipe', captureStderr ? 'pipe' : 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new VaultError(
      `Problem running vault password script ${path} (${pyOsError(result.error, path)}). If this is not a script, remove the executable bit from the file.`,
    );
  }
  return { stdout: result.stdout, stderr: result.stderr ?? Buffer.alloc(0), code: result.status ?? signalExitCode(result.signal) };
}

function readPasswordFile(path: string, context: PasswordSourceContext): Buffer {
  let data: Buffer;
  try {
    data = stripBytes(readFileSync(path), WHITESPACE);
  } catch (err) {
    throw new VaultError(`Could not read vault password file ${path}: ${pyOsError(err, path)}`);
  }
  if (isEncrypted(data)) {
    if (context.earlierSecrets.length === 0) throw new VaultError('A vault password must be specified to decrypt data');
    data = new VaultLib(context.earlierSecrets).decryptBytes(data, path);
  }
  const password = stripBytes(data, '\r\n');
  if (password.length === 0) throw new VaultError(`Invalid vault password was provided from file (${path})`);
  return password;
}

function readPasswordScript(path: string, context: PasswordSourceContext): Buffer {
  const run = runScript(path, [], false, context.cwd);
  if (run.code !== 0) throw new VaultError(`Vault password script ${path} returned non-zero (${run.code}): None`);
  const password = stripBytes(run.stdout, '\r\n');
  if (password.length === 0) throw new VaultError(`Invalid vault password was provided from script (${path})`);
  return password;
}

function readPasswordClient(path: string, label: string | undefined, context: PasswordSourceContext): Buffer {
  const args = label ? ['--vault-id', label] : [];
  context.verbose(4, `Executing vault password client script: ${[path, ...args].join(' ')}`);
  const run = runScript(path, args, true, context.cwd);
  const shownId = label ?? 'None';
  if (run.code === 2) {
    throw new VaultError(`Vault password client script ${path} did not find a secret for vault-id=${shownId}: ${pyBytesRepr(run.stderr)}`);
  }
  if (run.code !== 0) {
    throw new VaultError(
      `Vault password client script ${path} returned non-zero (${run.code}) when getting secret for vault-id=${shownId}: ${pyBytesRepr(run.stderr)}`,
    );
  }
  const password = stripBytes(run.stdout, '\r\n');
  if (password.length === 0) throw new VaultError(`Invalid vault password was provided from script (${path})`);
  return password;
}

/**
 * The password held by a resolved password source `path`: an executable is run (a client
 * script with `--vault-id <label>`), anything else is read.
 */
export function loadPasswordSource(filename: string, path: string, label: string | undefined, context: PasswordSourceContext): Buffer {
  if (!isExecutable(path)) return readPasswordFile(path, context);
  if (isClientScript(filename)) {
    context.verbose(4, `The vault password file ${path} is a client script.`);
    return readPasswordClient(path, label, context);
  }
  return readPasswordScript(path, context);
}
