// npm run demo: the blue-green cycle on a local cloud of its own, with HTTP load through the
// load balancer from start to end. Releases of the demo app (roles/bluegreen-demo-app) go
// through tsplay playbooks/bluegreen.yml step by step:
//   v1 deployed and switched live (before the load starts: the service is being created)
//   v2 deploy -> switch (health gate, bake) -> rollback -> deploy again -> switch -> retire v1,
//      which waits for a 15 s job started on v1 just before
//   v3 is broken: the health gate refuses the switch, v2 keeps serving
//   v4 degrades after the switch (its health check fails): automatic rollback to v2; retire v4
// It ends with `demo: N requests, M failed` and exits 0 only when M is 0. The cloud, its
// instances and its state directory are removed at the end, also on Ctrl-C.
import { execFile, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { REPO } from './repo.js';

const run = promisify(execFile);

/** One request of the load generator: when it was sent, how long it took, what came back. */
export interface LoadSample {
  at: number;
  ms: number;
  /** HTTP status, or 0 when the request failed without an answer. */
  status: number;
  body: string;
}

/** Sends GET requests to a URL from a few concurrent clients until stopped. */
export class LoadGenerator {
  readonly samples: LoadSample[] = [];
  private running = false;
  private workers: Promise<void>[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });

  constructor(
    private readonly url: string,
    private readonly concurrency = 2,
    private readonly pauseMs = 50,
  ) {}

  start(): void {
    this.running = true;
    for (let i = 0; i < this.concurrency; i++) this.workers.push(this.loop());
  }

  async stop(): Promise<{ requests: number; failed: number }> {
    this.running = false;
    await Promise.all(this.workers);
    this.agent.destroy();
    return { requests: this.samples.length, failed: this.failures().length };
  }

  failures(since = 0): LoadSample[] {
    return this.samples.filter((s) => s.at >= since && (s.status === 0 || s.status >= 500));
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.samples.push(await this.once());
      await sleep(this.pauseMs);
    }
  }

  private once(): Promise<LoadSample> {
    const at = Date.now();
    return new Promise((resolve) => {
      const req = request(this.url, { agent: this.agent, timeout: 10_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ at, ms: Date.now() - at, status: res.statusCode ?? 0, body: body.trim() }));
        res.on('error', () => resolve({ at, ms: Date.now() - at, status: 0, body: 'response error' }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error) => resolve({ at, ms: Date.now() - at, status: 0, body: error.message }));
      req.end();
    });
  }
}

export interface DemoCloud {
  env: Record<string, string>;
  stateDir: string;
  /** The loopback /16 its instances and load balancers live on (127.X). */
  network: string;
  stop(): Promise<void>;
}

/**
 * Loopback networks of demo clouds are leased through lock files: two clouds on one network
 * hand out the same instance addresses, and each then talks to the other's hosts (a test
 * run and a demo started side by side on one machine). A lease holds the pid of the cloud
 * that uses the network; it is free again when that process is gone.
 */
const LEASES = join(tmpdir(), 'tsplay-localcloud-networks');
/** Where a demo cloud goes when its own network is taken: clear of the fixed networks tests use. */
const SPARE_NETWORKS = Array.from({ length: 40 }, (_, i) => `127.${200 + i}`);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether something listens on an address of 127.X.*.* already (a cloud that took no lease). */
function networkInUse(network: string): boolean {
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return false;
  }
  const [, second] = network.split('.').map(Number);
  return table
    .split('\n')
    .slice(1)
    .some((line) => {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local) return false; // 0A: LISTEN
      const hex = local.split(':')[0] ?? '';
      // Little-endian: 127.78.1.5 is 05014E7F.
      return parseInt(hex.slice(6, 8), 16) === 127 && parseInt(hex.slice(4, 6), 16) === second;
    });
}

