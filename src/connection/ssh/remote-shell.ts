// One worker: a long-lived POSIX shell on the host, in one SSH session channel, that
// runs commands sent to it one at a time (see framing.ts for the protocol). A worker
// runs as the login user or, after one sudo/su at its start, as the become user:
// privilege escalation costs one password check per worker, not one per command.
import { randomBytes } from 'node:crypto';
import type { Client, ClientChannel } from 'ssh2';
import { frameCommand, RecordSplitter, type FrameRecord, type FramedCommand } from './framing.js';
import { becomeBootstrap, becomeFailure, directBootstrap, type BecomeBootstrap } from './become-session.js';
import type { BecomeOptions } from '../connection.js';
import { ShellClosedError } from './shell-closed-error.js';
import { helperStart, nativeFds, nativeInit, workerStart } from './native-helper.js';

/** Connections whose login shell could not start perl: their workers start in /bin/sh. */
const withoutPerl = new WeakSet<Client>();

export interface ShellOutput {
  rc: number;
  stdout: Buffer;
  stderr: Buffer;
}

interface Pending {
  id: number;
  stdout: Buffer[];
  stderr: Buffer[];
  outStarted: boolean;
  errStarted: boolean;
  rc: number | undefined;
  errEnded: boolean;
  pid: number | undefined;
  pidWaiters: ((pid: number | undefined) => void)[];
  resolve: (output: ShellOutput) => void;
  reject: (error: Error) => void;
}

export class RemoteShell {
  private readonly tag = randomBytes(12).toString('hex');
  private nextId = 1;
  private current: Pending | undefined;
  private closedReason: Error | undefined;

  private constructor(
    private readonly channel: ClientChannel,
    /** The worker has the file helper beside it (native-helper.ts). */
    private readonly native: boolean,
  ) {}

  /**
   * Opens a session channel and starts the worker, escalating privileges first when
   * `become` is given. Rejects with ShellClosedError when the channel cannot be opened,
   * and with the become failure (wrong or missing password...) when escalation fails.
   */
  static async open(client: Client, become: BecomeOptions | undefined, timeoutMs: number): Promise<RemoteShell> {
    if (become === undefined && !withoutPerl.has(client)) {
      try {
        return await RemoteShell.start(client, directBootstrap(helperStart), undefined, timeoutMs);
      } catch (error) {
        if (!(error instanceof ShellClosedError && error.exitedAtStart)) throw error;
        withoutPerl.add(client);
      }
    }
    return RemoteShell.start(client, becomeBootstrap(become, workerStart), become, timeoutMs);
  }

  private static start(client: Client, bootstrap: BecomeBootstrap, become: BecomeOptions | undefined, timeoutMs: number): Promise<RemoteShell> {
    return new Promise((resolve, reject) => {
      client.exec(bootstrap.command, (error, channel) => {
        if (error) return reject(new ShellClosedError(error.message));
        awaitReady(channel, bootstrap, become, timeoutMs).then(
          (rest) => {
            const fds = nativeFds(rest);
            // Runs in the worker shell before any command (it prints nothing).
            if (fds) channel.write(nativeInit(fds));
            resolve(new RemoteShell(channel, fds !== undefined).listen());
          },
          (failure: Error) => {
            channel.destroy();
            reject(failure);
          },
        );
      });
    });
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  private listen(): this {
    const out = new RecordSplitter(this.tag, (b) => this.onBytes('out', b), (r) => this.onRecord('out', r));
    const err = new RecordSplitter(this.tag, (b) => this.onBytes('err', b), (r) => this.onRecord('err', r));
    this.channel.on('data', (chunk: Buffer) => out.push(chunk));
    this.channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    this.channel.on('close', () => this.fail(new ShellClosedError('the remote shell closed')));
    this.channel.on('error', (error: Error) => this.fail(new ShellClosedError(error.message)));
    return this;
  }

  /** Runs one command; the caller must not start another before this one settles. */
  run(command: FramedCommand): Promise<ShellOutput> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    if (this.current) return Promise.reject(new Error('worker is busy'));
    const id = this.nextId++;
    // The frame id makes the helper's answers this command's own (nativeInit).
    const script = frameCommand(this.tag, id, this.native ? { ...command, body: `tsplay_frame=${id}\n${command.body}` } : command);
    return new Promise((resolve, reject) => {
      this.current = {
        id,
        stdout: [],
        stderr: [],
        outStarted: false,
        errStarted: false,
        rc: undefined,
        errEnded: false,
        pid: undefined,
        pidWaiters: [],
        resolve,
        reject,
      };
      this.channel.write(script);
    });
  }

