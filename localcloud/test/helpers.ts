// Shared set-up of the local cloud tests: a cloud on a free port, on its own loopback /16
// (so that test files running in parallel never share addresses), with short delays.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LocalCloud, type LocalCloudHooks, startLocalCloud } from '../cloud.js';
import type { HostFactory, HostSpec, InstanceHost } from '../instances/instance-host.js';
import type { LocalCloudOptionsInput } from '../options.js';

export const FAST_DELAYS = {
  pendingMs: 150,
  bootMs: 100,
  stoppingMs: 100,
  shuttingDownMs: 100,
  terminatedVisibleMs: 60_000,
  route53SyncMs: 100,
};

/** A host that only records what the cloud asked of it (API tests need no sshd). */
export class RecordingHost implements InstanceHost {
  readonly events: string[] = [];
  constructor(readonly spec: HostSpec) {}
  async start(): Promise<void> {
    this.events.push('start');
  }
  async stop(): Promise<void> {
    this.events.push('stop');
  }
  async destroy(): Promise<void> {
    this.events.push('destroy');
  }
  pids(): number[] {
    return [];
  }
}

export function recordingHosts(): { factory: HostFactory; hosts: Map<string, RecordingHost> } {
  const hosts = new Map<string, RecordingHost>();
  return {
    hosts,
    factory: (spec) => {
      const host = new RecordingHost(spec);
      hosts.set(spec.instanceId, host);
      return host;
    },
  };
}

export interface TestCloud {
  cloud: LocalCloud;
  clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** Environment for child processes (the AWS CLI). */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startTestCloud(options: LocalCloudOptionsInput, hooks: LocalCloudHooks = {}): Promise<TestCloud> {
  const stateDir = mkdtempSync(join(tmpdir(), 'localcloud-test-'));
  const cloud = await startLocalCloud(
    { port: 0, stateDir, ...options, delays: { ...FAST_DELAYS, ...options.delays } },
    { log: () => undefined, ...hooks },
  );
  const { region, accessKeyId, secretAccessKey } = cloud.options;
  return {
    cloud,
    clientConfig: { endpoint: cloud.endpoint, region, credentials: { accessKeyId, secretAccessKey } },
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_PAGER: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
    close: async () => {
      await cloud.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
