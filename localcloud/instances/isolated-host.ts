// Instances on the host primitive of localcloud/host: each one a real, isolated host with
// its own PID, mount and UTS namespaces and an overlay root filesystem, so blue and green
// instances hold different files. It is loaded at run time so that the local cloud still
// runs (on stand-in hosts) where that primitive is missing or cannot start.
import { randomInt } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { HostFactory, HostSpec, InstanceHost } from './instance-host.js';

/** The part of localcloud/host's API the local cloud uses. */
interface PrimitiveHost {
  readonly pid: number;
  readonly running: boolean;
  exec(command: string | readonly string[], options?: { stdin?: string; timeoutMs?: number }): Promise<{ rc: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

interface PrimitiveKeyPair {
  type: string;
  privateKey: string;
  publicKey: string;
}

export interface HostPrimitive {
  startHost(options: {
    address: string;
    hostname?: string;
    authorizedKeys?: readonly string[];
    users?: readonly { name: string; sudo?: 'nopasswd'; authorizedKeys?: readonly string[] }[];
    hostKeys?: readonly PrimitiveKeyPair[];
    stateRoot?: string;
    dataDir?: string;
  }): Promise<PrimitiveHost & { readonly hostKeys: readonly PrimitiveKeyPair[] }>;
}

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
  private host: PrimitiveHost | undefined;
  private hostKeys: readonly PrimitiveKeyPair[] | undefined;
  private booted = false;

  constructor(
    private readonly primitive: HostPrimitive,
    private readonly spec: HostSpec,
  ) {}

  async start(): Promise<void> {
    if (this.host?.running) return;
    const upper = join(this.spec.dataDir, 'disk');
    mkdirSync(upper, { recursive: true });
    const address = this.spec.addresses[0] ?? '';
    const host = await this.primitive.startHost({
      address,
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
  private async runUserData(host: PrimitiveHost): Promise<void> {
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

export function isolatedHostFactory(primitive: HostPrimitive): HostFactory {
  return (spec) => new IsolatedHost(primitive, spec);
}

/** Loads localcloud/host and checks that it can start a host here (it needs root and unshare). */
export async function loadHostPrimitive(stateDir: string): Promise<{ primitive: HostPrimitive } | { reason: string }> {
  let primitive: HostPrimitive;
  try {
    const modulePath = '../host/host.js';
    primitive = (await import(modulePath)) as HostPrimitive;
    if (typeof primitive.startHost !== 'function') return { reason: 'localcloud/host has no startHost()' };
  } catch (error) {
    return { reason: `localcloud/host does not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  const probeDir = join(stateDir, 'probe-host');
  try {
    mkdirSync(probeDir, { recursive: true });
    writeFileSync(join(probeDir, 'why'), 'checks that isolated hosts can start here\n');
    // An address of its own, so that clouds starting side by side do not probe on the same one.
    const address = `127.255.${randomInt(0, 255)}.${randomInt(1, 254)}`;
    const host = await primitive.startHost({ address, stateRoot: probeDir });
    await host.stop();
    return { primitive };
  } catch (error) {
    return { reason: `a host does not start here: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  } finally {
    rmSync(probeDir, { recursive: true, force: true });
  }
}
