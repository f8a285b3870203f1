// An instance is a real host: after its boot delay an sshd answers on port 22 of its
// private IP and accepts the key pair; it has a root filesystem of its own; terminating
// it ends its processes and its sshd.
import {
  EC2Client,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_ID } from '../ec2/images.js';
import { LOGIN_USER, isolatedHostsStart } from '../instances/isolated-host.js';
import { descendantsOf, isAlive } from '../instances/process-tree.js';
import { generateKeyPair } from '../host/keys.js';
import { canConnect, waitForPort } from '../instances/wait-for-port.js';
import { type TestCloud, startTestCloud } from './helpers.js';

let test: TestCloud;
let ec2: EC2Client;
let key = '';

// Isolated hosts need localcloud/host, root, unshare and overlayfs; where they cannot
// start, the cloud falls back to stand-in hosts (tested below) and these tests say so.
const probeDir = mkdtempSync(join(tmpdir(), 'localcloud-probe-'));
const isolatedHostsWork = (await isolatedHostsStart(probeDir)).ok;
rmSync(probeDir, { recursive: true, force: true });

function connect(host: string, privateKey: string, username = LOGIN_USER): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({ host, port: 22, username, privateKey, readyTimeout: 10_000 });
  });
}

function exec(client: ssh2.Client, command: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      let stdout = '';
      channel.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      channel.stderr.on('data', () => undefined);
      channel.once('close', (code: number) => resolve({ code, stdout }));
    });
  });
}

async function launch(userData?: string) {
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: DEFAULT_IMAGE_ID,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      KeyName: 'localcloud',
      ...(userData ? { UserData: Buffer.from(userData).toString('base64') } : {}),
    }),
  );
  const instance = run.Instances?.[0];
  return { id: instance?.InstanceId ?? '', ip: instance?.PrivateIpAddress ?? '' };
}

describe.skipIf(!isolatedHostsWork)('an instance on an isolated host', () => {
  beforeAll(async () => {
    test = await startTestCloud({ network: '127.75', hosts: 'isolated', delays: { pendingMs: 200, bootMs: 300 } });
    ec2 = new EC2Client(test.clientConfig);
    key = readFileSync(test.cloud.keyPath, 'utf8');
  });
  afterAll(async () => {
    ec2?.destroy();
    await test?.close();
  });

  it('boots an sshd on its private IP that accepts the key pair for ec2-user, with sudo', async () => {
    const { ip } = await launch('#cloud-config\nhostname: web1\n');
    expect(await canConnect(ip, 22, 200)).toBe(false);
    expect(await waitForPort(ip, 22, 15_000)).toBe(true);
    expect(key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const client = await connect(ip, key);
    const { code, stdout } = await exec(client, 'echo $(id -un)@$(hostname) $(sudo -n id -un)');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`${LOGIN_USER}@web1 root`);
    client.end();
    // keys.ts, not ssh2's generator: ssh2 cannot parse about 1 in 200 of the ed25519 keys it makes.
    const wrongKey = generateKeyPair('ed25519').privateKey;
    await expect(connect(ip, wrongKey)).rejects.toThrow(/authentication/i);
  });

  it('has a root filesystem of its own: blue and green hold different releases, kept across stop and start', async () => {
    const blue = await launch();
    const green = await launch();
    await Promise.all([waitForPort(blue.ip, 22, 15_000), waitForPort(green.ip, 22, 15_000)]);
    const [blueSsh, greenSsh] = await Promise.all([connect(blue.ip, key), connect(green.ip, key)]);
    await exec(blueSsh, 'sudo mkdir -p /srv/app && echo release-1 | sudo tee /srv/app/RELEASE');
    await exec(greenSsh, 'sudo mkdir -p /srv/app && echo release-2 | sudo tee /srv/app/RELEASE');
    expect((await exec(blueSsh, 'cat /srv/app/RELEASE')).stdout).toBe('release-1\n');
    expect((await exec(greenSsh, 'cat /srv/app/RELEASE')).stdout).toBe('release-2\n');
    expect((await exec(blueSsh, 'test -e /srv/app/RELEASE-on-machine; ls /srv/app')).stdout).toBe('RELEASE\n');

    const closed = new Promise<void>((resolve) => blueSsh.once('close', () => resolve()));
    await ec2.send(new StopInstancesCommand({ InstanceIds: [blue.id] }));
    await waitUntilInstanceStopped({ client: ec2, maxWaitTime: 20, minDelay: 1 }, { InstanceIds: [blue.id] });
    await closed;
    await ec2.send(new StartInstancesCommand({ InstanceIds: [blue.id] }));
    expect(await waitForPort(blue.ip, 22, 15_000)).toBe(true);
    const again = await connect(blue.ip, key);
    expect((await exec(again, 'cat /srv/app/RELEASE')).stdout).toBe('release-1\n');
    again.end();
    greenSsh.end();
  });

  it('ends its processes and its sshd when terminated', async () => {
    const { id, ip } = await launch();
    await waitForPort(ip, 22, 15_000);
    const client = await connect(ip, key);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    // A long job on the instance, detached from the SSH session as a daemon would be.
    await exec(client, 'nohup sleep 300 >/dev/null 2>&1 & echo started');
    const pids = (await exec(client, 'pgrep -x sleep')).stdout.trim();
    expect(pids).not.toBe('');
    const host = test.cloud.ec2.fleet.find(id)?.host;
    const [init = 0] = host?.pids() ?? [];
    const processes = [init, ...descendantsOf(init)];
    expect(processes.length).toBeGreaterThan(2);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitUntilInstanceTerminated({ client: ec2, maxWaitTime: 20, minDelay: 1 }, { InstanceIds: [id] });
    await closed;
    expect(await canConnect(ip, 22, 500)).toBe(false);
    expect(processes.filter(isAlive)).toEqual([]);
  });
});

describe('an instance on a stand-in host (where isolated hosts cannot start)', () => {
  beforeAll(async () => {
    test = await startTestCloud({ network: '127.80', hosts: 'sshd', delays: { pendingMs: 100, bootMs: 100 } });
    ec2 = new EC2Client(test.clientConfig);
    key = readFileSync(test.cloud.keyPath, 'utf8');
  });
  afterAll(async () => {
    ec2?.destroy();
    await test?.close();
  });

  it('runs an sshd on its address that accepts the key pair, and terminate ends its sessions', async () => {
    const { id, ip } = await launch();
    expect(await waitForPort(ip, 22, 15_000)).toBe(true);
    // Stand-in hosts share this machine's users: log in as root (whose shell start-up files
    // on this machine may be slow, so no command is waited for).
    const client = await connect(ip, key, 'root');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.exec('sleep 300', () => undefined);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    await waitUntilInstanceTerminated({ client: ec2, maxWaitTime: 20, minDelay: 1 }, { InstanceIds: [id] });
    await closed;
    expect(await canConnect(ip, 22, 500)).toBe(false);
  });
});
