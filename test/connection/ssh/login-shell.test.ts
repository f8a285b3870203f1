// A login user whose shell is not a POSIX one (tcsh): sshd hands it the worker's start
// command, which must therefore be one command that starts /bin/sh, as Ansible's are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshConnection } from '../../../src/connection/ssh/index.js';
import type { SshConnection } from '../../../src/connection/ssh/ssh-connection.js';
import { NOPASSWD_USER, SshLab, type Host } from '../../harness/index.js';

const lab = SshLab.create();
let host: Host;
let conn: SshConnection;

beforeAll(async () => {
  host = await lab.startHost();
  lab.trust();
  const changed = await host.exec(['chsh', '-s', '/usr/bin/tcsh', NOPASSWD_USER]);
  if (changed.rc !== 0) throw new Error(`chsh failed (is tcsh installed? see .ci/debian-packages): ${changed.stderr}`);
  conn = createSshConnection(host.hostname, lab.settings(host, { ansible_user: NOPASSWD_USER }));
});

afterAll(async () => {
  await conn?.close();
  await lab.stop();
});

describe('a tcsh login shell', () => {
  it('runs commands, file operations and become through /bin/sh', async () => {
    expect(await conn.run('echo "$0 $(id -un)"; getent passwd "$(id -un)" | cut -d: -f7')).toEqual({ rc: 0, stdout: `/bin/sh ${NOPASSWD_USER}\n/usr/bin/tcsh\n`, stderr: '' });
    await conn.writeFile('/tmp/tcsh-user.txt', 'x\n', { mode: 0o640 });
    expect(await conn.stat('/tmp/tcsh-user.txt')).toMatchObject({ owner: NOPASSWD_USER, mode: 0o640, size: 2 });
    const become = { method: 'sudo', user: 'root' };
    expect((await conn.run('id -un', { become })).stdout).toBe('root\n');
    // The worker's file helper is there for both (its shell's parent is perl).
    const parent = 'ps -o comm= -p "$(ps -o ppid= -p "$PPID" | tr -d " ")"';
    expect((await conn.run(parent)).stdout).toBe('perl\n');
    expect((await conn.run(parent, { become })).stdout).toBe('perl\n');
  });
});
