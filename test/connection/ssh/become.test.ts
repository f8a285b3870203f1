// Privilege escalation over SSH on a real host: sudo with and without a password, su,
// become_flags, Ansible's failure messages, and the password kept out of process
// lists and output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BecomeError } from '../../../src/connection/connection.js';
import { createSshConnection } from '../../../src/connection/ssh/index.js';
import type { SshConnection } from '../../../src/connection/ssh/ssh-connection.js';
import { DEPLOY_PASSWORD, DEPLOY_USER, NOPASSWD_USER, SshLab, type Host } from '../../harness/index.js';

const ROOT_PASSWORD = 'root pw "with" $quotes';
const lab = SshLab.create();
let host: Host;
const open: SshConnection[] = [];

function connect(user: string): SshConnection {
  const conn = createSshConnection(host.hostname, lab.settings(host, { ansible_user: user }));
  open.push(conn);
  return conn;
}

beforeAll(async () => {
  host = await lab.startHost({ rootPassword: ROOT_PASSWORD });
  lab.trust();
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await lab.stop();
});

describe('become over SSH', () => {
  it('sudo with a password: runs as root, and the password is in no process list and no output', async () => {
    const conn = connect(DEPLOY_USER);
    const become = { method: 'sudo', user: 'root', password: DEPLOY_PASSWORD };
    const running = conn.run('id -un; sleep 1; echo done', { become });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ps = await host.exec('ps -eo args; cat /proc/[0-9]*/environ 2>/dev/null | tr "\\0" "\\n"');
    expect(ps.stdout).toContain('sleep 1');
    expect(ps.stdout).not.toContain(DEPLOY_PASSWORD);
    expect(ps.stdout).not.toContain('s3cret');
    const result = await running;
    expect(result).toEqual({ rc: 0, stdout: 'root\ndone\n', stderr: '' });
    // The next become commands reuse the escalated worker, a shell whose parent is its file
    // helper (perl), started by one long-lived sudo: no new sudo, no new password check per command.
    const parents = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const r = await conn.run('h=$(ps -o ppid= -p "$PPID" | tr -d " "); echo "$(id -u) $PPID $(ps -o comm= -p "$h") $(ps -o comm= -p "$(ps -o ppid= -p "$h" | tr -d " ")")"', { become });
      parents.add(r.stdout);
    }
    expect(parents.size).toBe(1);
    expect([...parents][0]).toMatch(/^0 \d+ perl sudo\n$/);
    expect(JSON.stringify(await conn.run('cat /etc/shadow >/dev/null; echo $?', { become }))).not.toContain(DEPLOY_PASSWORD);
  });

  it('fails with "Incorrect sudo password" and "Missing sudo password", as Ansible words them', async () => {
    const conn = connect(DEPLOY_USER);
    await expect(conn.run('id', { become: { method: 'sudo', user: 'root', password: 'wrong' } })).rejects.toThrow(new BecomeError('Incorrect sudo password'));
    await expect(conn.run('id', { become: { method: 'sudo', user: 'root' } })).rejects.toThrow(new BecomeError('Missing sudo password'));
    // The connection itself is fine.
    expect((await conn.run('id -un')).stdout).toBe(`${DEPLOY_USER}\n`);
  });

  it('sudo without a password (NOPASSWD): a given password is never sent, so it cannot leak into the command', async () => {
    const conn = connect(NOPASSWD_USER);
    const r = await conn.run('id -un; cat', { become: { method: 'sudo', user: 'root', password: 'not-needed' }, stdin: 'input' });
    expect(r).toEqual({ rc: 0, stdout: 'root\ninput', stderr: '' });
    expect((await conn.run('id -un', { become: { method: 'sudo', user: 'nobody' } })).stdout).toBe('nobody\n');
  });

  it('su with the target user\'s password, and its failure message', async () => {
    const conn = connect(DEPLOY_USER);
    const r = await conn.run('id -un; echo "$HOME"', { become: { method: 'su', user: 'root', password: ROOT_PASSWORD } });
    expect(r).toEqual({ rc: 0, stdout: 'root\n/root\n', stderr: '' });
    await expect(conn.run('id', { become: { method: 'su', user: 'root', password: 'nope' } })).rejects.toThrow(new BecomeError('Incorrect su password'));
  });

  it('passes become_flags and become_exe through', async () => {
    const conn = connect(NOPASSWD_USER);
    const login = await conn.run('echo "$HOME"; pwd', { become: { method: 'sudo', user: DEPLOY_USER, flags: '-n -i' }, cwd: '/tmp' });
    expect(login.stdout).toBe(`/home/${DEPLOY_USER}\n/tmp\n`);
    const exe = await conn.run('id -un', { become: { method: 'sudo', user: 'root', exe: '/usr/bin/sudo' } });
    expect(exe.stdout).toBe('root\n');
    await expect(conn.run('id', { become: { method: 'doas', user: 'root' } })).rejects.toThrow(/Privilege escalation method not found: doas/);
  });

  it('file operations under become go through the escalated worker', async () => {
    const conn = connect(DEPLOY_USER);
    const become = { method: 'sudo', user: 'root', password: DEPLOY_PASSWORD };
    await conn.writeFile('/etc/tsplay-become.conf', 'x=1\n', { become, mode: 0o600 });
    expect(await conn.stat('/etc/tsplay-become.conf', { become })).toMatchObject({ owner: 'root', mode: 0o600, size: 4 });
    await expect(conn.readFile('/etc/tsplay-become.conf')).rejects.toThrow(/Permission denied/);
    expect((await conn.readFile('/etc/tsplay-become.conf', { become })).toString()).toBe('x=1\n');
  });
});
