// A real host on this machine: its own loopback address, its own root filesystem, its
// own process tree, and a real OpenSSH server. See README.md for the model.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOOT_SCRIPT, START_SSHD } from './boot-script.js';
import { generateKeyPair, type KeyPair, type KeyType } from './keys.js';
import { writeHostConf, type HostUser } from './setup-script.js';
import { sshdConfig, type SshdOptions } from './sshd-config.js';

export interface HostOptions {
  /** A loopback address (127.x.y.z) the host's services bind to. */
  address: string;
  /** More addresses sshd listens on (an instance's public IP beside its private one). */
  extraAddresses?: readonly string[] | undefined;
  /** Port of the host's sshd; 22 when unset. */
  port?: number | undefined;
  /** The host's hostname (its own UTS namespace); derived from the address when unset. */
  hostname?: string | undefined;
  /** Public keys (authorized_keys lines) accepted for root. */
  authorizedKeys?: readonly string[] | undefined;
  rootPassword?: string | undefined;
  /** Users to create, each with optional password, sudo rule and keys. */
  users?: readonly HostUser[] | undefined;
  /** Host keys to use (keep them to restart "the same" host); generated when unset. */
  hostKeys?: readonly KeyPair[] | undefined;
  /** Types of the generated host keys; ['ed25519'] when unset. */
  hostKeyTypes?: readonly KeyType[] | undefined;
  /** sshd_config options on top of the defaults (see sshd-config.ts). */
  sshdOptions?: SshdOptions | undefined;
  /** Names only this host resolves (lines added to its /etc/hosts). */
  etcHosts?: Readonly<Record<string, string>> | undefined;
  /** sshd starts this long after the host (an instance booting); 0 when unset. */
  bootDelayMs?: number | undefined;
  /** Resolve startHost() only once sshd listens (default); false returns at once, see `sshReady`. */
  waitForSsh?: boolean | undefined;
  /** Where hosts keep their configuration while they run; /tmp/tsplay-hosts when unset. */
  stateRoot?: string | undefined;
  /**
   * A directory that keeps the host's writable layer (its changes to the filesystem)
   * across stop and start, as an EC2 instance's volume does. The layer lives in memory
   * and vanishes with the host when unset.
   */
  dataDir?: string | undefined;
}

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  stdin?: string | Buffer | undefined;
  timeoutMs?: number | undefined;
}

export interface Host {
  readonly address: string;
  readonly port: number;
  readonly hostname: string;
  /** PID of the host's init as the machine sees it. */
  readonly pid: number;
  readonly hostKeys: readonly KeyPair[];
  /** The host's root filesystem seen from the machine (valid while the host runs). */
  readonly root: string;
  /** Settles when sshd listens (or failed to start). */
  readonly sshReady: Promise<void>;
  readonly running: boolean;
  /** Run a command inside the host as root, bypassing SSH (for setup and assertions). */
  exec(command: string | readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Kill sshd and every SSH session: the host stays up, SSH is down. */
  stopSshd(): Promise<void>;
  /** Start sshd again (after stopSshd). */
  startSshd(): Promise<void>;
  /** Kill the SSH sessions but keep sshd listening: clients see their connection drop. */
  dropConnections(): Promise<void>;
  /** The sshd log (/var/log/sshd.log of the host). */
  sshdLog(): string;
  /** Kill every process of the host; its filesystem and mounts vanish. */
  stop(): Promise<void>;
}

const DEFAULT_STATE_ROOT = '/tmp/tsplay-hosts';
const swept = new Set<string>();

/**
 * Removes the state directories of hosts that died without stop() (their controller
 * was killed: the hosts went with it, their directories stayed).
 */
function sweepStaleState(stateRoot: string): void {
  if (swept.has(stateRoot)) return;
  swept.add(stateRoot);
  let names: string[];
  try {
    names = readdirSync(stateRoot);
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(stateRoot, name);
    try {
      const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      if (pid > 0 && !processAlive(pid)) rmSync(dir, { recursive: true, force: true });
    } catch {
      // No pid file: a host that never booted, or one booting right now in another process.
      try {
        if (Date.now() - statSync(dir).mtimeMs > 10 * 60_000) rmSync(dir, { recursive: true, force: true });
      } catch {
        /* already gone */
      }
    }
  }
}

function namespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

function inNamespace(pid: number, namespace: string): boolean {
  return namespaceOf(pid) === namespace;
}

/** Every process of a host's PID namespace, by machine PID. */
function namespaceMembers(init: number): { namespace: string; pids: number[] } | undefined {
  const namespace = namespaceOf(init);
  if (namespace === undefined) return undefined;
  const pids = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => inNamespace(pid, namespace));
  return { namespace, pids };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Boots a host and (unless waitForSsh is false) waits until its sshd accepts connections. */
export async function startHost(options: HostOptions): Promise<Host> {
  const host = await RunningHost.boot(options);
  if (options.waitForSsh !== false) await host.sshReady;
  return host;
}

class RunningHost implements Host {
  readonly port: number;
  readonly hostname: string;
  readonly hostKeys: readonly KeyPair[];
  pid = 0;
  sshReady: Promise<void> = Promise.resolve();
  private exited = false;
  private readonly exitPromise: Promise<void>;