function tryLease(network: string): string | undefined {
  mkdirSync(LEASES, { recursive: true });
  if (networkInUse(network)) return undefined;
  const path = join(LEASES, `${network}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return undefined;
      rmSync(path, { force: true }); // stale: its cloud is gone
    }
  }
  return undefined;
}

/** Leases `preferred`, or a spare network when another cloud has it. */
export function leaseNetwork(preferred: string): { network: string; lockPath: string } {
  for (const network of [preferred, ...SPARE_NETWORKS]) {
    const lockPath = tryLease(network);
    if (lockPath) return { network, lockPath };
  }
  throw new Error(`no free loopback network for a local cloud (leases in ${LEASES})`);
}

/** A local cloud of its own (state dir, free port, a loopback network nobody else uses), as fast as it goes. */
export async function startDemoCloud(preferredNetwork: string): Promise<DemoCloud> {
  const { network, lockPath } = leaseNetwork(preferredNetwork);
  const stateDir = mkdtempSync(join(tmpdir(), 'tsplay-bluegreen-'));
  const bin = join(REPO, 'localcloud', 'bin.js');
  const release = () => {
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(lockPath, { force: true });
  };
  try {
    const started = await run(
      process.execPath,
      [bin, 'start', '--detach', '--port', '0', '--network', network, '--state-dir', stateDir, '--private-zone', 'bdash.inside',
        '--pending-ms', '500', '--boot-ms', '500', '--shutting-down-ms', '500', '--elb-time-scale', '0.05'],
      { cwd: REPO },
    );
    // From now on the lease lasts as long as the cloud, also if this process dies first.
    const cloudPid = /\(pid (\d+),/.exec(started.stderr)?.[1];
    if (cloudPid) writeFileSync(lockPath, cloudPid);
  } catch (error) {
    release();
    throw error;
  }
  const { stdout } = await run(process.execPath, [bin, 'env', '--state-dir', stateDir], { cwd: REPO });
  const env = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map(([, name, value]) => [name as string, value as string]));
  return {
    env,
    stateDir,
    network,
    stop: async () => {
      await run(process.execPath, [bin, 'stop', '--state-dir', stateDir], { cwd: REPO }).catch(() => undefined);
      release();
    },
  };
}

export interface TsplayRun {
  code: number;
  output: string;
}

/** tsplay -i inventory/local playbooks/bluegreen.yml -e @scripts/demo-vars.yml ARGS, output streamed to `echo`. */
export function bluegreen(env: Record<string, string>, args: string[], echo: (text: string) => void = () => undefined): Promise<TsplayRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(REPO, 'bin', 'tsplay.js'), '-i', 'inventory/local', 'playbooks/bluegreen.yml', '-e', '@scripts/demo-vars.yml', ...args],
      {
        cwd: REPO,
        env: { ...process.env, ...env, ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_DISPLAY_SKIPPED_HOSTS: 'false', ANSIBLE_FORCE_COLOR: '0', NO_COLOR: '1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      echo(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** The load balancer's address, from the local cloud (DNSName is the listener's address there). */
export async function loadBalancerUrl(env: Record<string, string>, name: string): Promise<string> {
  const { ElasticLoadBalancingV2Client, DescribeLoadBalancersCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const elb = new ElasticLoadBalancingV2Client({ endpoint: env.AWS_ENDPOINT_URL, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    const answer = await elb.send(new DescribeLoadBalancersCommand({ Names: [name] }));
    return `http://${answer.LoadBalancers?.[0]?.DNSName}:80/`;
  } finally {
    elb.destroy();
  }
}

/** The private address of the running instance named `name` (its Name tag). */
export async function instanceAddress(env: Record<string, string>, name: string): Promise<string> {
  const { EC2Client, DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
  const ec2 = new EC2Client({ endpoint: env.AWS_ENDPOINT_URL, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    const answer = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: [name] }, { Name: 'instance-state-name', Values: ['running'] }] }),
    );
    const ip = answer.Reservations?.[0]?.Instances?.[0]?.PrivateIpAddress;
    if (!ip) throw new Error(`no running instance named ${name}`);
    return ip;
  } finally {
    ec2.destroy();
  }
}

