// The SSH connection: one ssh2 connection per host for the whole run, commands
// multiplexed over long-lived worker shells (remote-shell.ts) so that a command costs
// about one round trip, file operations as single scripts on those workers.
import { homedir } from 'node:os';
import type {
  BecomeOptions,
  Connection,
  FileOptions,
  FileStat,
  MkdirOptions,
  RunOptions,
  RunResult,
  StatOptions,
  WriteOptions,
} from '../connection.js';
import { BecomeError, CommandTimeoutError, UnreachableError } from '../connection.js';
import { ShellFileOps, type ScriptResult } from '../shell-file-ops.js';
import { pyBytesRepr } from '../../template/python/os-error.js';
import { onAbort } from './abort-fanout.js';
import { commandBody, scriptBody, type BodyOptions } from './command-body.js';
import { resolveEndpoint, type Endpoint } from './endpoint.js';
import type { FramedCommand } from './framing.js';
import { ConnectFailure, openClient, type ConnectContext, type OpenedClient } from './open-client.js';
import { runOnPty } from './pty-command.js';
import { RemoteShell, type ShellOutput } from './remote-shell.js';
import { isSessionLimit, SessionPool, type Lease } from './session-pool.js';
import { defaultConfigFiles, localUserName, sshCommandLine, type SshSettings } from './settings.js';
import { loadSshConfig } from './ssh-config.js';
import type { SshOption } from './ssh-options.js';
import { ShellClosedError } from './shell-closed-error.js';
import { terminalClosedMessage } from './terminal-closed-message.js';

const DEFAULT_MAX_SESSIONS = 8;
const DEFAULT_KEEPALIVE_MS = 15_000;
const KILL_GRACE_MS = 2_000;
const KILL_WAIT_ON_CLOSE_MS = 1_000;
// dash's kill builtin takes no negative PIDs; kill(1) does (the group first, else the process).
const KILL_SCRIPT = 'env kill -s KILL -- "-$1" 2>/dev/null || env kill -s KILL -- "$1" 2>/dev/null; exit 0';
const UNREACHABLE_PREFIX = 'Failed to connect to the host via ssh: ';
// A terminal's channel refused for sshd's MaxSessions waits this often for a session to free up.
const TERMINAL_SESSION_ATTEMPTS = 50;
const TERMINAL_SESSION_DELAY_MS = 20;

// Options a jump host inherits when its own config does not set them: the host key
// policy and timeouts the user chose for the run.
const INHERITED_BY_JUMP_HOSTS = new Set([
  'stricthostkeychecking',
  'userknownhostsfile',
  'globalknownhostsfile',
  'hashknownhosts',
  'connecttimeout',
  'serveraliveinterval',
  'serveralivecountmax',
]);

interface Live {
  opened: OpenedClient;
  pool: SessionPool;
  closed: boolean;
}

export class SshConnection implements Connection {
  readonly transport = 'ssh';
  readonly host: string;
  private endpoint: Endpoint | undefined;
  private context: ConnectContext | undefined;
  private live: Live | undefined;
  private connecting: Promise<Live> | undefined;
  /** Kills in flight, which close() lets finish (Ctrl-C closes right after aborting). */
  private readonly kills = new Set<Promise<void>>();
  private readonly files = new ShellFileOps((script, args, options) => this.runScript(script, args, options));

  constructor(readonly settings: SshSettings) {
    this.host = settings.inventoryHost;
  }

  /** The user commands run as (after ~/.ssh/config and defaults), known once connected. */
  get remoteUser(): string | undefined {
    return this.endpoint?.user;
  }

  async connect(): Promise<void> {
    await this.ensureLive();
  }

  async close(): Promise<void> {
    // Commands being killed (timeout, abort) get their kill delivered first, for a while.
    if (this.kills.size > 0) {
      const patience = new Promise((done) => setTimeout(done, KILL_WAIT_ON_CLOSE_MS).unref());
      await Promise.race([Promise.allSettled([...this.kills]), patience]);
    }
    const live = this.live;
    this.live = undefined;
    if (live && !live.closed) {
      live.closed = true;
      live.pool.reset(new UnreachableError(`${UNREACHABLE_PREFIX}the connection to ${this.host} was closed`));
      live.opened.release();
    }
  }

