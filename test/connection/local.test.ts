import { mkdtempSync, readFileSync, statSync, writeFileSync, symlinkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalConnection } from '../../src/connection/local.js';

const conn = new LocalConnection('localhost');
const dir = mkdtempSync(join(tmpdir(), 'tsplay-local-'));
chmodSync(dir, 0o777);

describe('LocalConnection', () => {
  it('runs shell strings and argv without a shell', async () => {
    expect(await conn.run('echo $((1+2)); echo err >&2; exit 3')).toEqual({ rc: 3, stdout: '3\n', stderr: 'err\n' });
    const r = await conn.run(['echo', '$(id)', "'a b'"]);
    expect(r.stdout).toBe("$(id) 'a b'\n");
    expect((await conn.run('cat', { stdin: 'in' })).stdout).toBe('in');
    expect((await conn.run('pwd', { cwd: dir })).stdout.trim()).toBe(dir);
    expect((await conn.run(['/no/such/thing'])).rc).toBe(127);
  });

  it('writes atomically, keeping the mode of an existing file', async () => {
    const path = join(dir, 'f.txt');
    await conn.writeFile(path, 'one', { mode: 0o640 });
    expect(readFileSync(path, 'utf8')).toBe('one');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    await conn.writeFile(path, 'two');
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(await conn.checksum(path)).toBe('ad782ecdac770fc6eb9a62e44f90873fb97fb26b');
    expect(await conn.checksum(join(dir, 'missing'))).toBeUndefined();
  });

  it('stats files, links and missing paths', async () => {
    const path = join(dir, 's.txt');
    writeFileSync(path, 'abc');
    symlinkSync(path, join(dir, 'link'));
    const st = await conn.stat(path, { checksum: true });
    expect(st).toMatchObject({ type: 'file', size: 3, owner: 'root', checksum: 'a9993e364706816aba3e25717850c26c9cd0d89d' });
    expect(await conn.stat(join(dir, 'link'))).toMatchObject({ type: 'link', linkTarget: path });
    expect(await conn.stat(join(dir, 'link'), { follow: true })).toMatchObject({ type: 'file' });
    expect(await conn.stat(join(dir, 'nope'))).toBeUndefined();
  });

  it('becomes another user through sudo for commands and files', async () => {
    const become = { method: 'sudo', user: 'nobody' };
    expect((await conn.run('id -un', { become })).stdout.trim()).toBe('nobody');
    const path = join(dir, 'as-nobody.txt');
    await conn.writeFile(path, Buffer.from([0, 1, 2, 255]), { become });
    const st = await conn.stat(path, { become, checksum: true });
    expect(st).toMatchObject({ owner: 'nobody', size: 4, type: 'file' });
    expect([...(await conn.readFile(path, { become }))]).toEqual([0, 1, 2, 255]);
    await conn.mkdirs(join(dir, 'a/b/c'), { become, mode: 0o750 });
    expect(statSync(join(dir, 'a/b/c')).mode & 0o777).toBe(0o750);
  });
});
