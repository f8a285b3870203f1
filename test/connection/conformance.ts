// The behaviour every Connection must have, run against each transport (local and
// SSH): modules rely on it and must not be able to tell the transports apart.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BecomeOptions, Connection } from '../../src/connection/connection.js';
import { CommandTimeoutError } from '../../src/connection/connection.js';

export interface InspectResult {
  rc: number;
  stdout: string;
  stderr: string;
}

export interface ConformanceTarget {
  conn: Connection;
  /** A scratch directory on the target that every user may write to. */
  dir: string;
  /** The user commands run as without become. */
  loginUser: string;
  /** How to act as root (undefined when the login user is root). */
  rootBecome: BecomeOptions | undefined;
  /** Another user and how to become it. */
  other: { user: string; become: BecomeOptions };
  /** Runs a command on the target as root, bypassing the connection (to check results). */
  inspect(command: string): Promise<InspectResult>;
}

export const HOSTILE_NAMES = [
  'with space',
  "it's",
  'dq"uote',
  '$(touch pwned)',
  '`touch pwned2`',
  'new\nline',
  '-leading-dash',
  '--',
  'semi;colon&amp|pipe',
  'star*?[x]',
  'back\\slash',
  'ünïcødé ✓',
  ' lead and trail ',
  '.hidden',
];

const sha1 = (data: Buffer | string) => createHash('sha1').update(data).digest('hex');
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