  async run(command: string | readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const result = options.pty && options.stdin === undefined && this.settings.useTty !== false ? await this.runOnTerminal(command, options) : await this.runOnWorker(command, options);
    return this.report(options, result);
  }

  private async runOnWorker(command: string | readonly string[], options: RunOptions): Promise<RunResult> {
    // A session of its own (one more exec, setsid) only when a timeout must kill the
    // whole process group; an abort (the run's Ctrl-C, passed to every module command)
    // kills the command itself, and the connection closes right after.
    const own = options.timeoutMs !== undefined;
    const body: BodyOptions = { env: options.env, cwd: options.cwd, executable: options.executable, ownSession: own };
    const stdin = options.stdin === undefined ? undefined : Buffer.isBuffer(options.stdin) ? options.stdin : Buffer.from(options.stdin, 'utf8');
    const output = await this.execute({ body: commandBody(command, body), stdin }, options.become, options.timeoutMs, options.signal);
    return { rc: output.rc, stdout: output.stdout.toString('utf8'), stderr: output.stderr.toString('utf8') };
  }

  /**
   * A command on a terminal of its own channel (raw, script), as `ssh -tt` runs it: one
   * output stream, and ssh's closing message as stderr. A connection found dead before the
   * channel opened is re-established once; a channel refused for sshd's MaxSessions gets
   * the session of an idle worker.
   */
  private async runOnTerminal(command: string | readonly string[], options: RunOptions): Promise<RunResult> {
    options.signal?.throwIfAborted();
    const body = commandBody(command, { env: options.env, cwd: options.cwd, executable: options.executable });
    for (let attempt = 0; ; attempt++) {
      const live = await this.ensureLive();
      const { endpoint, context } = this.prepare();
      let finished: { rc: number | undefined; output: Buffer };
      try {
        finished = await runOnPty(live.opened.client, {
          body,
          become: this.effectiveBecome(options.become),
          becomeTimeoutMs: context.connectTimeoutMs,
          timeoutMs: options.timeoutMs,
          signal: options.signal,
        });
      } catch (error) {
        // ShellClosedError: the channel did not open, so the command was not sent.
        if (error instanceof ShellClosedError && isSessionLimit(error) && attempt < TERMINAL_SESSION_ATTEMPTS) {
          live.pool.retireIdle();
          await new Promise((done) => setTimeout(done, TERMINAL_SESSION_DELAY_MS));
          continue;
        }
        if (error instanceof ShellClosedError && live.closed && attempt === 0) continue;
        throw this.failure(live, error);
      }
      // No exit status: the connection dropped under the command, or a signal killed it (ssh says 255).
      if (finished.rc === undefined && live.closed) throw this.failure(live, new ShellClosedError('the connection closed'));
      return { rc: finished.rc ?? 255, stdout: finished.output.toString('utf8'), stderr: terminalClosedMessage(endpoint.options, endpoint.hostname) };
    }
  }

  /** At -vvv, a task's own command reports its outcome as Ansible's ssh connection does. */
  private report(options: RunOptions, result: RunResult): RunResult {
    const show = this.settings.onVerbose;
    if (show && options.report) {
      const outcome =
        options.report === 'censored'
          ? `rc=${result.rc}, stdout and stderr censored due to no log`
          : `(${result.rc}, ${pyBytesRepr(Buffer.from(result.stdout, 'utf8'))}, ${pyBytesRepr(Buffer.from(result.stderr, 'utf8'))})`;
      show(outcome, this.settings.host);
      // Ansible's ssh connection logs any exit code from 1 to 254 as a possible connection problem.
      if (result.rc >= 1 && result.rc <= 254) {
        const detail = options.report === 'censored' ? '<error censored due to no log>' : result.stderr.trimEnd();
        show(`Failed to connect to the host via ssh: ${detail}`, this.settings.host);
      }
    }
    return result;
  }

