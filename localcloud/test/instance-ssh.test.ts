// An instance is a real host: after its boot delay an sshd answers on port 22 of its
// private IP and accepts the key pair; terminating it ends its processes and its sshd.
import { EC2Client, RunInstancesCommand, TerminateInstancesCommand, waitUntilInstanceTerminated } from '@aws-sdk/client-ec2';
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_ID } from '../ec2/images.js';
import { canConnect, waitForPort } from '../instances/wait-for-port.js';
import { type TestCloud, startTestCloud } from './helpers.js';

let test: TestCloud;
let ec2: EC2Client;

beforeAll(async () => {
  test = await startTestCloud({ network: '127.75', delays: { pendingMs: 200, bootMs: 300 } });
  ec2 = new EC2Client(test.clientConfig);
});
afterAll(async () => {
  ec2?.destroy();
  await test?.close();
});

function connect(host: string, privateKey: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({ host, port: 22, username: 'root', privateKey, readyTimeout: 10_000 });
  });
}

function exec(client: Client, command: string): Promise<{ code: number; stdout: string }> {
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

describe('an instance', () => {
  it('boots an sshd on its private IP that accepts the key pair, and terminate ends it', async () => {
    const run = await ec2.send(
      new RunInstancesCommand({ ImageId: DEFAULT_IMAGE_ID, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'localcloud' }),
    );
    const instance = run.Instances?.[0];
    const ip = instance?.PrivateIpAddress ?? '';
    expect(await canConnect(ip, 22, 200)).toBe(false);
    expect(await waitForPort(ip, 22, 15_000)).toBe(true);

    const key = readFileSync(test.cloud.keyPath, 'utf8');
    expect(key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const client = await connect(ip, key);
    const { code, stdout } = await exec(client, 'echo hello from $(hostname)');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^hello from /);
    // A long job on the instance: terminating the instance must end it.
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.exec('sleep 300', () => undefined);

    const wrongKey = (await import('ssh2')).utils.generateKeyPairSync('ed25519').private;
    await expect(connect(ip, wrongKey)).rejects.toThrow(/authentication/i);

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance?.InstanceId ?? ''] }));
    await waitUntilInstanceTerminated({ client: ec2, maxWaitTime: 20, minDelay: 1 }, { InstanceIds: [instance?.InstanceId ?? ''] });
    await closed;
    expect(await canConnect(ip, 22, 500)).toBe(false);
  });
});