  /** PID of the running command (its process group when started in a session of its own). */
  currentPid(): Promise<number | undefined> {
    const current = this.current;
    if (!current) return Promise.resolve(undefined);
    if (current.pid !== undefined) return Promise.resolve(current.pid);
    return new Promise((resolve) => current.pidWaiters.push(resolve));
  }

  close(): void {
    this.fail(new ShellClosedError('the worker was closed'));
    this.channel.end('exit\n');
  }

  private onBytes(stream: 'out' | 'err', bytes: Buffer): void {
    const current = this.current;
    if (!current) return; // stray output of a process left running by an earlier command
    if (stream === 'out' && current.outStarted && current.rc === undefined) current.stdout.push(bytes);
    if (stream === 'err' && current.errStarted && !current.errEnded) current.stderr.push(bytes);
  }

  private onRecord(stream: 'out' | 'err', record: FrameRecord): void {
    const current = this.current;
    if (!current || record.id !== current.id) return;
    if (record.kind === 'S') {
      if (stream === 'out') current.outStarted = true;
      else current.errStarted = true;
    } else if (record.kind === 'P' && stream === 'out') {
      current.pid = Number(record.value);
      for (const waiter of current.pidWaiters.splice(0)) waiter(current.pid);
    } else if (record.kind === 'E') {
      if (stream === 'out') current.rc = Number(record.value);
      else current.errEnded = true;
      if (current.rc !== undefined && current.errEnded) {
        this.current = undefined;
        current.resolve({ rc: current.rc, stdout: Buffer.concat(current.stdout), stderr: Buffer.concat(current.stderr) });
      }
    }
  }

  private fail(reason: Error): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    const current = this.current;
    this.current = undefined;
    if (current) {
      for (const waiter of current.pidWaiters.splice(0)) waiter(undefined);
      current.reject(reason);
    }
  }
}

/**
 * Waits for the worker's ready line, answering a password prompt on the way; resolves
 * with the rest of that line (the helper's fds, see nativeFds) and its newline.
 */
function awaitReady(channel: ClientChannel, bootstrap: BecomeBootstrap, become: BecomeOptions | undefined, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let prompts = 0;
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      channel.removeListener('data', onOut);
      channel.stderr.removeListener('data', onErr);
      channel.removeListener('close', onClose);
      if (error) reject(error);
      else resolve(stdout.slice(stdout.indexOf(bootstrap.readyLine) + bootstrap.readyLine.length));
    };
    const timer = setTimeout(
      () => settle(becomeFailure(become, stderr, 'timeout', timeoutMs)),
      timeoutMs,
    );
    const onOut = (chunk: Buffer) => {
      stdout += chunk.toString('latin1');
      const at = stdout.indexOf(bootstrap.readyLine);
      if (at >= 0 && stdout.indexOf('\n', at) >= 0) settle();
    };
    const onErr = (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const seen = bootstrap.countPrompts(stderr);
      if (seen <= prompts) return;
      prompts = seen;
      if (become?.password === undefined || become.password === '') return settle(becomeFailure(become, stderr, 'missing'));
      if (prompts > 1) return settle(becomeFailure(become, stderr, 'incorrect'));
      channel.write(`${become.password}\n`);
    };
    const onClose = () => settle(becomeFailure(become, stderr, prompts > 0 ? 'incorrect' : 'exited'));
    channel.on('data', onOut);
    channel.stderr.on('data', onErr);
    channel.on('close', onClose);
  });
}
