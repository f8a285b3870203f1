// One command on a pseudo-terminal, in a session channel of its own, as `ssh -tt` runs it:
// Ansible's ssh connection runs raw and script that way (a terminal unless data is piped
// in). The terminal merges stderr into stdout and turns "\n" into "\r\n"; the command sees
// a tty. Privilege escalation happens on the same terminal, as with Ansible: sudo's or
// su's prompt shows in the output, the password is written after it, and the prompt and
// ready lines are dropped from the output as Ansible drops them (escalation-reader.ts).
import type { Client, ClientChannel } from 'ssh2';
import type { BecomeOptions } from '../connection.js';
import { CommandTimeoutError } from '../connection.js';
import { becomeBootstrap, becomeFailure } from './become-session.js';
import { EscalationReader } from './escalation-reader.js';
import { ShellClosedError } from './shell-closed-error.js';

// The terminal modes OpenSSH's client sends when its stdin is a fresh Linux pty, which is
// what Ansible gives it: 38400 baud, the usual control characters, ICRNL IXON, ISIG ICANON
// ECHO ECHOE ECHOK IEXTEN ECHOCTL ECHOKE, OPOST ONLCR, CS8 (captured from ssh 9.2).
const OPENSSH_PTY_MODES = Buffer.from(
  '810000960080000096000100000003020000001c030000007f0400000015050000000406000000ff07000000ff080000001109000000130a0000001a0c000000120d000000170e00000016120000000f1e000000001f0000000020000000002100000000220000000023000000002400000001250000000026000000012700000000280000000029000000002a00000000320000000133000000013400000000350000000136000000013700000001380000000039000000003a000000003b000000013c000000013d000000013e0000000046000000014700000000480000000149000000004a000000004b000000005a000000015b000000015c000000005d00000000',
  'hex',
);

export interface PtyCommand {
  /** Shell text for sshd to run with the login user's shell. */
  body: string;
  become: BecomeOptions | undefined;
  /** Escalation must reach its ready line within this long. */
  becomeTimeoutMs: number;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface PtyOutput {
  /** Undefined when the channel closed without an exit status (signal, connection lost). */
  rc: number | undefined;
  /** Everything the terminal showed (stdout and stderr together). */
  output: Buffer;
}

/** A terminal channel and the exit status it reported (undefined until it does). */
interface PtyChannel {
  channel: ClientChannel;
  exit: { code?: number };
}

/**
 * Opens a session channel with a terminal and starts `command` in it. The exit status is
 * listened for at once: a quick command's output, exit-status and close can arrive in one
 * read, and ssh2 emits 'exit' as it parses it, before anyone awaiting the channel runs.
 */
function openPtyChannel(client: Client, command: string): Promise<PtyChannel> {
  // Ansible's ssh gets a new pty as stdin: no window size; TERM is the controller's (ssh2
  // sends vt100 for none). ssh2 sends encoded modes as they are; its types know only objects.
  const pty = { rows: 0, cols: 0, width: 0, height: 0, term: process.env['TERM'] ?? '', modes: OPENSSH_PTY_MODES as unknown as Record<string, number> };
  return new Promise((resolve, reject) => {
    client.exec(command, { pty }, (error, channel) => {
      if (error) return reject(new ShellClosedError(error.message));
      const exit: PtyChannel['exit'] = {};
      channel.on('exit', (code: number | null) => {
        if (typeof code === 'number') exit.code = code;
      });
      resolve({ channel, exit });
    });
  });
}

/**
 * Runs `command.body` on a terminal. Rejects with a BecomeError when escalation fails,
 * ShellClosedError when the channel cannot be opened, CommandTimeoutError after
 * `timeoutMs`, and the signal's reason when aborted; a stopped command's terminal is
 * closed, which hangs up its processes.
 */
export async function runOnPty(client: Client, command: PtyCommand): Promise<PtyOutput> {
  const { become } = command;
  const bootstrap = become === undefined ? undefined : becomeBootstrap(become, (readyLine) => `echo ${readyLine}; ${command.body}`);
  const { channel, exit } = await openPtyChannel(client, bootstrap?.command ?? command.body);
  return new Promise<PtyOutput>((resolve, reject) => {
    const reader = bootstrap === undefined ? undefined : new EscalationReader(bootstrap.readyLine, bootstrap.countPrompts);
    let escalated = reader === undefined;
    let passwordSent = false;
    const chunks: Buffer[] = [];
    let settled = false;

    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(becomeTimer);
      command.signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) {
        channel.close();
        reject(error);
      } else {
        resolve({ rc: exit.code, output: Buffer.concat(chunks) });
      }
    };
    const failEscalation = (kind: 'missing' | 'incorrect' | 'exited' | 'timeout') =>
      settle(becomeFailure(become, reader?.transcript ?? '', kind, command.becomeTimeoutMs));

    const onData = (chunk: Buffer) => {
      if (escalated) {
        chunks.push(chunk);
        return;
      }
      reader!.push(chunk);
      if (reader!.ready) {
        escalated = true;
        clearTimeout(becomeTimer);
        chunks.push(reader!.output);
        return;
      }
      if (reader!.prompts === 0 || (passwordSent && reader!.prompts === 1)) return;
      if (become?.password === undefined || become.password === '') return failEscalation('missing');
      if (reader!.prompts > 1) return failEscalation('incorrect');
      passwordSent = true;
      channel.write(`${become.password}\n`);
    };
    const onAbort = () => settle(command.signal?.reason ?? new Error('aborted'));

    const timer = command.timeoutMs === undefined ? undefined : setTimeout(() => settle(new CommandTimeoutError(command.timeoutMs!)), command.timeoutMs);
    const becomeTimer = escalated ? undefined : setTimeout(() => failEscalation('timeout'), command.becomeTimeoutMs);
    channel.on('data', onData);
    channel.stderr.on('data', onData);
    channel.on('close', () => (escalated ? settle() : failEscalation((reader?.prompts ?? 0) > 0 ? 'incorrect' : 'exited')));
    if (command.signal?.aborted) onAbort();
    else command.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
