// A running local cloud: the API server on 127.0.0.1:4566 and the resources behind it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Ec2 } from './ec2/ec2.js';
import { ec2Service } from './ec2/ec2-service.js';
import { Elbv2 } from './elbv2/elbv2.js';
import { elbv2Service } from './elbv2/elbv2-service.js';
import type { HostFactory } from './instances/instance-host.js';
import { chooseHostFactory } from './instances/host-factory.js';
import { type LocalCloudOptions, type LocalCloudOptionsInput, resolveOptions } from './options.js';
import type { HttpReply } from './protocol/http-reply.js';
import { route53Service } from './route53/route53-service.js';
import { HostedZones } from './route53/zones.js';
import { createApiServer } from './server.js';

export interface LocalCloudHooks {
  /** Replaces the hosts instances run on (tests of the API alone use a lighter one). */
  hostFactory?: HostFactory;
  log?: (message: string) => void;
}

export interface LocalCloud {
  readonly options: LocalCloudOptions;
  /** http://127.0.0.1:4566 */
  readonly endpoint: string;
  /** Where the default key pair's private key is. */
  readonly keyPath: string;
  readonly ec2: Ec2;
  readonly route53: HostedZones;
  readonly elbv2: Elbv2;
  /** The `export ...` lines that point AWS clients at this cloud. */
  envLines(): string[];
  stop(): Promise<void>;
}

function json(status: number, value: unknown): HttpReply {
  return { status, headers: { 'content-type': 'application/json' }, body: `${JSON.stringify(value, null, 2)}\n` };
}

export function envLines(options: LocalCloudOptions, endpoint: string, keyPath: string): string[] {
  return [
    `export AWS_ENDPOINT_URL=${endpoint}`,
    `export AWS_REGION=${options.region}`,
    `export AWS_DEFAULT_REGION=${options.region}`,
    `export AWS_ACCESS_KEY_ID=${options.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${options.secretAccessKey}`,
    `export LOCALCLOUD_KEY_NAME=${options.keyName}`,
    `export LOCALCLOUD_PRIVATE_KEY=${keyPath}`,
  ];
}

/** The default key pair: the private key in the state directory is kept across restarts. */
function setUpKeyPair(ec2: Ec2, options: LocalCloudOptions): string {
  const keyPath = join(options.stateDir, `${options.keyName}.pem`);
  if (existsSync(keyPath)) {
    ec2.keyPairs.adopt(options.keyName, readFileSync(keyPath, 'utf8'));
  } else {
    const { privateKey } = ec2.keyPairs.create(options.keyName);
    writeFileSync(keyPath, privateKey, { mode: 0o600 });
  }
  return keyPath;
}

export async function startLocalCloud(input: LocalCloudOptionsInput = {}, hooks: LocalCloudHooks = {}): Promise<LocalCloud> {
  const options = resolveOptions(input);
  const log = hooks.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  const ec2 = new Ec2({
    region: options.region,
    accountId: options.accountId,
    networkPrefix: options.network,
    stateDir: options.stateDir,
    delays: options.delays,
    hostFactory: hooks.hostFactory ?? (await chooseHostFactory(options.hosts, options.stateDir, log)),
    log,
  });
  const keyPath = setUpKeyPair(ec2, options);
  const route53 = new HostedZones({
    region: options.region,
    syncDelayMs: options.delays.route53SyncMs,
    vpcExists: (vpcId) => ec2.network.vpcs.has(vpcId),
  });
  for (const name of options.privateZones) {
    route53.create({
      name,
      callerReference: `localcloud-start-${name}`,
      comment: 'created by tsplay-localcloud start',
      privateZone: true,
      vpc: { VPCId: ec2.network.defaultVpc.vpcId, VPCRegion: options.region as never },
    });
  }
  const elbv2 = new Elbv2(ec2, {
    region: options.region,
    accountId: options.accountId,
    timeScale: options.elbTimeScale,
    provisioningMs: options.delays.pendingMs,
    log,
  });

  let endpoint = '';
  const internal = async (method: string, url: URL): Promise<HttpReply | undefined> => {
    if (method === 'GET' && url.pathname === '/_localcloud/health') return json(200, { status: 'running', endpoint });
    if (method === 'GET' && url.pathname === '/_localcloud/env') return json(200, { lines: envLines(options, endpoint, keyPath) });
    if (method === 'GET' && url.pathname === '/_localcloud/elbv2/listeners') {
      const window = Number(url.searchParams.get('window') ?? '60');
      return json(200, { listeners: elbv2.listenerMetrics(Number.isFinite(window) && window > 0 ? window : 60) });
    }
    return undefined;
  };
  const server = createApiServer({ services: [ec2Service(ec2), elbv2Service(elbv2), route53Service(route53, options.region)], region: options.region, internal, log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  endpoint = `http://${options.host}:${port}`;

  let stopping: Promise<void> | undefined;
  return {
    options,
    endpoint,
    keyPath,
    ec2,
    route53,
    elbv2,
    envLines: () => envLines(options, endpoint, keyPath),
    stop: () => {
      stopping ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await elbv2.close();
        await ec2.fleet.close();
      })();
      return stopping;
    },
  };
}
