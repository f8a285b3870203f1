// What makes one host different from the others: its name, host keys, sshd_config,
// users, authorized keys and sudo rules. The controller writes these as files into
// the host's conf/ directory; the generated setup.sh installs them from inside the
// host's own root filesystem, so none of it touches the machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '../../src/connection/shell-quote.js';
import type { KeyPair } from './keys.js';

export interface HostUser {
  name: string;
  /** Login password, also the sudo password when sudo is 'password'. */
  password?: string | undefined;
  /** sudo rights: 'password' (ALL, asks the user's password), 'nopasswd', or none. */
  sudo?: 'password' | 'nopasswd' | 'none' | undefined;
  /** Public keys accepted for this user (authorized_keys lines). */
  authorizedKeys?: readonly string[] | undefined;
  /** Login shell; /bin/bash when unset. */
  shell?: string | undefined;
}

export interface HostLayout {
  address: string;
  /** Where the writable layer lives across restarts; undefined for a tmpfs. */
  dataDir?: string | undefined;
  hostname: string;
  hostKeys: readonly KeyPair[];
  sshdConfig: string;
  rootAuthorizedKeys: readonly string[];
  rootPassword?: string | undefined;
  users: readonly HostUser[];
  etcHosts: Readonly<Record<string, string>>;
  bootDelayMs: number;
}

const USER_NAME = /^[a-z_][a-z0-9_.-]*$/;

/** Writes conf/ for the boot script (files only readable by root: they hold keys and passwords). */
export function writeHostConf(confDir: string, layout: HostLayout): void {
  mkdirSync(join(confDir, 'keys'), { recursive: true, mode: 0o700 });
  const file = (name: string, text: string) => writeFileSync(join(confDir, name), text, { mode: 0o600 });
  file('hostname', `${layout.hostname}\n`);
  file('boot-delay', `${(layout.bootDelayMs / 1000).toFixed(3)}\n`);
  file('data-dir', layout.dataDir !== undefined ? `${layout.dataDir}\n` : '');
  file('sshd_config', layout.sshdConfig);
  const hosts = [`${layout.address}\t${layout.hostname}`];
  for (const [name, address] of Object.entries(layout.etcHosts)) hosts.push(`${address}\t${name}`);
  file('etc-hosts', `${hosts.join('\n')}\n`);
  for (const key of layout.hostKeys) {
    file(`ssh_host_${key.type}_key`, key.privateKey.endsWith('\n') ? key.privateKey : `${key.privateKey}\n`);
    file(`ssh_host_${key.type}_key.pub`, `${key.publicKey}\n`);
  }
  file('keys/root', layout.rootAuthorizedKeys.map((k) => `${k.trim()}\n`).join(''));
  const passwords: string[] = [];
  if (layout.rootPassword !== undefined) passwords.push(`root:${layout.rootPassword}`);
  for (const user of layout.users) {
    if (!USER_NAME.test(user.name)) throw new Error(`invalid user name for a host: ${JSON.stringify(user.name)}`);
    file(`keys/${user.name}`, (user.authorizedKeys ?? []).map((k) => `${k.trim()}\n`).join(''));
    if (user.password !== undefined) {
      if (/[\n:]/.test(user.password)) throw new Error(`the password of ${user.name} may not contain ':' or a newline`);
      passwords.push(`${user.name}:${user.password}`);
    }
  }
  file('passwords', passwords.map((p) => `${p}\n`).join(''));
  file('setup.sh', setupScript(layout));
}

function setupScript(layout: HostLayout): string {
  const lines = [
    'set -eu',
    'C=/run/tsplay-setup',
    // Our lines in /etc/hosts go between markers, so a restarted host does not repeat them.
    "sed -i '/^# tsplay-host begin$/,/^# tsplay-host end$/d' /etc/hosts",
    "{ echo '# tsplay-host begin'; cat \"$C/etc-hosts\"; echo '# tsplay-host end'; } >> /etc/hosts",
    // Only this host's keys: the machine's own host keys must not leak into it.
    'rm -f /etc/ssh/ssh_host_*',
    ...layout.hostKeys.flatMap((key) => [
      `install -m 600 "$C/ssh_host_${key.type}_key" /etc/ssh/ssh_host_${key.type}_key`,
      `install -m 644 "$C/ssh_host_${key.type}_key.pub" /etc/ssh/ssh_host_${key.type}_key.pub`,
    ]),
    'install -m 644 "$C/sshd_config" /etc/ssh/sshd_config',
    'mkdir -p -m 700 /root/.ssh',
    'install -m 600 "$C/keys/root" /root/.ssh/authorized_keys',
  ];
  for (const user of layout.users) {
    const name = shellQuote(user.name);
    const shell = shellQuote(user.shell ?? '/bin/bash');
    lines.push(
      `id -u ${name} >/dev/null 2>&1 || useradd -m -s ${shell} ${name}`,
      `home=$(getent passwd ${name} | cut -d: -f6)`,
      'mkdir -p -m 700 "$home/.ssh"',
      `install -m 600 "$C/keys/"${name} "$home/.ssh/authorized_keys"`,
      `chown -R ${name}: "$home/.ssh"`,
    );
    if (user.sudo === 'password' || user.sudo === 'nopasswd') {
      const rule = `${user.name} ALL=(ALL:ALL) ${user.sudo === 'nopasswd' ? 'NOPASSWD: ' : ''}ALL`;
      lines.push(`printf '%s\\n' ${shellQuote(rule)} > /etc/sudoers.d/tsplay-${user.name}`);
      lines.push(`chmod 440 /etc/sudoers.d/tsplay-${user.name}`);
    }
  }
  // SHA-512 rather than Debian's default yescrypt: every sudo with a password checks it.
  lines.push('[ ! -s "$C/passwords" ] || chpasswd -c SHA512 < "$C/passwords"');
  return `${lines.join('\n')}\n`;
}
