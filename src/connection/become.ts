// Wraps a command in the become method. The password, when there is one, is fed on
// standard input (never on the command line), so it shows in no process list.
import type { BecomeOptions } from './connection.js';
import { shellJoin } from './shell-quote.js';

export interface BecomeCommand {
  argv: string[];
  /** Written to stdin before the command's own input. */
  passwordLine?: string;
}

const DEFAULT_FLAGS: Record<string, string> = { sudo: '-H -S -n', su: '' };

export function becomeCommand(argv: readonly string[], become: BecomeOptions): BecomeCommand {
  const method = become.method || 'sudo';
  const inner = shellJoin(argv);
  if (method === 'sudo') {
    let flags = (become.flags ?? DEFAULT_FLAGS.sudo!).split(/\s+/).filter(Boolean);
    const out: BecomeCommand = { argv: [] };
    if (become.password !== undefined && become.password !== '') {
      // -n would refuse to ask; -S reads the password from stdin; an empty prompt keeps stderr clean.
      flags = flags.filter((f) => f !== '-n');
      if (!flags.includes('-S')) flags.push('-S');
      flags.push('-p', '');
      out.passwordLine = `${become.password}\n`;
    }
    out.argv = [become.exe ?? 'sudo', ...flags, '-u', become.user, '/bin/sh', '-c', inner];
    return out;
  }
  if (method === 'su') {
    const flags = (become.flags ?? '').split(/\s+/).filter(Boolean);
    const out: BecomeCommand = { argv: [become.exe ?? 'su', ...flags, become.user, '-s', '/bin/sh', '-c', inner] };
    if (become.password) out.passwordLine = `${become.password}\n`;
    return out;
  }
  throw new Error(`Privilege escalation method not found: ${method}`);
}
