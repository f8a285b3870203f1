// Temporary files on the controller (content to copy, rendered templates), made where
// Ansible makes them (~/.ansible/tmp/ansible-local-*/tmp*): their paths show in diff
// headers and results, and keep the same shape as Ansible's.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

let processDir: string | undefined;

const TEMP_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_';

/** tmp + eight characters from Python's tempfile alphabet. */
const pythonTempName = () => `tmp${[...randomBytes(8)].map((b) => TEMP_CHARS[b % TEMP_CHARS.length]).join('')}`;

function localTmp(): string {
  if (!processDir) {
    processDir = join(homedir(), '.ansible', 'tmp', `ansible-local-${process.pid}${randomBytes(4).toString('hex')}`);
    mkdirSync(processDir, { recursive: true, mode: 0o700 });
    process.once('exit', () => rmSync(processDir!, { recursive: true, force: true }));
  }
  return processDir;
}

/**
 * A fresh name in the controller's temporary directory, as Python's mkstemp/mkdtemp name
 * them, for content the actions hand over in memory: it shows in results and diff headers
 * where Ansible's temporary file's name shows, without a file being written and read back.
 */
export function localTempName(): string {
  return join(localTmp(), pythonTempName());
}

/** Runs `fn` with a fresh private directory (named as Python's mkdtemp names them), removed afterwards. */
export async function withLocalTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(localTmp(), pythonTempName());
  mkdirSync(dir, { mode: 0o700 });
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


/** Runs `fn` with the path of a private file holding `data` (named as Python's mkstemp names them), removed afterwards. */
export async function withLocalTempFile<T>(data: string | Buffer, fn: (path: string) => Promise<T>): Promise<T> {
  const path = join(localTmp(), pythonTempName());
  writeFileSync(path, data, { mode: 0o600, flag: 'wx' });
  try {
    return await fn(path);
  } finally {
    rmSync(path, { force: true });
  }
}