export function describeConformance(name: string, target: () => ConformanceTarget): void {
  describe(`${name} conformance`, () => {
    const t = () => target();
    const path = (leaf: string) => `${t().dir}/${leaf}`;

    describe('run', () => {
      it('separates rc, stdout and stderr of a shell string', async () => {
        expect(await t().conn.run('echo $((1+2)); printf err >&2; exit 3')).toEqual({ rc: 3, stdout: '3\n', stderr: 'err' });
      });

      it('passes argv elements through untouched, never to a shell', async () => {
        const args = ['$(id)', "'a b'", '`x`', 'new\nline', '*', '-n', '', '; rm -rf /', '\\'];
        const r = await t().conn.run(['printf', '[%s]', ...args]);
        expect(r).toEqual({ rc: 0, stdout: args.map((a) => `[${a}]`).join(''), stderr: '' });
      });

      it('reports a missing program as rc 127', async () => {
        const r = await t().conn.run(['/no/such/program', 'x']);
        expect(r.rc).toBe(127);
        expect(r.stderr).toMatch(/no\/such\/program/);
      });

      it('feeds stdin, text and binary, and returns binary-safe output', async () => {
        expect((await t().conn.run('cat', { stdin: 'no newline' })).stdout).toBe('no newline');
        const r = await t().conn.run('od -An -tx1 | tr -d " \\n"', { stdin: ALL_BYTES });
        expect(r.stdout).toBe(ALL_BYTES.toString('hex'));
        expect((await t().conn.run('wc -c', { stdin: '' })).stdout.trim()).toBe('0');
      });

      it('carries a large stdin and a large stdout', async () => {
        const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'abc\n\0\xff');
        const r = await t().conn.run('sha1sum', { stdin: big });
        expect(r.stdout.slice(0, 40)).toBe(sha1(big));
        const out = await t().conn.run('head -c 2000000 /dev/zero | tr "\\0" x');
        expect(out.stdout.length).toBe(2_000_000);
      });

      it('sets environment variables and the working directory', async () => {
        const env = { TSPLAY_A: "sp ace 'q' \"dq\" $(x) `y`", TSPLAY_B: 'line1\nline2', TSPLAY_EMPTY: '' };
        const r = await t().conn.run('printf "%s|%s|%s|" "$TSPLAY_A" "$TSPLAY_B" "${TSPLAY_EMPTY-unset}"; pwd', { env, cwd: t().dir });
        expect(r.stdout).toBe(`${env.TSPLAY_A}|${env.TSPLAY_B}||${t().dir}\n`);
        const argv = await t().conn.run(['sh', '-c', 'printf %s "$TSPLAY_A"'], { env });
        expect(argv.stdout).toBe(env.TSPLAY_A);
      });

      it('fails with rc 1 when the working directory does not exist', async () => {
        const r = await t().conn.run('echo should-not-run', { cwd: path('no-such-dir') });
        expect(r.rc).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/cannot change directory/);
      });

      it('runs a string through another executable', async () => {
        const r = await t().conn.run('echo "$BASH_VERSION" | cut -c1', { executable: '/bin/bash' });
        expect(r.stdout).toMatch(/^\d\n$/);
      });

      it('kills a command at its timeout', async () => {
        const marker = `${Math.floor(Math.random() * 1e9)}`;
        const started = Date.now();
        await expect(t().conn.run(`sleep 30; echo ${marker}`, { timeoutMs: 300 })).rejects.toBeInstanceOf(CommandTimeoutError);
        expect(Date.now() - started).toBeLessThan(5000);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const left = await t().inspect(`ps -eo args | grep -v grep | grep -c "echo ${marker}" || true`);
        expect(left.stdout.trim()).toBe('0');
        // The connection is still usable afterwards.
        expect((await t().conn.run('echo after')).stdout).toBe('after\n');
      });

      it('runs several commands at once', async () => {
        const results = await Promise.all(Array.from({ length: 12 }, (_, i) => t().conn.run(`sleep 0.2; echo ${i}; echo e${i} >&2; exit ${i}`)));
        results.forEach((r, i) => expect(r).toEqual({ rc: i, stdout: `${i}\n`, stderr: `e${i}\n` }));
      });

      it('becomes another user, with env, cwd and stdin', async () => {
        const { user, become } = t().other;
        expect((await t().conn.run('id -un')).stdout.trim()).toBe(t().loginUser);
        const r = await t().conn.run('id -un; pwd; echo "$X"; cat', { become, env: { X: 'x y' }, cwd: '/', stdin: 'in' });
        expect(r).toEqual({ rc: 0, stdout: `${user}\n/\nx y\nin`, stderr: '' });
        expect((await t().conn.run(['id', '-un'], { become })).stdout.trim()).toBe(user);
      });
    });

    describe('files', () => {
      it('writes atomically with the default mode, keeps an existing mode, and leaves no temporary file', async () => {
        const file = path('atomic.txt');
        await t().conn.writeFile(file, 'one');
        expect((await t().conn.stat(file))?.mode).toBe(0o644);
        await t().conn.writeFile(file, 'two', { mode: 0o600 });
        await t().conn.writeFile(file, 'three');
        const st = await t().conn.stat(file, { checksum: true });
        expect(st).toMatchObject({ type: 'file', mode: 0o600, size: 5, checksum: sha1('three') });
        const listing = await t().inspect(`ls -a ${JSON.stringify(t().dir)} | grep -c tmp || true`);
        expect(listing.stdout.trim()).toBe('0');
      });

      it('round-trips every byte value and an empty file', async () => {
        const file = path('bytes.bin');
        await t().conn.writeFile(file, ALL_BYTES);
        expect((await t().conn.readFile(file)).equals(ALL_BYTES)).toBe(true);
        expect(await t().conn.checksum(file)).toBe(sha1(ALL_BYTES));
        await t().conn.writeFile(path('empty'), '');
        expect((await t().conn.readFile(path('empty'))).length).toBe(0);
        expect((await t().conn.stat(path('empty')))?.size).toBe(0);
      });

      it('sets the mode, owner and group of a written file', async () => {
        const file = path('owned.txt');
        await t().conn.writeFile(file, 'x', { mode: 0o4750, owner: 'nobody', group: 'nogroup', become: t().rootBecome });
        expect(await t().conn.stat(file)).toMatchObject({ mode: 0o4750, owner: 'nobody', group: 'nogroup' });
        const inspected = await t().inspect(`stat -c '%a %U %G' ${JSON.stringify(file)}`);
        expect(inspected.stdout.trim()).toBe('4750 nobody nogroup');
        // Replacing keeps owner and group.
        await t().conn.writeFile(file, 'y', { become: t().rootBecome });
        expect(await t().conn.stat(file)).toMatchObject({ owner: 'nobody', group: 'nogroup' });
      });

      it('writes and reads as the become user', async () => {
        const { user, become } = t().other;
        const file = path('as-other.bin');
        await t().conn.writeFile(file, ALL_BYTES, { become });
        expect(await t().conn.stat(file, { become, checksum: true })).toMatchObject({ owner: user, size: 256, checksum: sha1(ALL_BYTES) });
        expect((await t().conn.readFile(file, { become })).equals(ALL_BYTES)).toBe(true);
        await t().conn.mkdirs(path('other/a/b'), { become, mode: 0o750 });
        expect(await t().conn.stat(path('other/a/b'), { become })).toMatchObject({ type: 'directory', owner: user, mode: 0o750 });
      });

      it('stats directories, links, fifos and missing paths', async () => {
        await t().inspect(`cd ${JSON.stringify(t().dir)} && echo -n abc > s.txt && ln -sf s.txt link && ln -sf nowhere dangling && mkfifo fifo && mkdir -p d`);
        expect(await t().conn.stat(path('s.txt'), { checksum: true })).toMatchObject({ type: 'file', size: 3, checksum: sha1('abc') });
        const link = await t().conn.stat(path('link'), { checksum: true });
        expect(link).toMatchObject({ type: 'link', linkTarget: 's.txt' });
        expect(link?.checksum).toBeUndefined();
        expect(await t().conn.stat(path('link'), { follow: true, checksum: true })).toMatchObject({ type: 'file', size: 3, checksum: sha1('abc') });
        expect(await t().conn.stat(path('dangling'))).toMatchObject({ type: 'link', linkTarget: 'nowhere' });
        expect(await t().conn.stat(path('dangling'), { follow: true })).toBeUndefined();
        expect(await t().conn.stat(path('fifo'))).toMatchObject({ type: 'fifo' });
        const directory = await t().conn.stat(path('d'), { checksum: true });
        expect(directory?.type).toBe('directory');
        expect(directory?.checksum).toBeUndefined();
        expect(await t().conn.stat(path('missing'))).toBeUndefined();
        expect(await t().conn.stat(path('s.txt/below'))).toBeUndefined();
        expect(await t().conn.checksum(path('missing'))).toBeUndefined();
        await expect(t().conn.readFile(path('missing'))).rejects.toThrow();
      });

      it('reports times, ids and sizes as the target sees them', async () => {
        await t().inspect(`cd ${JSON.stringify(t().dir)} && printf 12345 > times && touch -d '2001-02-03 04:05:06.5 UTC' times && chown nobody times`);
        const st = await t().conn.stat(path('times'));
        expect(st).toMatchObject({ size: 5, owner: 'nobody', nlink: 1 });
        expect(st!.mtime).toBeCloseTo(981173106.5, 2);
        const ids = await t().inspect(`stat -c '%u %g %i' ${JSON.stringify(path('times'))}`);
        expect(`${st!.uid} ${st!.gid} ${st!.inode}`).toBe(ids.stdout.trim());
      });

      it('makes nested directories, every new one with exactly the mode', async () => {
        await t().conn.mkdirs(path('m/n/o'), { mode: 0o777 });
        for (const dir of ['m', 'm/n', 'm/n/o']) expect((await t().conn.stat(path(dir)))?.mode).toBe(0o777);
        await t().conn.mkdirs(path('m/n/o'));
        await t().conn.mkdirs(path('plain/x/'));
        expect((await t().conn.stat(path('plain/x')))?.type).toBe('directory');
        await t().inspect(`touch ${JSON.stringify(path('afile'))}`);
        await expect(t().conn.mkdirs(path('afile/sub'))).rejects.toThrow();
      });

      it('handles hostile file names', async () => {
        for (const [i, leaf] of HOSTILE_NAMES.entries()) {
          const dir = path(`h${i}-${leaf}`);
          const file = `${dir}/${leaf}`;
          await t().conn.mkdirs(dir, { mode: 0o755 });
          await t().conn.writeFile(file, `content ${i}`, { mode: 0o640 });
          expect((await t().conn.readFile(file)).toString()).toBe(`content ${i}`);
          expect(await t().conn.stat(file, { checksum: true })).toMatchObject({ type: 'file', mode: 0o640, checksum: sha1(`content ${i}`) });
          expect(await t().conn.checksum(file)).toBe(sha1(`content ${i}`));
          const r = await t().conn.run(['cat', '--', file]);
          expect(r.stdout).toBe(`content ${i}`);
        }
        const pwned = await t().inspect(`find / -xdev -maxdepth 3 -name 'pwned*' 2>/dev/null | wc -l`);
        expect(pwned.stdout.trim()).toBe('0');
        const leftover = await t().inspect(`find ${JSON.stringify(t().dir)} -name '.tsplay.*' -o -name '*.tmp' | wc -l`);
        expect(leftover.stdout.trim()).toBe('0');
      });
    });
  });
}
