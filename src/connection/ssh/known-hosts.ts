// known_hosts files as OpenSSH reads and writes them: plain and hashed (|1|salt|hash)
// host fields, [host]:port for other ports than 22, negated patterns, @revoked and
// @cert-authority markers.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { matchPatternList } from './host-patterns.js';

export interface KnownHostEntry {
  file: string;
  line: number;
  marker: 'revoked' | 'cert-authority' | undefined;
  hosts: string;
  keyType: string;
  key: Buffer;
}

export type HostKeyStatus =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown'; otherTypes: string[] }
  | { status: 'changed'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry };

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!.slice(1);
      if (name !== 'revoked' && name !== 'cert-authority') return;
      marker = name;
    }
    const [hosts, keyType, base64] = fields;
    if (hosts === undefined || keyType === undefined || base64 === undefined) return;
    const key = Buffer.from(base64, 'base64');
    if (key.length === 0) return;
    entries.push({ file, line: index + 1, marker, hosts, keyType, key });
  });
  return entries;
}

export function readKnownHosts(files: readonly string[]): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const file of files) {
    if (file === '/dev/null' || file.toLowerCase() === 'none') continue;
    try {
      entries.push(...parseKnownHosts(readFileSync(file, 'utf8'), file));
    } catch {
      /* a missing known_hosts file knows no hosts */
    }
  }
  return entries;
}

/** The name a host is recorded under: "host" on port 22, "[host]:port" otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function hostFieldMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (salt === undefined || hash === undefined) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  return matchPatternList(hosts.split(','), name);
}

/** The algorithm name inside an SSH public key blob (ssh-ed25519, ssh-rsa, ...). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString('latin1');
}

/** OpenSSH's fingerprint: SHA256:<base64 without padding>. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** ED25519, RSA, ECDSA... as ssh names key types in its messages. */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-dss') return 'DSA';
  return keyType;
}

/** What the files say about this key for this host name. */
export function checkHostKey(entries: readonly KnownHostEntry[], name: string, key: Buffer): HostKeyStatus {
  const type = keyTypeOf(key);
  const forHost = entries.filter((entry) => hostFieldMatches(entry.hosts, name));
  const revoked = entries.find((entry) => entry.marker === 'revoked' && entry.key.equals(key));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((entry) => entry.marker === undefined);
  const same = plain.find((entry) => entry.key.equals(key));
  if (same) return { status: 'known', entry: same };
  const sameType = plain.find((entry) => keyTypeOf(entry.key) === type);
  if (sameType) return { status: 'changed', entry: sameType };
  return { status: 'unknown', otherTypes: [...new Set(plain.map((entry) => keyTypeOf(entry.key)))] };
}

/** Key types recorded for the host, so that the connection asks the server for those first. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  return [
    ...new Set(entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, name)).map((e) => keyTypeOf(e.key))),
  ];
}

/** A known_hosts line for the key, with the host field hashed when asked (HashKnownHosts). */
export function knownHostsLine(name: string, key: Buffer, hashed: boolean): string {
  let hosts = name;
  if (hashed) {
    const salt = randomBytes(20);
    hosts = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  return `${hosts} ${keyTypeOf(key)} ${key.toString('base64')}`;
}
