// The tsplay-localcloud bin, compiled as `npm ci` compiles it: start --detach, env,
// status and stop, which must leave no process behind.
import { DescribeKeyPairsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readState } from '../cli.js';
import { DEFAULT_IMAGE_ID } from '../ec2/images.js';
import { isolatedHostsStart } from '../instances/isolated-host.js';
import { isAlive } from '../instances/process-tree.js';
import { canConnect, waitForPort } from '../instances/wait-for-port.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const build = join(repo, 'node_modules/.cache/tsplay-localcloud-cli-test');
const bin = join(build, 'localcloud/bin.js');
let stateDir = '';
let port = 0;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args, '--state-dir', stateDir], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolvePort(free));
    });
  });
}

beforeAll(async () => {
  // dist/ as `npm ci` builds it (tsconfig.build.json), for the localcloud entry point only.
  rmSync(build, { recursive: true, force: true });
  mkdirSync(join(build, 'localcloud'), { recursive: true });
  writeFileSync(
    join(build, 'tsconfig.json'),
    JSON.stringify({
      extends: join(repo, 'tsconfig.build.json'),
      compilerOptions: { rootDir: repo, outDir: join(build, 'dist'), noEmitOnError: false },
      include: [],
      files: [join(repo, 'localcloud/cli.ts')],
    }),
  );
  await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(build, 'tsconfig.json')], { timeout: 120_000 }).catch(
    () => undefined,
  );
  copyFileSync(join(repo, 'localcloud/bin.js'), bin);
  expect(existsSync(join(build, 'dist/localcloud/cli.js'))).toBe(true);
  stateDir = mkdtempSync(join(tmpdir(), 'localcloud-cli-'));
  port = await freePort();
}, 180_000);

afterAll(async () => {
  if (stateDir) {
    await cli('stop');
    rmSync(stateDir, { recursive: true, force: true });
  }
});

describe('tsplay-localcloud', () => {
  it('prints usage for an unknown command', async () => {
    const result = await cli('launch');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command: launch');
  });

  it('starts in the background, prints env lines, serves the SDK, and stop removes everything it started', async () => {
    const started = await cli('start', '--detach', '--port', String(port), '--network', '127.76', '--pending-ms', '100', '--boot-ms', '100');
    expect(started.stderr).toContain('running in the background');
    expect(started.code).toBe(0);
    const state = readState(stateDir);
    expect(state && isAlive(state.pid)).toBe(true);

    const env = await cli('env');
    const vars = Object.fromEntries(
      env.stdout
        .trim()
        .split('\n')
        .map((line) => line.replace(/^export /, '').split('=') as [string, string]),
    );
    expect(vars.AWS_ENDPOINT_URL).toBe(`http://127.0.0.1:${port}`);
    expect(vars.AWS_REGION).toBe('us-east-1');
    expect(vars.AWS_ACCESS_KEY_ID).toBeTruthy();
    expect(vars.AWS_SECRET_ACCESS_KEY).toBeTruthy();
    expect(existsSync(vars.LOCALCLOUD_PRIVATE_KEY ?? '')).toBe(true);
    expect((await cli('status')).code).toBe(0);

    const ec2 = new EC2Client({
      endpoint: vars.AWS_ENDPOINT_URL,
      region: vars.AWS_REGION,
      credentials: { accessKeyId: vars.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: vars.AWS_SECRET_ACCESS_KEY ?? '' },
    });
    const keys = await ec2.send(new DescribeKeyPairsCommand({}));
    expect(keys.KeyPairs?.map((k) => k.KeyName)).toEqual([vars.LOCALCLOUD_KEY_NAME]);
    const launched = await ec2.send(
      new RunInstancesCommand({ ImageId: DEFAULT_IMAGE_ID, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: vars.LOCALCLOUD_KEY_NAME }),
    );
    ec2.destroy();
    const ip = launched.Instances?.[0]?.PrivateIpAddress ?? '';
    expect(await waitForPort(ip, 22, 15_000)).toBe(true);

    if ((await isolatedHostsStart(stateDir)).ok) {
      expect(readFileSync(join(stateDir, 'localcloud.log'), 'utf8')).not.toContain('isolated hosts cannot start');
    }
    const stopped = await cli('stop');
    expect(stopped.code).toBe(0);
    expect(isAlive(state?.pid ?? 0)).toBe(false);
    expect(await canConnect(ip, 22, 500)).toBe(false);
    expect(await canConnect('127.0.0.1', port, 500)).toBe(false);
    expect(readState(stateDir)).toBeUndefined();
    expect((await cli('status')).code).toBe(3);
  });
});
