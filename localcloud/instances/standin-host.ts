// A stand-in host until localcloud/host (an isolated host with its own overlay root) is
// available: a real sshd on the instance's addresses, port 22, that accepts the key pair.
// It shares this machine's filesystem and users; processes started over SSH are its own.
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostFactory, HostSpec, InstanceHost } from './instance-host.js';
import { killTree } from './process-tree.js';
import { waitForPort } from './wait-for-port.js';

const SSHD = '/usr/sbin/sshd';

class StandinHost implements InstanceHost {
  private sshd: ChildProcess | undefined;
  private readonly configPath: string;

  constructor(private readonly spec: HostSpec) {
    this.configPath = join(spec.dataDir, 'sshd_config');
  }

  private prepare(): void {
    mkdirSync(this.spec.dataDir, { recursive: true });
    mkdirSync('/run/sshd', { recursive: true });
    const hostKey = join(this.spec.dataDir, 'ssh_host_ecdsa_key');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1', privateKeyEncoding: { type: 'sec1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    writeFileSync(hostKey, privateKey, { mode: 0o600 });
    writeFileSync(join(this.spec.dataDir, 'authorized_keys'), this.spec.authorizedKeys.map((k) => `${k}\n`).join(''), { mode: 0o644 });
    if (this.spec.userData !== undefined) writeFileSync(join(this.spec.dataDir, 'user-data'), this.spec.userData);
    const config = [
      ...this.spec.addresses.map((address) => `ListenAddress ${address}:22`),
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(this.spec.dataDir, 'authorized_keys')}`,
      'PidFile none',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'UseDNS no',
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
      `SetEnv LOCALCLOUD_INSTANCE_ID=${this.spec.instanceId}`,
    ];
    writeFileSync(this.configPath, `${config.join('\n')}\n`);
  }

  async start(): Promise<void> {
    if (this.sshd) return;
    this.prepare();
    const sshd = spawn(SSHD, ['-D', '-e', '-f', this.configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.sshd = sshd;
    let stderr = '';
    let exited = false;
    sshd.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    sshd.once('exit', () => {
      exited = true;
      if (this.sshd === sshd) this.sshd = undefined;
    });
    const address = this.spec.addresses[0] ?? '127.0.0.1';
    const up = await waitForPort(address, 22, 10_000, () => !exited);
    if (!up) {
      if (!exited) killTree(sshd.pid ?? 0);
      throw new Error(`sshd of ${this.spec.instanceId} did not start on ${address}:22: ${stderr.trim()}`);
    }
  }

  async stop(): Promise<void> {
    const sshd = this.sshd;
    this.sshd = undefined;
    if (!sshd?.pid) return;
    const exited = new Promise<void>((resolve) => {
      if (sshd.exitCode !== null || sshd.signalCode !== null) resolve();
      else sshd.once('exit', () => resolve());
    });
    killTree(sshd.pid);
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.spec.dataDir, { recursive: true, force: true });
  }

  pids(): number[] {
    return this.sshd?.pid ? [this.sshd.pid] : [];
  }
}

export const standinHostFactory: HostFactory = (spec) => new StandinHost(spec);