  stat(path: string, options?: StatOptions): Promise<FileStat | undefined> {
    return this.files.stat(path, options);
  }

  readFile(path: string, options?: FileOptions): Promise<Buffer> {
    return this.files.readFile(path, options);
  }

  writeFile(path: string, data: string | Buffer, options?: WriteOptions): Promise<void> {
    return this.files.writeFile(path, data, options);
  }

  checksum(path: string, options?: FileOptions): Promise<string | undefined> {
    return this.files.checksum(path, options);
  }

  mkdirs(path: string, options?: MkdirOptions): Promise<void> {
    return this.files.mkdirs(path, options);
  }

  private async runScript(script: string, args: readonly string[], options: { become?: BecomeOptions | undefined; stdin?: Buffer | undefined }): Promise<ScriptResult> {
    const output = await this.execute({ body: scriptBody(script, args), stdin: options.stdin }, options.become);
    return { rc: output.rc, stdout: output.stdout, stderr: output.stderr.toString('utf8') };
  }

  /**
   * Runs a framed command on a worker of the right identity. A connection found dead
   * before the command was sent is re-established once; a command already sent is
   * never sent again (it may have run).
   */
  private async execute(command: FramedCommand, become: BecomeOptions | undefined, timeoutMs?: number, signal?: AbortSignal): Promise<ShellOutput> {
    signal?.throwIfAborted();
    for (let attempt = 0; ; attempt++) {
      const live = await this.ensureLive();
      const effective = this.effectiveBecome(become);
      let lease: Lease;
      try {
        lease = await live.pool.acquire(identityOf(effective), effective);
      } catch (error) {
        if (error instanceof BecomeError || error instanceof UnreachableError) throw error;
        if (live.closed && attempt === 0) continue;
        throw this.failure(live, error);
      }
      return this.runLeased(live, lease, command, effective, timeoutMs, signal);
    }
  }

  private runLeased(
    live: Live,
    lease: Lease,
    command: FramedCommand,
    become: BecomeOptions | undefined,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ShellOutput> {
    const running = lease.shell.run(command);
    running.then(
      () => live.pool.release(lease),
      () => live.pool.release(lease),
    );
    const settled = running.catch((error: unknown) => {
      throw this.failure(live, error);
    });
    if (timeoutMs === undefined && signal === undefined) return settled;
    return new Promise<ShellOutput>((resolve, reject) => {
      let stopped = false;
      const stop = (reason: unknown) => {
        stopped = true;
        cleanup();
        // Settle once the command is dead (or after a grace period if the host stopped answering).
        const grace = new Promise((done) => setTimeout(done, KILL_GRACE_MS).unref());
        const killing = this.kill(live, lease.shell, become);
        this.kills.add(killing);
        void killing.finally(() => this.kills.delete(killing));
        void Promise.race([killing, grace]).then(() => reject(reason));
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop(new CommandTimeoutError(timeoutMs)), timeoutMs);
      const unsubscribe = signal ? onAbort(signal, () => stop(signal.reason ?? new Error('aborted'))) : undefined;
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        unsubscribe?.();
      };
      // Aborted while waiting for the connection or a worker: the command was sent already.
      if (signal?.aborted) stop(signal.reason ?? new Error('aborted'));
      settled.then(
        (output) => {
          if (stopped) return;
          cleanup();
          resolve(output);
        },
        (error: unknown) => {
          if (stopped) return;
          cleanup();
          reject(error);
        },
      );
    });
  }

  /**
   * Kills the command running on `shell`: its process group when it leads one (started
   * with setsid for a timeout), else the command itself. Through the command's own
   * connection: once that is closed there is nothing to kill through it, and opening a
   * new one would outlive the run.
   */
  private async kill(live: Live, shell: RemoteShell, become: BecomeOptions | undefined): Promise<void> {
    const pid = await shell.currentPid();
    if (pid === undefined || live.closed) return;
    try {
      const lease = await live.pool.acquire(identityOf(become), become);
      await this.runLeased(live, lease, { body: scriptBody(KILL_SCRIPT, [String(pid)]) }, become, undefined, undefined);
    } catch {
      /* the connection is gone too: nothing left to kill through it */
    }
  }

