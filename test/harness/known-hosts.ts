// known_hosts files for tests, written as ssh-keyscan/ssh would write them.
import { writeFileSync } from 'node:fs';
import type { KeyPair } from '../../localcloud/host/keys.js';
import { knownHostsLine, knownHostsName } from '../../src/connection/ssh/known-hosts.js';

export interface KnownHost {
  address: string;
  port: number;
  hostKeys: readonly KeyPair[];
}

export interface KnownHostsOptions {
  /** Hash the host names (HashKnownHosts yes). */
  hashed?: boolean;
}

export function knownHostsLines(hosts: readonly KnownHost[], options: KnownHostsOptions = {}): string[] {
  return hosts.flatMap((host) =>
    host.hostKeys.map((key) => knownHostsLine(knownHostsName(host.address, host.port), Buffer.from(key.publicKey.split(/\s+/)[1]!, 'base64'), options.hashed ?? false)),
  );
}

export function writeKnownHosts(file: string, hosts: readonly KnownHost[], options: KnownHostsOptions = {}): void {
  writeFileSync(file, `${knownHostsLines(hosts, options).join('\n')}\n`, { mode: 0o600 });
}
