// A set of real sshd hosts for a test file: a key pair that every host accepts, a
// controller home directory of its own (~/.ssh/config, known_hosts, default
// identity), users for become tests, and helpers for the odd hosts tests need: a
// bastion, a host whose key changed, a host that is down, a host that never answers.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type Host, type HostOptions } from '../../localcloud/host/host.js';
import { generateKeyPair, type KeyPair } from '../../localcloud/host/keys.js';
import type { HostUser } from '../../localcloud/host/setup-script.js';
import { sshSettingsFromVars, type SshDefaults, type SshSettings } from '../../src/connection/ssh/settings.js';
import { allocateAddress } from './addresses.js';
import { writeKnownHosts } from './known-hosts.js';

/** The non-root users every lab host has. */
export const DEPLOY_USER = 'deploy';
export const DEPLOY_PASSWORD = "s3cret 'pw' $(x)";
export const NOPASSWD_USER = 'ops';

export interface LabHostOptions extends Omit<Partial<HostOptions>, 'users'> {
  users?: HostUser[];
}

export class SshLab {
  /** The controller's home for these tests: .ssh/config, .ssh/known_hosts, .ssh/id_ed25519. */
  readonly home: string;
  readonly key: KeyPair;
  readonly keyFile: string;
  readonly knownHostsFile: string;
  readonly hosts: Host[] = [];
  private readonly servers: Server[] = [];

  private constructor(readonly dir: string) {
    this.home = join(dir, 'home');
    mkdirSync(join(this.home, '.ssh'), { recursive: true, mode: 0o700 });
    this.key = generateKeyPair('ed25519', 'tsplay-test');
    this.keyFile = join(dir, 'id_test');
    writeFileSync(this.keyFile, this.key.privateKey, { mode: 0o600 });
    this.knownHostsFile = join(this.home, '.ssh', 'known_hosts');
    writeFileSync(this.knownHostsFile, '', { mode: 0o600 });
  }

  static create(): SshLab {
    return new SshLab(mkdtempSync(join(tmpdir(), 'tsplay-ssh-lab-')));
  }

  /** Starts a host that accepts the lab key for root, deploy (sudo with password) and ops (sudo without). */
  async startHost(options: LabHostOptions = {}): Promise<Host> {
    for (let attempt = 0; ; attempt++) {
      const address = options.address ?? allocateAddress();
      try {
        const host = await startHost({
          ...options,
          address,
          authorizedKeys: options.authorizedKeys ?? [this.key.publicKey],
          users: options.users ?? [
            { name: DEPLOY_USER, password: DEPLOY_PASSWORD, sudo: 'password', authorizedKeys: [this.key.publicKey] },
            { name: NOPASSWD_USER, sudo: 'nopasswd', authorizedKeys: [this.key.publicKey] },
          ],
        });
        this.hosts.push(host);
        return host;
      } catch (error) {
        // Another test process may hold the address: draw another one.
        if (attempt < 3 && options.address === undefined && /bind|Address already in use/i.test(String(error))) continue;
        throw error;
      }
    }
  }

  async startHosts(count: number, options: LabHostOptions = {}): Promise<Host[]> {
    return Promise.all(Array.from({ length: count }, () => this.startHost(options)));
  }

  /** Records the hosts' keys in the lab's known_hosts (the file ssh would use by default). */
  trust(hosts: readonly Host[] = this.hosts, options: { hashed?: boolean; file?: string } = {}): void {
    writeKnownHosts(options.file ?? this.knownHostsFile, hosts, options);
  }

  /** An address nothing listens on: connections are refused. */
  downAddress(): string {
    return allocateAddress();
  }

  /** An address whose port accepts TCP connections but never speaks SSH. */
  async silentAddress(): Promise<{ address: string; port: number }> {
    const address = allocateAddress();
    const server = createServer(() => undefined);
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(2222, address, resolve));
    this.servers.push(server);
    return { address, port: 2222 };
  }

  writeSshConfig(text: string): void {
    writeFileSync(join(this.home, '.ssh', 'config'), text, { mode: 0o600 });
  }

  /** Host variables for a lab host, as an inventory would give them. */
  vars(host: Host, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      inventory_hostname: host.hostname,
      ansible_host: host.address,
      ansible_port: host.port,
      ansible_user: 'root',
      ansible_ssh_private_key_file: this.keyFile,
      ...extra,
    };
  }

  /** SSH settings for a lab host: the lab's home, no agent, unless `extra` says otherwise. */
  settings(host: Host, extra: Record<string, unknown> = {}, defaults: SshDefaults = {}, overrides: Partial<SshSettings> = {}): SshSettings {
    return { ...sshSettingsFromVars(this.vars(host, extra), { hostKeyChecking: true, ...defaults }), home: this.home, agentSocket: '', ...overrides };
  }

  async stop(): Promise<void> {
    await Promise.all(this.hosts.map((host) => host.stop()));
    for (const server of this.servers) server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
