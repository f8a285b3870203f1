// Issue 6's goal, end to end: the article's playbooks/provision.yml (roles/ec2, unchanged)
// through the tsplay CLI against a tsplay-localcloud started as users start it. --check on an
// empty cloud plans two launches and launches nothing; the first run launches web1 and
// web2, writes their records in the bdash.inside private zone and waits for their sshd; the
// second run changes nothing. (The role's wait_for has `delay: 60`: this test takes a while.)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListHostedZonesByNameCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBuiltinModules } from '../../../src/modules/index.js';
import { findModule } from '../../../src/modules/registry.js';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '../../..');

// The SDK's Node 20 notice is not this test's business.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
registerBuiltinModules();
const waitForMissing = findModule('wait_for') === undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function recap(stdout: string): Record<string, Record<string, number>> {
  const hosts: Record<string, Record<string, number>> = {};
  for (const [, host, counters] of stdout.matchAll(/^(\S+)\s+: (ok=.*)$/gm)) {
    hosts[host as string] = Object.fromEntries((counters as string).trim().split(/\s+/).map((pair) => [pair.split('=')[0], Number(pair.split('=')[1])]));
  }
  return hosts;
}

describe.skipIf(waitForMissing)('playbooks/provision.yml on the local cloud (needs the wait_for module)', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'provision-cloud-'));
  let env: Record<string, string> = {};

  const tsplay = async (...args: string[]) => {
    try {
      const { stdout } = await run('node', ['bin/tsplay.js', '-i', 'inventory/local', 'playbooks/provision.yml', ...args], {
        cwd: REPO,
        env: { ...process.env, ...env, ANSIBLE_FORCE_COLOR: '0', NO_COLOR: '1' },
        maxBuffer: 16 * 1024 * 1024,
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: `${failed.stdout}\n${failed.stderr}` };
    }
  };

  const instances = async () => {
    const ec2 = new EC2Client({ endpoint: env.AWS_ENDPOINT_URL, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const answer = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running'] }] }));
    ec2.destroy();
    return (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  };

  beforeAll(async () => {
    const port = await freePort();
    await run('node', ['localcloud/bin.js', 'start', '--detach', '--port', String(port), '--network', '127.92', '--state-dir', stateDir, '--private-zone', 'bdash.inside', '--pending-ms', '500', '--boot-ms', '500'], { cwd: REPO });
    const { stdout } = await run('node', ['localcloud/bin.js', 'env', '--state-dir', stateDir], { cwd: REPO });
    env = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map(([, name, value]) => [name as string, value as string]));
  });
  afterAll(async () => {
    await run('node', ['localcloud/bin.js', 'stop', '--state-dir', stateDir], { cwd: REPO }).catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('plans two launches in check mode and launches nothing', async () => {
    const { code, stdout } = await tsplay('--check');
    expect(code, stdout).toBe(0);
    const counts = recap(stdout);
    expect(counts.web1).toMatchObject({ changed: 1, failed: 0 });
    expect(counts.web2).toMatchObject({ changed: 1, failed: 0 });
    expect(await instances()).toEqual([]);
  }, 60_000);

  it('launches web1 and web2, registers them in Route 53 and waits for ssh; then changes nothing', async () => {
    const first = await tsplay();
    expect(first.code, first.stdout).toBe(0);
    expect(recap(first.stdout).web1).toMatchObject({ failed: 0, unreachable: 0 });
    const launched = await instances();
    const byName = Object.fromEntries(launched.map((i) => [i.Tags?.find((t) => t.Key === 'Name')?.Value, i]));
    expect(Object.keys(byName).sort()).toEqual(['web1', 'web2']);
    expect(byName.web1?.SubnetId).toBe('subnet-0000000000000000b');
    expect(byName.web2?.SubnetId).toBe('subnet-0000000000000000a');

    const route53 = new Route53Client({ endpoint: env.AWS_ENDPOINT_URL, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const zone = (await route53.send(new ListHostedZonesByNameCommand({ DNSName: 'bdash.inside' }))).HostedZones?.[0];
    const records = (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone?.Id }))).ResourceRecordSets ?? [];
    route53.destroy();
    const a = Object.fromEntries(records.filter((r) => r.Type === 'A').map((r) => [r.Name, r.ResourceRecords?.[0]?.Value]));
    expect(a).toEqual({ 'web1.bdash.inside.': byName.web1?.PrivateIpAddress, 'web2.bdash.inside.': byName.web2?.PrivateIpAddress });

    const second = await tsplay();
    expect(second.code, second.stdout).toBe(0);
    const counts = recap(second.stdout);
    expect(counts.web1).toMatchObject({ changed: 0, failed: 0 });
    expect(counts.web2).toMatchObject({ changed: 0, failed: 0 });
    expect(await instances()).toHaveLength(2);
  }, 300_000);
});
