// Jump hosts without an ssh binary: ProxyJump from ssh_common_args and from
// ~/.ssh/config, chains, one shared connection per bastion, ProxyCommand. The targets
// have names only their bastion resolves (its own /etc/hosts), so a connection that
// did not go through the bastion could not even find them.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../src/connection/connection.js';
import { createSshConnection } from '../../../src/connection/ssh/index.js';
import type { SshConnection } from '../../../src/connection/ssh/ssh-connection.js';
import { SshLab, writeKnownHosts, type Host } from '../../harness/index.js';

const lab = SshLab.create();
let bastion: Host;
let inner: Host;
let targets: Host[];
const connections: SshConnection[] = [];

beforeAll(async () => {
  targets = await lab.startHosts(3);
  inner = await lab.startHost({ etcHosts: Object.fromEntries(targets.map((t, i) => [`web-${i}`, t.address])) });
  bastion = await lab.startHost({ etcHosts: { ...Object.fromEntries(targets.map((t, i) => [`web-${i}`, t.address])), 'inner-bastion': inner.address } });
  writeKnownHosts(lab.knownHostsFile, [
    { address: bastion.address, port: 22, hostKeys: bastion.hostKeys },
    { address: 'inner-bastion', port: 22, hostKeys: inner.hostKeys },
    ...targets.map((t, i) => ({ address: `web-${i}`, port: 22, hostKeys: t.hostKeys })),
  ]);
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await lab.stop();
});

function connect(name: string, vars: Record<string, unknown>): SshConnection {
  const conn = createSshConnection(name, lab.settings(bastion, { inventory_hostname: name, ansible_host: name, ...vars }));
  connections.push(conn);
  return conn;
}

async function hostname(conn: SshConnection): Promise<string> {
  return (await conn.run('hostname')).stdout.trim();
}

function acceptedLogins(host: Host): number {
  return host.sshdLog().split('\n').filter((line) => line.includes('Accepted publickey')).length;
}

describe('jump hosts', () => {
  it('cannot reach the targets directly: their names exist only on the bastion', async () => {
    const error = await connect('web-0', {}).run('true').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as Error).message).toBe('Failed to connect to the host via ssh: ssh: Could not resolve hostname web-0: Name or service not known');
  });

  it('goes through -o ProxyJump in ansible_ssh_common_args, one bastion connection for all targets', async () => {
    const before = acceptedLogins(bastion);
    const conns = targets.map((_, i) => connect(`web-${i}`, { ansible_ssh_common_args: `-o ProxyJump=root@${bastion.address}` }));
    const names = await Promise.all(conns.map(hostname));
    expect(names).toEqual(targets.map((t) => t.hostname));
    expect(acceptedLogins(bastion) - before).toBe(1);
    await Promise.all(conns.map((c) => c.close()));
  });

  it('takes ProxyJump, HostName and User from ~/.ssh/config, and follows a chain of two bastions', async () => {
    lab.writeSshConfig(
      [
        'Host bastion',
        `  HostName ${bastion.address}`,
        '  User root',
        `  IdentityFile ${lab.keyFile}`,
        'Host inner-bastion',
        '  User root',
        '  ProxyJump bastion',
        'Host web-*',
        '  ProxyJump bastion',
        'Host deep-*',
        '  ProxyJump bastion,root@inner-bastion',
      ].join('\n'),
    );
    try {
      expect(await hostname(connect('web-1', { ansible_ssh_private_key_file: lab.keyFile }))).toBe(targets[1]!.hostname);
      // Only the inner bastion resolves deep-*: the chain must really go bastion -> inner-bastion -> target.
      await inner.exec(`echo '${targets[2]!.address} deep-2' >> /etc/hosts`);
      lab.trust([]);
      writeKnownHosts(lab.knownHostsFile, [
        { address: bastion.address, port: 22, hostKeys: bastion.hostKeys },
        { address: 'inner-bastion', port: 22, hostKeys: inner.hostKeys },
        { address: 'deep-2', port: 22, hostKeys: targets[2]!.hostKeys },
      ]);
      expect(await hostname(connect('deep-2', {}))).toBe(targets[2]!.hostname);
    } finally {
      lab.writeSshConfig('');
      writeKnownHosts(lab.knownHostsFile, [
        { address: bastion.address, port: 22, hostKeys: bastion.hostKeys },
        { address: 'inner-bastion', port: 22, hostKeys: inner.hostKeys },
        ...targets.map((t, i) => ({ address: `web-${i}`, port: 22, hostKeys: t.hostKeys })),
      ]);
    }
  });

  it('reports a target the bastion cannot reach, and a bastion that is down', async () => {
    const down = lab.downAddress();
    const viaBastion = await connect(down, { ansible_ssh_common_args: `-o ProxyJump=root@${bastion.address}` })
      .run('true')
      .catch((e: unknown) => e);
    expect(viaBastion).toBeInstanceOf(UnreachableError);
    expect((viaBastion as Error).message).toMatch(new RegExp(`connect to host ${down.replace(/\./g, '\\.')} port 22 through jump host ${bastion.address.replace(/\./g, '\\.')}: open failed: .*Connection refused`));
    const bastionDown = lab.downAddress();
    const noBastion = await connect('web-0', { ansible_ssh_common_args: `-o ProxyJump=root@${bastionDown}` })
      .run('true')
      .catch((e: unknown) => e);
    expect((noBastion as Error).message).toBe(
      `Failed to connect to the host via ssh: jump host ${bastionDown}: ssh: connect to host ${bastionDown} port 22: Connection refused`,
    );
  });

  it('runs a ProxyCommand', async () => {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    const proxy = `ssh -i ${lab.keyFile} -o UserKnownHostsFile=${lab.knownHostsFile} -o BatchMode=yes -W %h:%p root@${bastion.address}`;
    expect(await hostname(connect('web-2', { ansible_ssh_common_args: `-o 'ProxyCommand="${proxy}"'` }))).toBe(targets[2]!.hostname);
  });
});
