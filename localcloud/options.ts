// Settings of a local cloud. Defaults are short but realistic; tests shorten them further.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Delays {
  /** pending -> running */
  pendingMs: number;
  /** running -> sshd accepting connections on port 22 */
  bootMs: number;
  /** stopping -> stopped */
  stoppingMs: number;
  /** shutting-down -> terminated */
  shuttingDownMs: number;
  /** How long a terminated instance stays visible in DescribeInstances (AWS: about an hour). */
  terminatedVisibleMs: number;
  /** Route 53 change PENDING -> INSYNC */
  route53SyncMs: number;
}

export interface LocalCloudOptions {
  /** Address the API listens on. */
  host: string;
  /** 4566 by default; 0 picks a free port (tests). */
  port: number;
  region: string;
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where the key pair's private key, the pid file and host data are written. */
  stateDir: string;
  /** First two octets of the loopback network the default VPC lives in, e.g. "127.0". */
  network: string;
  delays: Delays;
  /**
   * Factor applied to ELB times given in seconds by the API (health check interval and
   * timeout, deregistration delay, slow start), so that AWS's minimums stay valid input
   * while tests run fast: 0.1 turns a 5 s interval into 0.5 s.
   */
  elbTimeScale: number;
  /** Name of the key pair created at start, whose private key is written to stateDir. */
  keyName: string;
  /**
   * What instances run on: 'isolated' hosts (own namespaces and overlay root filesystem),
   * 'sshd' (a plain sshd on the instance's address, sharing this machine's filesystem), or
   * 'auto': isolated where possible.
   */
  hosts: 'auto' | 'isolated' | 'sshd';
  /** Private hosted zones created at start in the default VPC (playbooks that expect one, like bdash.inside). */
  privateZones: string[];
}

export const DEFAULT_DELAYS: Delays = {
  pendingMs: 3000,
  bootMs: 2000,
  stoppingMs: 2000,
  shuttingDownMs: 2000,
  terminatedVisibleMs: 60 * 60 * 1000,
  route53SyncMs: 1000,
};

export function defaultStateDir(): string {
  return process.env.TSPLAY_LOCALCLOUD_DIR ?? join(tmpdir(), 'tsplay-localcloud');
}

export function defaultOptions(): LocalCloudOptions {
  return {
    host: '127.0.0.1',
    port: 4566,
    region: 'us-east-1',
    accountId: '000000000000',
    accessKeyId: 'AKIALOCALCLOUD000000',
    secretAccessKey: 'localcloud-secret-access-key',
    stateDir: defaultStateDir(),
    network: '127.0',
    delays: { ...DEFAULT_DELAYS },
    elbTimeScale: 1,
    keyName: 'localcloud',
    hosts: 'auto',
    privateZones: [],
  };
}

export type LocalCloudOptionsInput = Partial<Omit<LocalCloudOptions, 'delays'>> & { delays?: Partial<Delays> };

export function resolveOptions(input: LocalCloudOptionsInput = {}): LocalCloudOptions {
  const defaults = defaultOptions();
  const network = input.network ?? defaults.network;
  if (!/^127\.\d{1,3}$/.test(network) || Number(network.split('.')[1]) > 255) {
    throw new Error(`network must be the first two octets of a loopback /16, such as 127.0 (got ${network})`);
  }
  return { ...defaults, ...input, delays: { ...defaults.delays, ...input.delays } };
}
