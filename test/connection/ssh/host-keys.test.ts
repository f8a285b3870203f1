// Host key checking against real sshd hosts, with Ansible's and OpenSSH's rules:
// unknown keys fail unless checking is off or accept-new, changed keys fail unless
// checking is off (then only key authentication is offered), as ansible-playbook does.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../src/connection/connection.js';
import { createSshConnection } from '../../../src/connection/ssh/index.js';
import type { SshSettings } from '../../../src/connection/ssh/settings.js';
import { DEPLOY_PASSWORD, DEPLOY_USER, SshLab, generateKeyPair, writeKnownHosts, type Host } from '../../harness/index.js';

const lab = SshLab.create();
let host: Host;

beforeAll(async () => {
  host = await lab.startHost();
});

afterAll(() => lab.stop());

async function whoami(settings: SshSettings): Promise<string> {
  const conn = createSshConnection('h', settings);
  try {
    return (await conn.run('id -un')).stdout.trim();
  } finally {
    await conn.close();
  }
}

function connectError(settings: SshSettings): Promise<UnreachableError> {
  return whoami(settings).then(
    () => {
      throw new Error('connected although it should not have');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(UnreachableError);
      return error as UnreachableError;
    },
  );
}

/** ssh-keygen -F as the judge of what known_hosts holds. */
function recorded(file: string, name: string): string {
  try {
    return execFileSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

describe('host key checking', () => {
  it('refuses an unknown host by default, saying how to accept it', async () => {
    writeFileSync(lab.knownHostsFile, '');
    const error = await connectError(lab.settings(host));
    expect(error.message).toMatch(/^Failed to connect to the host via ssh: Host key verification failed: no ED25519 host key is known for /);
    expect(error.message).toContain(`ssh-keyscan -t ssh-ed25519 ${host.address} >> ${lab.knownHostsFile}`);
    expect(error.message).toContain('ANSIBLE_HOST_KEY_CHECKING=False');
    expect(error.message).toContain('StrictHostKeyChecking=accept-new');
  });

  it('accepts and records an unknown host when checking is off, hashed as the system ssh_config asks', async () => {
    writeFileSync(lab.knownHostsFile, '');
    const warnings: string[] = [];
    expect(await whoami(lab.settings(host, {}, { hostKeyChecking: false }, { onWarning: (w) => warnings.push(w) }))).toBe('root');
    expect(warnings).toEqual([`Permanently added '${host.address}' (ED25519) to the list of known hosts.`]);
    expect(readFileSync(lab.knownHostsFile, 'utf8')).toMatch(/^\|1\|/);
    expect(recorded(lab.knownHostsFile, host.address)).toContain(host.hostKeys[0]!.publicKey.split(' ')[1]);
    // Now known: strict checking passes.
    expect(await whoami(lab.settings(host))).toBe('root');
  });

  it('honours StrictHostKeyChecking=accept-new and UserKnownHostsFile from ssh_common_args', async () => {
    const file = join(lab.dir, 'accept-new-known-hosts');
    const args = { ansible_ssh_common_args: `-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${file}` };
    expect(await whoami(lab.settings(host, args))).toBe('root');
    expect(recorded(file, host.address)).not.toBe('');
    expect(await whoami(lab.settings(host, args))).toBe('root');
  });

  it('refuses a changed key even with accept-new, naming the line to remove', async () => {
    const stale = generateKeyPair();
    writeKnownHosts(lab.knownHostsFile, [{ address: '10.9.9.9', port: 22, hostKeys: [generateKeyPair()] }, { address: host.address, port: 22, hostKeys: [stale] }]);
    for (const extra of [{}, { ansible_ssh_common_args: '-o StrictHostKeyChecking=accept-new' }]) {
      const error = await connectError(lab.settings(host, extra));
      expect(error.message).toContain(`the ED25519 host key for ${host.address} has changed`);
      expect(error.message).toContain(`${lab.knownHostsFile}:2`);
      expect(error.message).toContain(`ssh-keygen -f "${lab.knownHostsFile}" -R "${host.address}"`);
    }
  });

  it('connects to a changed key when checking is off, as ansible-playbook does, but never with a password', async () => {
    writeKnownHosts(lab.knownHostsFile, [{ address: host.address, port: 22, hostKeys: [generateKeyPair()] }]);
    const warnings: string[] = [];
    const settings = lab.settings(host, {}, { hostKeyChecking: false }, { onWarning: (w) => warnings.push(w) });
    expect(await whoami(settings)).toBe('root');
    expect(warnings.join('\n')).toMatch(/has changed.*without password authentication/);
    // Password-only login is refused on that host while its key is the changed one...
    const passwordOnly = lab.settings(host, { ansible_user: DEPLOY_USER, ansible_password: DEPLOY_PASSWORD, ansible_ssh_private_key_file: join(lab.dir, 'none') }, { hostKeyChecking: false });
    expect((await connectError(passwordOnly)).message).toMatch(/Permission denied/);
    // ...and works once the key is known.
    lab.trust([host]);
    expect(await whoami({ ...passwordOnly, hostKeyChecking: true })).toBe(DEPLOY_USER);
  });

  it('reads hashed entries for another port and prefers the key types it knows', async () => {
    const multi = await lab.startHost({ port: 2222, hostKeyTypes: ['ed25519', 'ecdsa'] });
    // Only the ECDSA key is known: asking for ED25519 first would look like a changed or unknown host.
    writeKnownHosts(lab.knownHostsFile, [{ address: multi.address, port: 2222, hostKeys: [multi.hostKeys[1]!] }], { hashed: true });
    expect(readFileSync(lab.knownHostsFile, 'utf8')).not.toContain(multi.address);
    expect(await whoami(lab.settings(multi))).toBe('root');
    writeKnownHosts(lab.knownHostsFile, [{ address: multi.address, port: 22, hostKeys: multi.hostKeys }]);
    expect((await connectError(lab.settings(multi))).message).toContain(`no ED25519 host key is known for [${multi.address}]:2222`);
  });

  it('fails on a key marked @revoked whatever the checking mode', async () => {
    writeFileSync(lab.knownHostsFile, `@revoked * ${host.hostKeys[0]!.publicKey}\n`);
    const error = await connectError(lab.settings(host, {}, { hostKeyChecking: false }));
    expect(error.message).toContain('is marked as revoked');
  });
});
