// The one-script description of paths answers what the connection's own stat, checksum
// and realpath answer, path by path: real files on this machine, /bin/sh running both.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ShellFileOps } from '../../../../src/connection/shell-file-ops.js';
import { DESCRIBE_SCRIPT, describeArgs, mergeRequests, parseDescriptions, type DescribeRequest } from '../../../../src/modules/core/files/describe-paths.js';
import { KnownPaths } from '../../../../src/modules/core/files/known-paths.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-describe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shellOps = new ShellFileOps(async (script, args, options) => {
  const result = spawnSync('/bin/sh', ['-c', script, 'sh', ...args], { input: options.stdin });
  return { rc: result.status ?? -1, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
});

function describePaths(requests: DescribeRequest[]) {
  const result = spawnSync('/bin/sh', ['-c', DESCRIBE_SCRIPT, 'sh', ...describeArgs(requests)]);
  expect(result.status).toBe(0);
  return parseDescriptions(result.stdout.toString('utf8'), requests);
}

/** Reading a file for its checksum may move its access time (relatime): not what is compared. */
function withoutAtime<T>(stat: T): T {
  if (!stat || typeof stat !== 'object') return stat;
  const { atime: _atime, ...rest } = stat as Record<string, unknown>;
  return rest as T;
}

function realPath(path: string): string {
  return execFileSync('realpath', ['-m', '--', path]).toString('utf8').replace(/\n$/, '');
}