  private constructor(
    readonly address: string,
    options: HostOptions,
    private readonly stateDir: string,
    private readonly child: ChildProcess,
  ) {
    this.port = options.port ?? 22;
    this.hostname = options.hostname ?? `host-${address.replace(/\./g, '-')}`;
    this.hostKeys = options.hostKeys ?? [];
    this.exitPromise = new Promise((resolve) => {
      child.once('exit', () => {
        this.exited = true;
        resolve();
      });
    });
  }

  static async boot(options: HostOptions): Promise<RunningHost> {
    const addresses = [options.address, ...(options.extraAddresses ?? [])];
    for (const address of addresses) {
      if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)) throw new Error(`a host needs loopback addresses (127.x.y.z), not ${address}`);
    }
    if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const port = options.port ?? 22;
    const hostKeys = options.hostKeys ?? (options.hostKeyTypes ?? ['ed25519']).map((type) => generateKeyPair(type, `root@${options.address}`));
    const stateRoot = options.stateRoot ?? DEFAULT_STATE_ROOT;
    sweepStaleState(stateRoot);
    const stateDir = join(stateRoot, `${options.address}-${port}-${randomBytes(4).toString('hex')}`);
    mkdirSync(join(stateDir, 'mnt'), { recursive: true, mode: 0o700 });
    const hostname = options.hostname ?? `host-${options.address.replace(/\./g, '-')}`;
    writeHostConf(join(stateDir, 'conf'), {
      address: options.address,
      dataDir: options.dataDir,
      hostname,
      hostKeys,
      sshdConfig: sshdConfig(addresses, port, hostKeys, options.sshdOptions),
      rootAuthorizedKeys: options.authorizedKeys ?? [],
      rootPassword: options.rootPassword,
      users: options.users ?? [],
      etcHosts: options.etcHosts ?? {},
      bootDelayMs: options.bootDelayMs ?? 0,
    });
    const child = spawn(
      'unshare',
      ['--mount', '--uts', '--ipc', '--pid', '--fork', '--kill-child', '--propagation', 'private', '/bin/sh', '-c', BOOT_SCRIPT, 'tsplay-host', stateDir],
      { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' } },
    );
    const host = new RunningHost(options.address, { ...options, hostKeys, hostname }, stateDir, child);
    try {
      await host.watchBoot();
    } catch (error) {
      await host.stop();
      throw error;
    }
    // Once sshd is up, the host must not keep the controller's event loop alive; the
    // lifeline pipe still kills it when the controller exits.
    const release = () => {
      child.unref();
      for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void })?.unref?.();
    };
    host.sshReady.then(release, release);
    return host;
  }

  /** Reads the boot script's reports: "pid N" once the root filesystem is ready, "sshd RC" when sshd started. */
  private watchBoot(): Promise<void> {
    const child = this.child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let resolveSsh!: () => void;
    let rejectSsh!: (error: Error) => void;
    this.sshReady = new Promise<void>((resolve, reject) => {
      resolveSsh = resolve;
      rejectSsh = reject;
    });
    // Nobody may be waiting on sshReady (waitForSsh false); the rejection is still observable.
    this.sshReady.catch(() => undefined);
    return new Promise<void>((resolve, reject) => {
      let buffered = '';
      let booted = false;
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let newline;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const [word, value] = buffered.slice(0, newline).split(' ');
          buffered = buffered.slice(newline + 1);
          if (word === 'pid') {
            this.pid = Number(value);
            writeFileSync(join(this.stateDir, 'pid'), `${this.pid}\n`);
            booted = true;
            resolve();
          } else if (word === 'sshd') {
            if (value === '0') resolveSsh();
            else rejectSsh(new Error(`sshd of ${this.address}:${this.port} did not start (rc ${value}): ${this.sshdLog().trim()}`));
          }
        }
      });
      child.once('error', (error) => reject(error));
      child.once('exit', (code, signal) => {
        const why = new Error(`host ${this.address} ${booted ? 'stopped' : 'failed to boot'} (${signal ?? `rc ${code}`}): ${stderr.trim()}`);
        rejectSsh(why);
        reject(why);
      });
    });
  }

  get root(): string {
    return `/proc/${this.pid}/root`;
  }

  get running(): boolean {
    return !this.exited;
  }

  exec(command: string | readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (this.exited || this.pid === 0) return Promise.reject(new Error(`host ${this.address} is not running`));
    const argv = typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command];
    return new Promise((resolve, reject) => {
      const child = spawn('nsenter', ['-t', String(this.pid), '-m', '-u', '-i', '-p', '-r', '-w', '--', ...argv], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8' },
        cwd: '/',
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              child.kill('SIGKILL');
              reject(new Error(`command on host ${this.address} timed out after ${options.timeoutMs} ms`));
            }, options.timeoutMs);
      child.once('error', reject);
      child.once('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({ rc: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin ?? '');
    });
  }

  async stopSshd(): Promise<void> {
    // Every sshd of this host (listener, per-connection monitors and session processes):
    // the pkill runs inside the host's PID namespace, so it cannot reach other hosts.
    await this.exec(['pkill', '-KILL', '-x', 'sshd']);
    await this.exec(['rm', '-f', '/run/sshd.pid']);
  }

  async startSshd(): Promise<void> {
    const result = await this.exec(['/bin/sh', '-c', START_SSHD]);
    if (result.stdout.trim() !== 'sshd 0') throw new Error(`sshd of ${this.address} did not start (${result.stdout.trim()}): ${this.sshdLog().trim()}`);
  }

  async dropConnections(): Promise<void> {
    // Session processes are the sshd processes other than the listener, whose PID is in the pid file.
    const script = 'listener=$(cat /run/sshd.pid); for p in $(pgrep -x sshd); do [ "$p" = "$listener" ] || kill -KILL "$p"; done; true';
    await this.exec(['/bin/sh', '-c', script]);
  }

  sshdLog(): string {
    try {
      return readFileSync(`${this.root}/var/log/sshd.log`, 'utf8');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      const members = this.pid !== 0 ? namespaceMembers(this.pid) : undefined;
      // Killing the host's init kills the whole namespace; unshare then exits by itself.
      // (Killing unshare instead would also kill init, through --kill-child.)
      let killed = false;
      if (this.pid !== 0) {
        try {
          process.kill(this.pid, 'SIGKILL');
          killed = true;
        } catch {
          /* already gone */
        }
      }
      if (!killed) this.child.kill('SIGKILL');
      this.child.ref();
      await this.exitPromise;
      // The kernel kills the rest of the namespace when its init dies; wait until it has.
      if (members) {
        for (let i = 0; i < 200 && members.pids.some((pid) => inNamespace(pid, members.namespace)); i++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
    }
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
