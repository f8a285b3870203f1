// The sshd_config a host starts with: Debian's defaults that matter, bound to the
// host's own address, with the caller's options on top.
import type { KeyPair } from './keys.js';

export type SshdOptions = Record<string, string | number | readonly string[]>;

export function sshdConfig(addresses: readonly string[], port: number, hostKeys: readonly KeyPair[], extra: SshdOptions = {}): string {
  const options: SshdOptions = {
    ListenAddress: addresses.map((address) => `${address}:${port}`),
    HostKey: hostKeys.map((key) => `/etc/ssh/ssh_host_${key.type}_key`),
    PidFile: '/run/sshd.pid',
    PermitRootLogin: 'yes',
    PubkeyAuthentication: 'yes',
    PasswordAuthentication: 'yes',
    KbdInteractiveAuthentication: 'no',
    UsePAM: 'yes',
    PrintMotd: 'no',
    AcceptEnv: 'LANG LC_*',
    Subsystem: 'sftp /usr/lib/openssh/sftp-server',
    // Tests open many connections at once; Debian's 10:30:100 would drop some of them.
    MaxStartups: '200',
    LogLevel: 'INFO',
  };
  for (const [key, value] of Object.entries(extra)) {
    const existing = Object.keys(options).find((k) => k.toLowerCase() === key.toLowerCase());
    if (existing !== undefined) delete options[existing];
    options[key] = value;
  }
  const lines: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${key} ${v}`);
  }
  return `${lines.join('\n')}\n`;
}