/** Runs a command on an instance of the local cloud as root, with the cloud's key pair. */
export async function ssh(env: Record<string, string>, ip: string, command: string): Promise<string> {
  const options = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes'];
  const { stdout } = await run('ssh', ['-i', env.LOCALCLOUD_PRIVATE_KEY as string, ...options, `root@${ip}`, command]);
  return stdout;
}

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const say = (text: string) => process.stdout.write(`\n### ${text}\n`);
  say('starting a local cloud of its own (tsplay-localcloud)');
  const cloud = await startDemoCloud('127.77');
  say(`local cloud at ${cloud.env.AWS_ENDPOINT_URL}, instances and load balancers on ${cloud.network}.0.0/16`);
  let load: LoadGenerator | undefined;
  let stopping = false;
  const cleanup = async () => {
    if (stopping) return;
    stopping = true;
    if (load) await load.stop();
    await cloud.stop();
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanup().then(() => process.exit(143)));
  const echo = (text: string) => process.stdout.write(text);
  const step = async (title: string, args: string[], expectCode: number): Promise<void> => {
    say(`${title}: tsplay -i inventory/local playbooks/bluegreen.yml -e @scripts/demo-vars.yml ${args.join(' ')}`);
    const result = await bluegreen(cloud.env, args, echo);
    if (result.code !== expectCode) throw new Error(`${title}: tsplay exited ${result.code}, expected ${expectCode}`);
  };
  try {
    await step('release v1 creates the service (load balancer, target groups) and goes live', ['-t', 'deploy,switch', '-e', 'bluegreen_release=v1'], 0);
    const url = await loadBalancerUrl(cloud.env, 'bdash-local');
    say(`load generator: GET ${url} from 2 clients until the end`);
    load = new LoadGenerator(url);
    load.start();
    await step('the plan, changing nothing', ['-t', 'deploy,switch,retire', '--check', '-e', 'bluegreen_release=v2'], 0);
    await step('deploy v2 to the idle color', ['-t', 'deploy', '-e', 'bluegreen_release=v2'], 0);
    await step('switch to v2: health gate, weights, bake window', ['-t', 'switch'], 0);
    await step('roll back to v1: one weight change', ['-t', 'rollback'], 0);
    await step('deploy v2 again and switch', ['-t', 'deploy,switch', '-e', 'bluegreen_release=v2'], 0);
    const v1 = await instanceAddress(cloud.env, 'green-web1');
    say(`a 15 s job on v1 (green-web1, ${v1}), the kind retirement must not cut short: /srv/bgapp/bin/job nightly-export 15`);
    await ssh(cloud.env, v1, 'setsid /srv/bgapp/bin/job nightly-export 15 </dev/null >/dev/null 2>&1 & sleep 0.3');
    await step('retire v1: drain, stop job workers, wait for jobs, terminate', ['-t', 'retire'], 0);
    await step('v3 is broken: the health gate refuses the switch', ['-t', 'deploy,switch', '-e', 'bluegreen_release=v3', '-e', 'bluegreen_release_broken=true'], 2);
    await step('v4 degrades after the switch: automatic rollback', ['-t', 'deploy,switch', '-e', 'bluegreen_release=v4', '-e', 'bluegreen_release_health_fails_after=5'], 2);
    await step('retire v4 (rolled back)', ['-t', 'retire'], 0);
    const answers = load.samples.slice(-3).map((s) => `${s.status} ${s.body}`);
    const totals = await load.stop();
    load = undefined;
    say(`last answers: ${answers.join(' | ')}`);
    process.stdout.write(`demo: ${totals.requests} requests, ${totals.failed} failed\n`);
    return totals.failed === 0 && totals.requests > 0 ? 0 : 1;
  } catch (error) {
    process.stdout.write(`demo failed: ${(error as Error).message}\n`);
    if (load) {
      const totals = await load.stop();
      load = undefined;
      process.stdout.write(`demo: ${totals.requests} requests, ${totals.failed} failed\n`);
    }
    return 1;
  } finally {
    await cleanup();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then((code) => {
    process.exitCode = code;
  });
}
