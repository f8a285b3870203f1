// How copy's host side writes a file in one script on a remote connection: the remote
// temporary directory Ansible would leave, and the modes the new file ends with, even
// where the shell's umask alone does not decide them (a default ACL on the directory).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyModule } from '../../../../src/modules/core/files/copy.js';
import { runModule, tempDir, testContext } from '../../helpers.js';
import { ScriptedConnection } from '../../scripted-connection.js';

const { dir, cleanup } = tempDir('tsplay-copy-remote-');
afterAll(cleanup);

const umask = parseInt(execFileSync('/bin/sh', ['-c', 'umask']).toString(), 8);
const permissions = (path: string) => statSync(path).mode & 0o7777;

async function copy(args: Record<string, unknown>, environment: Record<string, string> = {}) {
  const connection = new ScriptedConnection('localhost');
  const result = await runModule(copyModule, args, testContext({ connection, environment }));
  expect(result.failed, JSON.stringify(result)).toBeUndefined();
  return { result, commands: connection.commands };
}

// A default ACL (user::rwx, user:nobody:rwx, group::r-x, mask::rwx, other::rwx) in the kernel's
// xattr format, set with Python (no acl package needed): files created below get 0666 from it
// (0676 masked by the open mode), whatever the umask.
function setDefaultAcl(path: string): void {
  const entries = [
    [0x01, 7, 0xffffffff],
    [0x02, 7, 65534],
    [0x04, 5, 0xffffffff],
    [0x10, 7, 0xffffffff],
    [0x20, 7, 0xffffffff],
  ];
  const hex = Buffer.concat([
    Buffer.from([2, 0, 0, 0]),
    ...entries.map(([tag, perm, id]) => {
      const entry = Buffer.alloc(8);
      entry.writeUInt16LE(tag!, 0);
      entry.writeUInt16LE(perm!, 2);
      entry.writeUInt32LE(id!, 4);
      return entry;
    }),
  ]).toString('hex');
  execFileSync('python3', ['-c', 'import os, sys; os.setxattr(sys.argv[1], "system.posix_acl_default", bytes.fromhex(sys.argv[2]))', path, hex]);
}

describe('copy on a remote connection', () => {
  it('creates ~/.ansible/tmp as Ansible leaves it when it is missing, still in 2 commands', async () => {
    const home = join(dir, 'home');
    mkdirSync(home);
    const dest = join(dir, 'fresh-home.conf');
    const { result, commands } = await copy({ content: 'a = 1\n', dest, mode: '0640' }, { HOME: home });
    expect(result).toMatchObject({ changed: true, mode: '0640' });
    expect(String(result.src)).toMatch(new RegExp(`^${home}/\\.ansible/tmp/ansible-tmp-[^/]+/source$`));
    expect(commands).toBe(2);
    expect(readFileSync(dest, 'utf8')).toBe('a = 1\n');
    expect(permissions(dest)).toBe(0o640);
    expect(permissions(join(home, '.ansible'))).toBe(0o700);
    expect(permissions(join(home, '.ansible/tmp'))).toBe(0o700);
    expect(readdirSync(join(home, '.ansible/tmp'))).toEqual([]);
    expect(readdirSync(dir).filter((name) => name.startsWith('.tsplay'))).toEqual([]);
  });

  it('gives the mode asked for, whether the umask can give it or a chmod must', async () => {
    for (const mode of ['0600', '0444', '0755', '02640', '0000']) {
      const dest = join(dir, `mode-${mode}`);
      expect((await copy({ content: 'x\n', dest, mode })).result).toMatchObject({ changed: true, mode });
      expect(permissions(dest)).toBe(parseInt(mode, 8));
      // Replacing the content keeps the mode, and the owner the file had.
      expect((await copy({ content: 'y\n', dest, mode })).result).toMatchObject({ changed: true });
      expect(permissions(dest)).toBe(parseInt(mode, 8));
    }
  });

  it('gives a new file 0666 minus the umask, and a replaced one its old mode', async () => {
    const dest = join(dir, 'no-mode');
    await copy({ content: 'x\n', dest });
    expect(permissions(dest)).toBe(0o666 & ~umask);
    execFileSync('chmod', ['0604', dest]);
    await copy({ content: 'y\n', dest });
    expect(permissions(dest)).toBe(0o604);
  });

  it('sets the mode Ansible sets under a default ACL (one more command there)', async () => {
    const acl = join(dir, 'acl');
    mkdirSync(acl);
    setDefaultAcl(acl);
    // The ACL, not the umask, decides a created file's mode here.
    writeFileSync(join(acl, 'plain'), '');
    expect(permissions(join(acl, 'plain'))).toBe(0o666);
    const created = await copy({ content: 'x\n', dest: join(acl, 'new') });
    expect(created.result).toMatchObject({ changed: true, mode: (0o666 & ~umask).toString(8).padStart(4, '0') });
    expect(permissions(join(acl, 'new'))).toBe(0o666 & ~umask);
    expect(created.commands).toBe(3);
    const moded = await copy({ content: 'x\n', dest: join(acl, 'moded'), mode: '0640' });
    expect(moded.result).toMatchObject({ changed: true, mode: '0640' });
    expect(permissions(join(acl, 'moded'))).toBe(0o640);
  });
});
