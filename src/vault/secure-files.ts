// File handling for vault files and their plain text: files are created fresh with mode
// 0600 (never rewritten in place, where a reader could catch them half-written or with
// looser permissions), plain-text files are overwritten before they are removed, and the
// editor works on a file inside a private directory.
import {
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
  chmodSync,
  chownSync,
  copyFileSync,
  type Stats,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { VaultError } from './errors.js';
import { pyOsError } from '../template/python/os-error.js';

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** os.path.realpath: symlinks resolved as far as the path exists. */
export function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
  }
}

/** Overwrite a file's bytes with random data, then remove it. */
export function shredFile(path: string): void {
  if (!isFile(path)) return;
  try {
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    try {
      const chunk = 64 * 1024;
      for (let written = 0; written < size; written += chunk) writeSync(fd, randomBytes(Math.min(chunk, size - written)), 0, Math.min(chunk, size - written), written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Removing it is what matters; overwriting is best effort (e.g. a read-only file).
  }
  unlinkSync(path);
}

/** Replace `path` with a new 0600 file holding `data`; the old file is shredded first if asked. */
export function writeSecurely(path: string, data: Buffer | string, shred: boolean): void {
  if (isFile(path)) {
    if (shred) shredFile(path);
    else unlinkSync(path);
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new VaultError(`Vault file got recreated while we were operating on it: ${pyOsError(err, path)}`);
    }
    throw new VaultError(`Problem creating temporary vault file: ${pyOsError(err, path)}`);
  }
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
  } catch (err) {
    throw new VaultError(`Unable to write to temporary vault file: ${pyOsError(err)}`);
  } finally {
    closeSync(fd);
  }
}

/** Restore a file's previous mode and owner (a rewrite creates it 0600, owned by us). */
export function restoreOwnership(path: string, previous: Stats): void {
  chmodSync(path, previous.mode & 0o7777);
  try {
    chownSync(path, previous.uid, previous.gid);
  } catch {
    // Giving a file to another user needs root; the mode is what protects it.
  }
}

/** Move `source` over `dest`, keeping dest's mode and owner when it existed. */
export function shuffleInto(source: string, dest: string): void {
  let previous: Stats | undefined;
  if (isFile(dest)) {
    previous = statSync(dest);
    unlinkSync(dest);
  }
  try {
    renameSync(source, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(source, dest);
    unlinkSync(source);
  }
  if (previous) restoreOwnership(dest, previous);
}

export interface PrivateTempFile {
  path: string;
  /** Shred the file and remove its directory. */
  dispose(): void;
}

/** An empty 0600 file with `extension` in a fresh 0700 directory under `baseDir`. */
export function privateTempFile(baseDir: string, extension: string): PrivateTempFile {
  mkdirSync(baseDir, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(baseDir, 'tsplay-vault-'));
  const path = join(dir, `edit${extension}`);
  closeSync(openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600));
  return {
    path,
    dispose() {
      shredFile(path);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
