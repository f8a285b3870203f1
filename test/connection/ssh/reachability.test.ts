// Unreachable hosts and connections that break: Ansible's "Failed to connect to the
// host via ssh: ..." messages, a host or its sshd dying mid-command, one reconnect
// when a connection dropped between commands, keepalives, and the ways to log in.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../src/connection/connection.js';
import { createSshConnection, sshConnectionFactory } from '../../../src/connection/ssh/index.js';
import type { SshConnection } from '../../../src/connection/ssh/ssh-connection.js';
import type { SshSettings } from '../../../src/connection/ssh/settings.js';
import { DEPLOY_PASSWORD, DEPLOY_USER, SshLab, type Host } from '../../harness/index.js';

const lab = SshLab.create();
let host: Host;
const connections: SshConnection[] = [];

beforeAll(async () => {
  host = await lab.startHost();
  lab.trust();
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await lab.stop();
});

function connect(settings: SshSettings): SshConnection {
  const conn = createSshConnection(settings.inventoryHost, settings);
  connections.push(conn);
  return conn;
}

async function failure(promise: Promise<unknown>): Promise<UnreachableError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnreachableError);
  return error as UnreachableError;
}

describe('unreachable hosts', () => {
  it('refused, silent, unresolvable, or refusing the key', async () => {
    const down = lab.downAddress();
    const refused = await failure(connect(lab.settings(host, { ansible_host: down })).connect());
    expect(refused.message).toBe(`Failed to connect to the host via ssh: ssh: connect to host ${down} port 22: Connection refused`);

    const silent = await lab.silentAddress();
    const started = Date.now();
    const timedOut = await failure(connect(lab.settings(host, { ansible_host: silent.address, ansible_port: silent.port, ansible_ssh_timeout: 1 })).connect());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(timedOut.message).toMatch(/^Failed to connect to the host via ssh: ssh: connect to host .* port 2222: Connection timed out/);

    const unresolvable = await failure(connect(lab.settings(host, { ansible_host: 'no-such-host.invalid' })).connect());
    expect(unresolvable.message).toBe('Failed to connect to the host via ssh: ssh: Could not resolve hostname no-such-host.invalid: Name or service not known');

    const other = join(lab.dir, 'other-key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const denied = await failure(connect(lab.settings(host, { ansible_ssh_private_key_file: other })).connect());
    expect(denied.message).toBe(`Failed to connect to the host via ssh: root@${host.address}: Permission denied (publickey,password).`);
  });
});

describe('connections that break', () => {
  it('a host that dies mid-command is unreachable, and stays so', async () => {
    const doomed = await lab.startHost();
    lab.trust();
    const conn = connect(lab.settings(doomed));
    expect((await conn.run('echo up')).stdout).toBe('up\n');
    const running = failure(conn.run('sleep 10'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await doomed.stop();
    const error = await running;
    expect(error.message).toBe(`Failed to connect to the host via ssh: Connection to ${doomed.address} closed by remote host.`);
    const again = await failure(conn.run('echo again'));
    expect(again.message).toMatch(/Connection refused/);
  });

  it('killing sshd mid-command makes the host unreachable; once sshd is back, the next command reconnects', async () => {
    const conn = connect(lab.settings(host));
    const running = failure(conn.run('sleep 10'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await host.stopSshd();
    await running;
    await failure(conn.run('echo while-down'));
    await host.startSshd();
    expect((await conn.run('echo back')).stdout).toBe('back\n');
  });

  it('reconnects once when the connection dropped between commands', async () => {
    const conn = connect(lab.settings(host));
    expect((await conn.run('echo one')).stdout).toBe('one\n');
    const logins = () => host.sshdLog().split('\n').filter((l) => l.includes('Accepted publickey')).length;
    const before = logins();
    await host.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await conn.run('echo two')).toEqual({ rc: 0, stdout: 'two\n', stderr: '' });
    expect(logins()).toBe(before + 1);
  });

  it('notices a host that stopped answering through keepalives', async () => {
    const frozen = await lab.startHost();
    lab.trust();
    const conn = connect(lab.settings(frozen, { ansible_ssh_common_args: '-o ServerAliveInterval=0' }, {}, { keepaliveIntervalMs: 200 }));
    expect((await conn.run('echo up')).stdout).toBe('up\n');
    const running = failure(conn.run('sleep 30'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Every sshd of the host stops answering, but the TCP connection stays open.
    await frozen.exec('pkill -STOP -x sshd');
    const started = Date.now();
    await running;
    expect(Date.now() - started).toBeLessThan(5000);
    await frozen.exec('pkill -CONT -x sshd');
  });

  it('close() is safe to repeat, and a closed connection opens again when used', async () => {
    const conn = connect(lab.settings(host));
    await conn.connect();
    await conn.close();
    await conn.close();
    expect((await conn.run('echo reopened')).stdout).toBe('reopened\n');
  });
});

describe('logging in', () => {
  it('with ansible_password and no key', async () => {
    const conn = connect(lab.settings(host, { ansible_user: DEPLOY_USER, ansible_password: DEPLOY_PASSWORD, ansible_ssh_private_key_file: join(lab.dir, 'missing-key') }));
    expect((await conn.run('id -un')).stdout).toBe(`${DEPLOY_USER}\n`);
  });

  it('through the factory the executor registers: host variables over the run defaults', async () => {
    const factory = sshConnectionFactory({ remoteUser: 'nobody-would-log-in', privateKeyFile: lab.keyFile, timeout: 5 }, { home: lab.home, agentSocket: '' });
    const conn = factory({ host: 'web1', vars: { ansible_host: host.address, ansible_user: DEPLOY_USER } }) as SshConnection;
    connections.push(conn);
    expect(conn.host).toBe('web1');
    expect((await conn.run('id -un')).stdout).toBe(`${DEPLOY_USER}\n`);
  });

  it('with the default identity in ~/.ssh and remote_user from the CLI defaults', async () => {
    execFileSync('cp', [lab.keyFile, join(lab.home, '.ssh', 'id_ed25519')]);
    const settings = lab.settings(host, { ansible_user: undefined, ansible_ssh_private_key_file: undefined }, { remoteUser: DEPLOY_USER });
    expect((await connect(settings).run('id -un')).stdout).toBe(`${DEPLOY_USER}\n`);
    execFileSync('rm', [join(lab.home, '.ssh', 'id_ed25519')]);
  });

  it('with ssh-agent (SSH_AUTH_SOCK)', async () => {
    const socket = join(lab.dir, 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50; i++) {
        try {
          execFileSync('ssh-add', [lab.keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      const settings = lab.settings(host, { ansible_ssh_private_key_file: undefined }, {}, { agentSocket: socket });
      expect((await connect(settings).run('id -un')).stdout).toBe('root\n');
    } finally {
      agent.kill();
    }
  });
});
