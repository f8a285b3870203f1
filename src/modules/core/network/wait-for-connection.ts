// wait_for_connection: waits until the host's connection works again (after a reboot,
// a restarted sshd...): the connection is closed and reopened, then a trivial command
// must run, retried every `sleep` seconds until `timeout`. Skipped in check mode, as
// Ansible's action plugin does.
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';

export interface WaitForConnectionArgs {
  connect_timeout: number;
  delay: number;
  sleep: number;
  timeout: number;
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/** Fails when `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} seconds`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

export async function runWaitForConnection(args: WaitForConnectionArgs, ctx: ModuleContext): Promise<ModuleResult> {
  if (ctx.checkMode) return { skipped: true };
  const start = Date.now();
  if (args.delay) await pause(args.delay * 1000, ctx.signal);
  const end = start + args.timeout * 1000;
  const connection = ctx.connection;
  let lastError: unknown;
  for (;;) {
    try {
      await connection.close();
      await within(connection.connect(), args.connect_timeout * 1000);
      const ping = await within(connection.run(['/bin/sh', '-c', 'echo pong'], { become: ctx.become }), args.connect_timeout * 1000);
      if (ping.stdout.trim() !== 'pong') throw new Error('ping test failed');
      return { changed: false, elapsed: Math.floor((Date.now() - start) / 1000) };
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= end || ctx.signal.aborted) break;
    await pause(args.sleep * 1000, ctx.signal);
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new ModuleFailure(`timed out waiting for ping module test: ${reason}`, { elapsed: Math.floor((Date.now() - start) / 1000) });
}

export const waitForConnectionModule: ModuleDefinition<WaitForConnectionArgs> = {
  name: 'ansible.builtin.wait_for_connection',
  argSpec: {
    connect_timeout: { type: 'int', default: 5 },
    delay: { type: 'int', default: 0 },
    sleep: { type: 'int', default: 1 },
    timeout: { type: 'int', default: 600 },
  },
  // The check-mode skip is the plugin's own (a result with skipped), not the generic one.
  supportsCheckMode: true,
  run: runWaitForConnection,
};
