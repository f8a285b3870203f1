// tsplay-localcloud: start (foreground, or --detach), stop, env, status.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LocalCloud, envLines, startLocalCloud } from './cloud.js';
import { isAlive, killTree } from './instances/process-tree.js';
import { type Delays, type LocalCloudOptionsInput, defaultStateDir, resolveOptions } from './options.js';

const USAGE = `usage: tsplay-localcloud <command> [options]

commands:
  start            run the local cloud in the foreground (Ctrl-C stops it)
  start --detach   run it in the background and return once it answers
  stop             stop it: every instance, listener and process it started
  env              print the export lines that point AWS clients at it
  status           say whether it runs, and where

options:
  --port N                 API port (default 4566)
  --region NAME            region (default us-east-1)
  --state-dir DIR          key pair, pid/state file and logs (default $TSPLAY_LOCALCLOUD_DIR or /tmp/tsplay-localcloud)
  --network 127.X          loopback /16 of the default VPC (default 127.0)
  --terminated-visible-ms N  how long terminated instances stay visible (default 3600000)
  --private-zone NAME      create a private hosted zone in the default VPC at start (repeatable)
  --hosts KIND             what instances run on: isolated (own namespaces and root filesystem),
                           sshd (a plain sshd sharing this machine's files) or auto (default)
  --elb-time-scale F       factor on ELB seconds: health check interval/timeout, deregistration delay (default 1)
  --pending-ms N           pending -> running (default 3000)
  --boot-ms N              running -> sshd up (default 2000)
  --stopping-ms N          stopping -> stopped (default 2000)
  --shutting-down-ms N     shutting-down -> terminated (default 2000)
  --route53-sync-ms N      change PENDING -> INSYNC (default 1000)
`;

export interface StateFile {
  pid: number;
  endpoint: string;
  region: string;
  keyPath: string;
  keyName: string;
  stateDir: string;
  /** Processes of the instances' hosts, for cleanup if the cloud died. */
  hostPids: number[];
  env: string[];
}

class UsageError extends Error {}

const DELAY_FLAGS: Record<string, keyof Delays> = {
  '--pending-ms': 'pendingMs',
  '--boot-ms': 'bootMs',
  '--stopping-ms': 'stoppingMs',
  '--shutting-down-ms': 'shuttingDownMs',
  '--route53-sync-ms': 'route53SyncMs',
  '--terminated-visible-ms': 'terminatedVisibleMs',
};

interface Parsed {
  command: string | undefined;
  detach: boolean;
  options: LocalCloudOptionsInput;
  /** The arguments a detached child gets (all but --detach). */
  passthrough: string[];
}

function number(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`${flag} needs a non-negative number`);
  return value;
}

export function parseArguments(argv: string[]): Parsed {
  const parsed: Parsed = { command: undefined, detach: false, options: {}, passthrough: [] };
  const delays: Partial<Delays> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      parsed.passthrough.push(flag, next);
      return next;
    };
    if (flag === '--detach' || flag === '-d') parsed.detach = true;
    else if (flag === '--port') parsed.options.port = number(flag, value());
    else if (flag === '--region') parsed.options.region = value();
    else if (flag === '--state-dir') parsed.options.stateDir = value();
    else if (flag === '--network') parsed.options.network = value();
    else if (flag === '--private-zone') parsed.options.privateZones = [...(parsed.options.privateZones ?? []), value()];
    else if (flag === '--hosts') {
      const kind = value();
      if (kind !== 'auto' && kind !== 'isolated' && kind !== 'sshd') throw new UsageError('--hosts is auto, isolated or sshd');
      parsed.options.hosts = kind;
    } else if (flag === '--elb-time-scale') parsed.options.elbTimeScale = number(flag, value());
    else if (flag in DELAY_FLAGS) delays[DELAY_FLAGS[flag] as keyof Delays] = number(flag, value());
    else if (flag === '--help' || flag === '-h') parsed.command = 'help';
    else if (!flag.startsWith('-') && parsed.command === undefined) parsed.command = flag;
    else throw new UsageError(`unknown argument: ${arg}`);
  }
  if (Object.keys(delays).length > 0) parsed.options.delays = delays;
  return parsed;
}

function statePath(stateDir: string): string {
  return join(stateDir, 'localcloud.json');
}

export function readState(stateDir: string): StateFile | undefined {
  try {
    return JSON.parse(readFileSync(statePath(stateDir), 'utf8')) as StateFile;
  } catch {
    return undefined;
  }
}