describe('describing paths in one script', () => {
  writeFileSync(join(dir, 'file'), 'content\n');
  mkdirSync(join(dir, 'dir'));
  symlinkSync('file', join(dir, 'link'));
  symlinkSync('link', join(dir, 'chain'));
  symlinkSync('dir', join(dir, 'dirlink'));
  symlinkSync('nowhere', join(dir, 'dangling'));
  writeFileSync(join(dir, 'name with\nnewline and \\ backslash'), 'odd\n');
  symlinkSync('name with\nnewline and \\ backslash', join(dir, 'odd link\n'));
  // Link targets come from stat's %N ("PATH -> TARGET"): arrows, newlines and bytes that are not UTF-8 in either.
  symlinkSync(Buffer.from('x -> y\n\xff\x01 -> \n', 'latin1'), join(dir, 'arrow -> link\n'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  const names = ['file', 'dir', 'link', 'chain', 'dirlink', 'dangling', 'missing', 'file/below', 'name with\nnewline and \\ backslash', 'odd link\n', 'arrow -> link\n', 'fifo'];

  it('gives the lstat, stat, link target, realpath and checksum ShellFileOps gives', async () => {
    const requests = names.map((name) => ({ path: join(dir, name), checksum: true }));
    const descriptions = describePaths(requests);
    expect(descriptions.map((d) => d.path)).toEqual(requests.map((r) => r.path));
    for (const description of descriptions) {
      const { path } = description;
      expect(withoutAtime(description.own ?? undefined), `own ${path}`).toEqual(withoutAtime(await shellOps.stat(path, { checksum: true })));
      expect(withoutAtime(description.followed ?? undefined), `followed ${path}`).toEqual(withoutAtime(await shellOps.stat(path, { follow: true, checksum: true })));
      expect(description.checksummed, path).toBe(true);
      if (description.own?.type === 'link') {
        expect(description.own.linkTarget, path).toBe(readlinkSync(path, 'buffer').toString('utf8'));
        expect(description.realPath, path).toBe(realPath(path));
        expect(withoutAtime(description.realFollowed ?? undefined), `real ${path}`).toEqual(withoutAtime(await shellOps.stat(realPath(path), { follow: true })));
      }
    }
  });

  it('gives the access flags test(1) gives, and nothing it could not learn', () => {
    const [file, missing] = describePaths([{ path: join(dir, 'file'), checksum: false }, { path: join(dir, 'missing'), checksum: false }]);
    expect(file!.access).toBe('rw');
    expect(file!.checksummed).toBe(false);
    expect(file!.own?.checksum).toBeUndefined();
    expect(missing).toMatchObject({ own: null, followed: null, access: '' });
    // Existence alone, as test -e (os.path.exists) says: links followed.
    const light = describePaths(['dir', 'dangling', 'missing', 'link'].map((name) => ({ path: join(dir, name), existence: true })));
    expect(light.map((d) => [d.exists, d.access, d.own, d.followed])).toEqual([
      [true, 'rwx', undefined, undefined],
      [false, '', undefined, undefined],
      [false, '', undefined, undefined],
      [true, 'rw', undefined, undefined],
    ]);
    // The own stat alone: for a link whether it leads somewhere instead of its followed stat and realpath.
    const own = describePaths(['file', 'link', 'dangling', 'missing'].map((name) => ({ path: join(dir, name), ownOnly: true })));
    expect(own.map((d) => [d.own?.type ?? d.own, d.own?.linkTarget, d.followed?.type ?? d.followed, d.exists, d.realPath])).toEqual([
      ['file', undefined, 'file', undefined, undefined],
      ['link', 'file', undefined, true, undefined],
      ['link', 'nowhere', undefined, false, undefined],
      [null, undefined, null, false, undefined],
    ]);
    const known = new KnownPaths();
    for (const description of own) known.record(description);
    expect(known.stat(join(dir, 'link'), true, false)).toBeUndefined();
    expect([known.exists(join(dir, 'link')), known.exists(join(dir, 'dangling')), known.exists(join(dir, 'file'))]).toEqual([true, false, true]);
    // Not a "missing" error: unknown, so the module's own question meets the error.
    const [loop] = describePaths([{ path: join(dir, 'loop/x'), checksum: false }]);
    symlinkSync('loop', join(dir, 'loop'));
    const [looping] = describePaths([{ path: join(dir, 'loop/x'), checksum: false }]);
    expect(loop!.own).toBeNull();
    expect(looping!.own).toBeUndefined();
  });
});

describe('merging requests for one path', () => {
  it('asks for the fullest description any of them needs', () => {
    const path = '/p';
    expect(mergeRequests({ path, existence: true }, { path, ownOnly: true })).toMatchObject({ existence: false, ownOnly: true, checksum: false });
    expect(mergeRequests({ path, existence: true }, { path, existence: true })).toMatchObject({ existence: true, ownOnly: false });
    expect(mergeRequests({ path, ownOnly: true }, { path })).toMatchObject({ existence: false, ownOnly: false });
    expect(mergeRequests({ path, ownOnly: true }, { path, checksum: true })).toMatchObject({ ownOnly: false, checksum: true });
  });
});

describe('what a module run knows about paths', () => {
  const stat = (path: string, type: 'file' | 'link' | 'directory', checksum?: string) =>
    ({ path, type, mode: 0o644, uid: 0, gid: 0, owner: 'root', group: 'root', size: 1, mtime: 1, atime: 1, ctime: 1, inode: 1, dev: 1, nlink: 1, ...(checksum ? { checksum } : {}) }) as const;

  it('answers a followed stat from the path own stat unless it is a link', () => {
    const known = new KnownPaths();
    known.recordStat('/f', false, stat('/f', 'file'), false);
    known.recordStat('/l', false, stat('/l', 'link'), false);
    known.recordStat('/m', false, undefined, false);
    expect(known.stat('/f', true, false)).toEqual({ stat: stat('/f', 'file') });
    expect(known.stat('/l', true, false)).toBeUndefined();
    expect(known.stat('/m', true, true)).toEqual({ stat: undefined });
    expect(known.checksum('/m')).toEqual({ checksum: undefined });
    // A missing followed stat says nothing of the path itself (a dangling link).
    known.recordStat('/d', true, undefined, false);
    expect(known.stat('/d', false, false)).toBeUndefined();
  });

  it('knows a checksum only when it was read, and hands it out only when asked', () => {
    const known = new KnownPaths();
    known.recordStat('/f', false, stat('/f', 'file'), false);
    expect(known.stat('/f', false, true)).toBeUndefined();
    expect(known.checksum('/f')).toBeUndefined();
    known.recordStat('/f', false, stat('/f', 'file', 'ab'.repeat(20)), true);
    expect(known.stat('/f', false, true)?.stat?.checksum).toBe('ab'.repeat(20));
    expect(known.stat('/f', false, false)?.stat?.checksum).toBeUndefined();
    expect(known.checksum('/f')).toEqual({ checksum: 'ab'.repeat(20) });
    // A directory has no checksum to read: asking for one is answered.
    known.recordStat('/d', false, stat('/d', 'directory'), false);
    expect(known.stat('/d', true, true)).toEqual({ stat: stat('/d', 'directory') });
  });

  it('forgets everything at once, and hands out copies', () => {
    const known = new KnownPaths();
    known.recordStat('/f', false, stat('/f', 'file'), false);
    known.recordRealPath('/l', '/f');
    const version = known.version;
    known.stat('/f', false, false)!.stat!.mode = 0;
    expect(known.stat('/f', false, false)?.stat?.mode).toBe(0o644);
    known.forget();
    expect(known.version).not.toBe(version);
    expect(known.stat('/f', false, false)).toBeUndefined();
    expect(known.realPath('/l')).toBeUndefined();
  });
});
