// Deciding whether to trust the key a server presents, as OpenSSH does with
// StrictHostKeyChecking: a known key passes; an unknown key fails unless checking is
// off or accept-new (then it is recorded in known_hosts); a changed key fails unless
// checking is off (then passwords are no longer offered); a revoked key always fails.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Endpoint } from './endpoint.js';
import {
  checkHostKey,
  fingerprint,
  keyTypeLabel,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  knownKeyTypes,
  readKnownHosts,
  type KnownHostEntry,
} from './known-hosts.js';

export interface HostKeyDecision {
  accept: boolean;
  /** Why the key was refused (ssh-like wording, with how to fix it). */
  failure?: string | undefined;
  warning?: string | undefined;
  /** The key changed and was accepted anyway: no password authentication. */
  disablePasswords: boolean;
}

// ssh2's names for the host key algorithms of each key type.
const ALGORITHMS_FOR_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};
const DEFAULT_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

// Appends from many connections at once must not interleave or repeat.
const recorded = new Set<string>();

export class HostKeyPolicy {
  private readonly entries: KnownHostEntry[];
  readonly lookupName: string;

  constructor(private readonly endpoint: Endpoint) {
    this.entries = readKnownHosts([...endpoint.userKnownHostsFiles, ...endpoint.globalKnownHostsFiles]);
    this.lookupName = knownHostsName(endpoint.hostKeyAlias ?? endpoint.hostname, endpoint.port);
  }

  /** Host key algorithms, those of already known keys first (so a known host is not taken for a changed one). */
  preferredAlgorithms(): string[] {
    const known = knownKeyTypes(this.entries, this.lookupName).flatMap((type) => ALGORITHMS_FOR_TYPE[type] ?? []);
    return [...new Set([...known, ...DEFAULT_ALGORITHMS])];
  }

  decide(key: Buffer): HostKeyDecision {
    const strict = this.endpoint.strictHostKeyChecking;
    const result = checkHostKey(this.entries, this.lookupName, key);
    const type = keyTypeLabel(keyTypeOf(key));
    const print = fingerprint(key);
    const name = this.lookupName;
    switch (result.status) {
      case 'known':
        return { accept: true, disablePasswords: false };
      case 'revoked':
        return {
          accept: false,
          failure: `Host key verification failed: the ${type} host key for ${name} (${print}) is marked as revoked in ${result.entry.file}:${result.entry.line}.`,
          disablePasswords: false,
        };
      case 'changed': {
        const where = `${result.entry.file}:${result.entry.line}`;
        const removal = `ssh-keygen -f "${result.entry.file}" -R "${name}"`;
        if (strict === 'no') {
          return {
            accept: true,
            disablePasswords: true,
            warning: `The ${type} host key for ${name} has changed (now ${print}; ${where} has another key). Host key checking is off, so the connection goes on without password authentication. Remove the old key with: ${removal}`,
          };
        }
        return {
          accept: false,
          failure:
            `Host key verification failed: the ${type} host key for ${name} has changed and you have requested strict checking ` +
            `(it is now ${print}; ${where} holds another key). Someone could be eavesdropping on you (a man-in-the-middle attack), ` +
            `or the host was rebuilt. If the change is expected, remove the old key with: ${removal}`,
          disablePasswords: false,
        };
      }
      case 'unknown': {
        if (strict === 'no' || strict === 'accept-new') {
          const warning = this.record(key);
          return { accept: true, disablePasswords: false, warning };
        }
        const others = result.otherTypes.length ? ` (keys of other types are known for it: ${result.otherTypes.map((t) => keyTypeLabel(t)).join(', ')})` : '';
        const file = this.endpoint.userKnownHostsFiles[0] ?? '~/.ssh/known_hosts';
        const scan = `ssh-keyscan -t ${keyTypeOf(key)}${this.endpoint.port === 22 ? '' : ` -p ${this.endpoint.port}`} ${this.endpoint.hostname} >> ${file}`;
        return {
          accept: false,
          failure:
            `Host key verification failed: no ${type} host key is known for ${name}${others}; the server presented ${print}. ` +
            `To trust it, check the fingerprint and add it to ${file} (for example: ${scan}), ` +
            `or set host_key_checking = False in ansible.cfg (ANSIBLE_HOST_KEY_CHECKING=False), ` +
            `or accept new hosts with ansible_ssh_common_args='-o StrictHostKeyChecking=accept-new'.`,
          disablePasswords: false,
        };
      }
    }
  }

  /** Adds the key to the first user known_hosts file, as ssh does for hosts it accepts. */
  private record(key: Buffer): string | undefined {
    const file = this.endpoint.userKnownHostsFiles[0];
    const message = `Permanently added '${this.lookupName}' (${keyTypeLabel(keyTypeOf(key))}) to the list of known hosts.`;
    if (file === undefined || file === '/dev/null' || file.toLowerCase() === 'none') return undefined;
    const id = `${file}\0${this.lookupName}\0${key.toString('base64')}`;
    if (recorded.has(id)) return undefined;
    recorded.add(id);
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      appendFileSync(file, `${knownHostsLine(this.lookupName, key, this.endpoint.hashKnownHosts)}\n`, { mode: 0o600 });
      return message;
    } catch (error) {
      return `Failed to add the host to the list of known hosts (${file}): ${(error as Error).message}`;
    }
  }
}
