// A local cloud for the AWS modules' integration tests: the real SDK over real HTTP to
// localcloud/, in this process, on a free port and a loopback /16 of its own. Instances run
// on hosts that only exist on paper (no sshd): these tests are about the API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalCloud, startLocalCloud } from '../../../localcloud/cloud.js';
import type { HostFactory } from '../../../localcloud/instances/instance-host.js';
import { destroyAwsClients } from '../../../src/modules/aws/clients.js';

const paperHosts: HostFactory = () => ({
  start: async () => undefined,
  stop: async () => undefined,
  destroy: async () => undefined,
  pids: () => [],
});

export interface TestCloud {
  cloud: LocalCloud;
  /** The environment `tsplay-localcloud env` would give, for the modules' ctx.environment. */
  environment: Record<string, string>;
  close(): Promise<void>;
}

export async function startTestCloud(network: string): Promise<TestCloud> {
  const stateDir = mkdtempSync(join(tmpdir(), 'aws-modules-cloud-'));
  const cloud = await startLocalCloud(
    {
      port: 0,
      stateDir,
      network,
      elbTimeScale: 0.02,
      privateZones: ['bdash.inside'],
      delays: { pendingMs: 200, bootMs: 50, stoppingMs: 100, shuttingDownMs: 100, route53SyncMs: 200, terminatedVisibleMs: 60_000 },
    },
    { hostFactory: paperHosts, log: () => undefined },
  );
  const { region, accessKeyId, secretAccessKey } = cloud.options;
  return {
    cloud,
    environment: {
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
    close: async () => {
      destroyAwsClients();
      await cloud.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
