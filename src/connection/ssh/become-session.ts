// How a worker starts: the command sshd runs for the session channel. A plain worker
// execs /bin/sh; a become worker first goes through sudo or su, which may prompt for
// a password. The password is written to the channel only after the prompt shows up
// (never on a command line), and a worker that needs none never receives it.
import { randomBytes } from 'node:crypto';
import type { BecomeOptions } from '../connection.js';
import { BecomeError } from '../connection.js';
import { shellJoin, shellQuote } from '../shell-quote.js';
import { ShellClosedError } from './shell-closed-error.js';

export interface BecomeBootstrap {
  command: string;
  /** Printed by the worker once it runs (as the become user). */
  readyLine: string;
  /** How many password prompts the stderr text holds. */
  countPrompts(stderr: string): number;
}

const DEFAULT_SUDO_FLAGS = '-H -S -n';

// su prints its PAM prompt, localized; these are the common ones.
const SU_PROMPT = /(?:Password|Passwort|Mot de passe|Contraseña|Senha|Пароль|パスワード|密码|密碼|암호|Wachtwoord|Lösenord|Hasło|Adgangskode|Passord)\s*[:：]\s*/g;

function splitFlags(flags: string | undefined, fallback: string): string[] {
  return (flags ?? fallback).split(/\s+/).filter(Boolean);
}

const newReadyLine = () => `TSPLAY-READY-${randomBytes(8).toString('hex')}`;

/**
 * The login shell runs what `start` makes of the ready line as it is: `start` must make
 * one command that any login shell runs the same way (csh and fish too), with no become.
 */
export function directBootstrap(start: (readyLine: string) => string): BecomeBootstrap {
  const readyLine = newReadyLine();
  return { command: start(readyLine), readyLine, countPrompts: () => 0 };
}

/**
 * The command that escalates (when `become` is given) and then runs what `start` makes of
 * the ready line: it prints that line first, then runs a worker (native-helper.ts) or a
 * single command on a terminal (pty-command.ts).
 */
export function becomeBootstrap(become: BecomeOptions | undefined, start: (readyLine: string) => string): BecomeBootstrap {
  const readyLine = newReadyLine();
  const worker = start(readyLine);
  // The login shell (or su's target shell) may not be a POSIX one (csh, fish): like
  // Ansible, hand it one command that starts /bin/sh. sudo runs /bin/sh itself.
  const inPosixShell = () => `exec /bin/sh -c ${shellQuote(worker)}`;
  if (become === undefined) {
    return { command: inPosixShell(), readyLine, countPrompts: () => 0 };
  }
  const method = become.method || 'sudo';
  if (method === 'sudo') {
    const prompt = `[sudo via tsplay, key=${randomBytes(8).toString('hex')}] password:`;
    let flags = splitFlags(become.flags, DEFAULT_SUDO_FLAGS);
    if (become.password !== undefined && become.password !== '') {
      // -n would refuse to ask; -S reads the answer from the channel, -p lets us spot the question.
      flags = flags.filter((flag) => flag !== '-n');
      if (!flags.includes('-S')) flags.push('-S');
    }
    flags.push('-p', prompt);
    const command = `${shellJoin([become.exe ?? 'sudo', ...flags, '-u', become.user])} /bin/sh -c ${shellQuote(worker)}`;
    return { command, readyLine, countPrompts: (stderr) => stderr.split(prompt).length - 1 };
  }
  if (method === 'su') {
    const command = `${shellJoin([become.exe ?? 'su', ...splitFlags(become.flags, ''), become.user])} -c ${shellQuote(inPosixShell())}`;
    return { command, readyLine, countPrompts: (stderr) => stderr.match(SU_PROMPT)?.length ?? 0 };
  }
  throw new BecomeError(`Privilege escalation method not found: ${method}`);
}

export type BecomeFailureKind = 'missing' | 'incorrect' | 'exited' | 'timeout';

/** The error for a worker that never became ready, worded as Ansible words it. */
export function becomeFailure(become: BecomeOptions | undefined, stderr: string, kind: BecomeFailureKind, timeoutMs = 0): Error {
  const detail = stderr.replace(/\[sudo via tsplay, key=[0-9a-f]+\] password:/g, '').trim();
  if (become === undefined) {
    if (kind === 'timeout') return new ShellClosedError(`the remote shell did not start within ${timeoutMs} ms`);
    return new ShellClosedError(detail || 'the remote shell exited at start', true);
  }
  const method = become.method || 'sudo';
  if (kind === 'missing' || /a password is required|no tty present|terminal is required/.test(detail)) {
    return new BecomeError(`Missing ${method} password`);
  }
  if (kind === 'incorrect' || /incorrect password|Sorry, try again|Authentication failure/i.test(detail)) {
    return new BecomeError(`Incorrect ${method} password`);
  }
  if (kind === 'timeout') {
    return new BecomeError(`Timeout (${Math.round(timeoutMs / 1000)}s) waiting for privilege escalation prompt: ${detail}`);
  }
  return new BecomeError(`${method} to ${become.user} failed: ${detail || 'the become command exited'}`);
}
