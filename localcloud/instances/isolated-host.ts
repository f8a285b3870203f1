// Instances on the host primitive of localcloud/host: each one a real, isolated host with
// its own PID, mount and UTS namespaces and an overlay root filesystem, so blue and green
// instances hold different files.
import { randomInt } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type Host, startHost } from '../host/host.js';
import type { KeyPair } from '../host/keys.js';
import type { HostFactory, HostSpec, InstanceHost } from './instance-host.js';

/** The login user of the image, as on Amazon Linux (the article's playbooks log in as it). */
export const LOGIN_USER = 'ec2-user';

/** cloud-init's hostname for `#cloud-config` user data with a hostname (the article sets one). */
export function cloudConfigHostname(userData: string | undefined): string | undefined {
  if (!userData?.startsWith('#cloud-config')) return undefined;
  try {
    const config = parseYaml(userData) as { hostname?: unknown; fqdn?: unknown } | null;
    const name = config?.hostname ?? config?.fqdn;
    return typeof name === 'string' && /^[A-Za-z0-9.-]{1,253}$/.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

class IsolatedHost implements InstanceHost {
  private host: Host | undefined;
  /** Kept across stop and start: the same instance keeps its host keys, as on EC2. */
  private hostKeys: readonly KeyPair[] | undefined;
  private booted = false;

  constructor(private readonly spec: HostSpec) {}

  async start(): Promise<void> {
    if (this.host?.running) return;
    const upper = join(this.spec.dataDir, 'disk');
    mkdirSync(upper, { recursive: true });
    const [address = '', ...extraAddresses] = this.spec.addresses;
    const host = await startHost({
      address,
      extraAddresses,
      hostname: cloudConfigHostname(this.spec.userData) ?? this.spec.hostname,
      authorizedKeys: this.spec.authorizedKeys,
      users: [{ name: LOGIN_USER, sudo: 'nopasswd', authorizedKeys: this.spec.authorizedKeys }],
      ...(this.hostKeys ? { hostKeys: this.hostKeys } : {}),
      stateRoot: join(this.spec.dataDir, 'run'),
      dataDir: upper,
    });
    this.host = host;
    this.hostKeys = host.hostKeys;
    if (!this.booted) {
      this.booted = true;
      await this.runUserData(host);
    }
  }

  /** What cloud-init does at first boot: keep the user data, run it when it is a script. */
  private async runUserData(host: Host): Promise<void> {
    const userData = this.spec.userData;
    if (userData === undefined) return;
    await host.exec(['/bin/sh', '-c', 'mkdir -p /var/lib/cloud/instance && cat > /var/lib/cloud/instance/user-data.txt'], { stdin: userData });
    if (userData.startsWith('#!')) {
      await host.exec([
        '/bin/sh',
        '-c',
        'chmod 700 /var/lib/cloud/instance/user-data.txt && (nohup /var/lib/cloud/instance/user-data.txt >/var/log/cloud-init-output.log 2>&1 &)',
      ]);
    }
  }

  async stop(): Promise<void> {
    const host = this.host;
    this.host = undefined;
    await host?.stop();
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.spec.dataDir, { recursive: true, force: true });
  }

  pids(): number[] {
    return this.host?.running ? [this.host.pid] : [];
  }
}

export const isolatedHostFactory: HostFactory = (spec) => new IsolatedHost(spec);

/** Whether an isolated host starts here (it needs root, unshare and overlayfs), or why not. */
export async function isolatedHostsStart(stateDir: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const probeDir = join(stateDir, 'probe-host');
  try {
    mkdirSync(probeDir, { recursive: true });
    writeFileSync(join(probeDir, 'why'), 'checks that isolated hosts can start here\n');
    // An address of its own, so that clouds starting side by side do not probe on the same one.
    const address = `127.255.${randomInt(0, 255)}.${randomInt(1, 254)}`;
    const host = await startHost({ address, stateRoot: probeDir });
    await host.stop();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) };
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }
}
