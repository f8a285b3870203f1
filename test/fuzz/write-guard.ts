// Records every filesystem change made through node:fs in this process (sync, callback
// and promise APIs) whose path lies outside the allowed folders. Node's built-in ESM
// exports are re-synced after patching, so `import { writeFileSync } from 'node:fs'` in
// the code under test goes through the guard too. Child processes are not covered: the
// fuzz test checks their traces by listing folders before and after.
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { resolve, sep } from 'node:path';

/** (name, indexes of the path arguments it changes) */
const MUTATORS: [string, number[]][] = [
  ['writeFile', [0]],
  ['appendFile', [0]],
  ['mkdir', [0]],
  ['mkdtemp', [0]],
  ['rename', [0, 1]],
  ['copyFile', [1]],
  ['cp', [1]],
  ['rm', [0]],
  ['rmdir', [0]],
  ['unlink', [0]],
  ['symlink', [1]],
  ['link', [1]],
  ['chmod', [0]],
  ['chown', [0]],
  ['lchown', [0]],
  ['utimes', [0]],
  ['truncate', [0]],
];

const WRITE_FLAGS = /[wa+]/;

export class WriteGuard {
  readonly violations: string[] = [];
  private readonly restores: (() => void)[] = [];

  constructor(private readonly allowed: readonly string[]) {}

  private check(operation: string, target: unknown): void {
    if (typeof target === 'number') return; // a descriptor: its open() was checked
    let path: string;
    if (typeof target === 'string') path = target;
    else if (Buffer.isBuffer(target)) path = target.toString();
    else if (target instanceof URL) path = target.pathname;
    else return;
    const full = resolve(path);
    if (full === '/dev/null' || this.allowed.some((root) => full === root || full.startsWith(root + sep))) return;
    this.violations.push(`${operation} ${full}`);
  }

  private patch(target: Record<string, unknown>, name: string, checkArgs: (args: unknown[]) => void): void {
    const original = target[name];
    if (typeof original !== 'function') return;
    const guard = function (this: unknown, ...args: unknown[]) {
      checkArgs(args);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    target[name] = guard;
    this.restores.push(() => (target[name] = original));
  }

  install(): void {
    const fsApi = fs as unknown as Record<string, unknown>;
    const promiseApi = fsPromises as unknown as Record<string, unknown>;
    for (const [name, indexes] of MUTATORS) {
      const checkArgs = (label: string) => (args: unknown[]) => indexes.forEach((i) => this.check(label, args[i]));
      this.patch(fsApi, name, checkArgs(name));
      this.patch(fsApi, `${name}Sync`, checkArgs(`${name}Sync`));
      this.patch(promiseApi, name, checkArgs(`promises.${name}`));
    }
    const checkOpen = (label: string) => (args: unknown[]) => {
      const flags = args[1];
      if (typeof flags === 'string' && WRITE_FLAGS.test(flags)) this.check(label, args[0]);
      if (typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0) this.check(label, args[0]);
    };
    this.patch(fsApi, 'open', checkOpen('open'));
    this.patch(fsApi, 'openSync', checkOpen('openSync'));
    this.patch(promiseApi, 'open', checkOpen('promises.open'));
    this.patch(fsApi, 'createWriteStream', (args) => this.check('createWriteStream', args[0]));
    syncBuiltinESMExports();
  }

  uninstall(): void {
    for (const restore of this.restores.splice(0).reverse()) restore();
    syncBuiltinESMExports();
  }
}