  /** What a failure on a worker means: the host is unreachable when the connection is gone. */
  private failure(live: Live, error: unknown): Error {
    if (error instanceof BecomeError || error instanceof UnreachableError) return error;
    if (live.closed) {
      return new UnreachableError(`${UNREACHABLE_PREFIX}Connection to ${this.endpoint?.hostname ?? this.host} closed by remote host.`, { cause: error });
    }
    if (error instanceof ShellClosedError) return new Error(`the remote shell on ${this.host} ended unexpectedly: ${error.message}`, { cause: error });
    return error instanceof Error ? error : new Error(String(error));
  }

  /** Become only when it changes the user (the login user needs no sudo to be itself). */
  private effectiveBecome(become: BecomeOptions | undefined): BecomeOptions | undefined {
    if (become === undefined) return undefined;
    return become.user === this.endpoint?.user ? undefined : become;
  }

  private ensureLive(): Promise<Live> {
    if (this.live && !this.live.closed) return Promise.resolve(this.live);
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private prepare(): { endpoint: Endpoint; context: ConnectContext } {
    if (this.endpoint && this.context) return { endpoint: this.endpoint, context: this.context };
    const settings = this.settings;
    const home = settings.home ?? homedir();
    const commandLine = sshCommandLine(settings);
    const config = defaultConfigFiles(settings, commandLine).map((file) => loadSshConfig(file, home));
    const localUser = localUserName();
    const agentSocket = settings.agentSocket ?? process.env['SSH_AUTH_SOCK'] ?? undefined;
    const endpoint = resolveEndpoint({ name: settings.host, commandLine: commandLine.options, config, home, localUser, agentSocket: agentSocket || undefined });
    const jumpFallbacks: SshOption[] = commandLine.options.filter((o) => INHERITED_BY_JUMP_HOSTS.has(o.key));
    const context: ConnectContext = {
      config,
      home,
      localUser,
      agentSocket: agentSocket || undefined,
      jumpFallbacks,
      jumpIdentityFiles: endpoint.defaultIdentities ? [] : endpoint.identityFiles,
      defaultKeepaliveMs: settings.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
      connectTimeoutMs: settings.timeoutSeconds * 1000,
      onWarning: settings.onWarning ?? (() => undefined),
    };
    this.endpoint = endpoint;
    this.context = context;
    return { endpoint, context };
  }

  private async open(): Promise<Live> {
    const { endpoint, context } = this.prepare();
    let opened: OpenedClient;
    try {
      opened = await openClient(endpoint, context, this.settings.password);
    } catch (error) {
      const message = error instanceof ConnectFailure ? error.message : error instanceof Error ? error.message : String(error);
      throw new UnreachableError(`${UNREACHABLE_PREFIX}${message}`, { cause: error });
    }
    const timeoutMs = context.connectTimeoutMs;
    const live: Live = {
      opened,
      closed: false,
      pool: new SessionPool((become) => RemoteShell.open(opened.client, become, timeoutMs), this.settings.maxSessions ?? DEFAULT_MAX_SESSIONS),
    };
    opened.client.once('close', () => {
      live.closed = true;
      live.pool.reset(new ShellClosedError('the connection closed'));
      if (this.live === live) this.live = undefined;
    });
    this.live = live;
    return live;
  }
}

/** Workers are shared by commands that run as the same user through the same method. */
function identityOf(become: BecomeOptions | undefined): string {
  if (become === undefined) return 'login';
  return JSON.stringify([become.method || 'sudo', become.user, become.flags ?? null, become.exe ?? null, become.password ?? null]);
}

/** The SSH connection to the inventory host `host` (settings from sshSettingsFromVars). */
export function createSshConnection(host: string, settings: SshSettings): SshConnection {
  return new SshConnection({ ...settings, inventoryHost: host });
}
