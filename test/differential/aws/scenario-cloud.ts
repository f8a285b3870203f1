// A fresh tsplay-localcloud for one run of one scenario, started as users start it
// (`tsplay-localcloud start --detach`): a state dir of its own, a free port, a loopback
// network no other test uses, and short delays so that waiting costs little.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from '../harness.js';

const exec = promisify(execFile);
const BIN = join(REPO, 'localcloud/bin.js');

/**
 * State changes happen at once: amazon.aws's waiters poll every 15 s, so a transition
 * still under way when they first look costs a whole poll.
 */
const FAST = [
  '--hosts', 'sshd',
  '--pending-ms', '0',
  '--boot-ms', '0',
  '--stopping-ms', '0',
  '--shutting-down-ms', '0',
  '--route53-sync-ms', '0',
  '--elb-time-scale', '0.02',
];

export interface ScenarioCloud {
  /** What points AWS clients at it (botocore 1.29 reads AWS_URL through amazon.aws, not AWS_ENDPOINT_URL). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startScenarioCloud(network: string, extraArgs: string[] = []): Promise<ScenarioCloud> {
  const stateDir = mkdtempSync(join(tmpdir(), 'tsplay-aws-diff-cloud-'));
  const stop = async () => {
    await exec(process.execPath, [BIN, 'stop', '--state-dir', stateDir]).catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    await exec(process.execPath, [BIN, 'start', '--detach', '--port', '0', '--network', network, '--state-dir', stateDir, ...FAST, ...extraArgs]);
    const { stdout } = await exec(process.execPath, [BIN, 'env', '--state-dir', stateDir]);
    const exported = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map(([, name, value]) => [name as string, value as string]));
    const endpoint = exported.AWS_ENDPOINT_URL;
    if (!endpoint) throw new Error(`tsplay-localcloud env printed no endpoint:\n${stdout}`);
    return {
      env: {
        AWS_URL: endpoint,
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: exported.AWS_REGION ?? 'us-east-1',
        AWS_DEFAULT_REGION: exported.AWS_DEFAULT_REGION ?? 'us-east-1',
        AWS_ACCESS_KEY_ID: exported.AWS_ACCESS_KEY_ID ?? '',
        AWS_SECRET_ACCESS_KEY: exported.AWS_SECRET_ACCESS_KEY ?? '',
        // Nothing from this machine's AWS set-up may reach either run.
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