function writeState(cloud: LocalCloud): void {
  const state: StateFile = {
    pid: process.pid,
    endpoint: cloud.endpoint,
    region: cloud.options.region,
    keyPath: cloud.keyPath,
    keyName: cloud.options.keyName,
    stateDir: cloud.options.stateDir,
    hostPids: cloud.ec2.fleet.hostPids(),
    env: cloud.envLines(),
  };
  writeFileSync(statePath(cloud.options.stateDir), `${JSON.stringify(state, null, 2)}\n`);
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/_localcloud/health`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function runForeground(options: LocalCloudOptionsInput): Promise<number> {
  const stateDir = options.stateDir ?? defaultStateDir();
  const running = readState(stateDir);
  if (running && isAlive(running.pid)) {
    process.stderr.write(`tsplay-localcloud: already running (pid ${running.pid}, ${running.endpoint})\n`);
    return 1;
  }
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({ ...options, stateDir });
  } catch (error) {
    process.stderr.write(`tsplay-localcloud: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  writeState(cloud);
  const refresh = setInterval(() => writeState(cloud), 2000);
  process.stderr.write(`tsplay-localcloud: listening on ${cloud.endpoint} (region ${cloud.options.region}, key pair '${cloud.options.keyName}' in ${cloud.keyPath})\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    process.once('SIGHUP', resolve);
  });
  clearInterval(refresh);
  process.stderr.write('tsplay-localcloud: stopping\n');
  await cloud.stop();
  rmSync(statePath(stateDir), { force: true });
  return 0;
}

async function runDetached(parsed: Parsed): Promise<number> {
  const stateDir = parsed.options.stateDir ?? defaultStateDir();
  const running = readState(stateDir);
  if (running && isAlive(running.pid)) {
    process.stderr.write(`tsplay-localcloud: already running (pid ${running.pid}, ${running.endpoint})\n`);
    return 1;
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  rmSync(statePath(stateDir), { force: true });
  const logPath = join(stateDir, 'localcloud.log');
  const log = openSync(logPath, 'a');
  const script = process.argv[1] as string;
  const child = spawn(process.execPath, [...process.execArgv, script, 'start', ...parsed.passthrough, '--state-dir', stateDir], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  child.unref();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const state = readState(stateDir);
    if (state && state.pid === child.pid && (await answers(state.endpoint))) {
      process.stderr.write(`tsplay-localcloud: running in the background (pid ${state.pid}, ${state.endpoint}); log: ${logPath}\n`);
      return 0;
    }
    if (child.exitCode !== null || (child.pid !== undefined && !isAlive(child.pid))) break;
    await sleep(100);
  }
  process.stderr.write(`tsplay-localcloud: did not start; see ${logPath}\n`);
  return 1;
}

async function stop(stateDir: string): Promise<number> {
  const state = readState(stateDir);
  if (!state) {
    process.stderr.write('tsplay-localcloud: not running\n');
    return 0;
  }
  if (isAlive(state.pid)) {
    process.kill(state.pid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    while (isAlive(state.pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(state.pid)) killTree(state.pid);
  }
  // A cloud that died without cleaning up leaves its hosts behind: end them too.
  for (const pid of state.hostPids) if (isAlive(pid)) killTree(pid);
  rmSync(statePath(stateDir), { force: true });
  process.stderr.write(`tsplay-localcloud: stopped (pid ${state.pid})\n`);
  return 0;
}

function env(parsed: Parsed): number {
  const stateDir = parsed.options.stateDir ?? defaultStateDir();
  const state = readState(stateDir);
  if (state && isAlive(state.pid)) {
    process.stdout.write(`${state.env.join('\n')}\n`);
    return 0;
  }
  const options = resolveOptions({ ...parsed.options, stateDir });
  process.stderr.write('tsplay-localcloud: not running; these lines are for when it runs with the same options\n');
  const lines = envLines(options, `http://${options.host}:${options.port}`, join(stateDir, `${options.keyName}.pem`));
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArguments(argv);
    resolveOptions(parsed.options);
  } catch (error) {
    process.stderr.write(`tsplay-localcloud: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const stateDir = parsed.options.stateDir ?? defaultStateDir();
  switch (parsed.command) {
    case 'start':
      return parsed.detach ? runDetached(parsed) : runForeground(parsed.options);
    case 'stop':
      return stop(stateDir);
    case 'env':
      return env(parsed);
    case 'status': {
      const state = readState(stateDir);
      if (state && isAlive(state.pid) && (await answers(state.endpoint))) {
        process.stdout.write(`running (pid ${state.pid}) at ${state.endpoint}, key pair '${state.keyName}' in ${state.keyPath}\n`);
        return 0;
      }
      process.stdout.write('not running\n');
      return 3;
    }
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(parsed.command ? `tsplay-localcloud: unknown command: ${parsed.command}\n${USAGE}` : USAGE);
      return 2;
  }
}
