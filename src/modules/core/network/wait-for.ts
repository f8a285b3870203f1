// wait_for: waits on the target for a TCP port to open (optionally until its banner
// matches search_regex), to close or drain, or for a file to appear (optionally with
// matching content) or go away, with Ansible's arguments, timing (delay, sleep,
// timeout, connect_timeout), result keys and failure messages. Each probe runs on the
// target: ports are tried with a tiny python3 program (Python's `re` for the regex),
// files are read through the connection, connections counted from /proc/net/tcp*.
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { withPathInfo } from '../files/fs.js';
import { Target } from '../files/target.js';

export interface WaitForArgs {
  host: string;
  timeout: number;
  connect_timeout: number;
  delay: number;
  port?: number | null;
  active_connection_states: string[];
  path?: string | null;
  search_regex?: string | null;
  state: 'absent' | 'drained' | 'present' | 'started' | 'stopped';
  exclude_hosts?: string[] | null;
  sleep: number;
  msg?: string | null;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT',
  '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING',
};

// argv: host port connect_timeout [regex]. Prints JSON: {open, matched, groups, groupdict}.
const PROBE = String.raw`
import json, re, socket, sys, time
host, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
regex = sys.argv[4] if len(sys.argv) > 4 else None
out = {'open': False, 'matched': False, 'groups': [], 'groupdict': {}}
try:
    s = socket.create_connection((host, port), timeout)
except Exception:
    print(json.dumps(out)); sys.exit(0)
out['open'] = True
if regex is not None:
    data = b''
    s.settimeout(timeout)
    try:
        while True:
            chunk = s.recv(1024)
            if not chunk:
                break
            data += chunk
            m = re.search(regex, data.decode('utf-8', 'surrogateescape'), re.M)
            if m:
                out.update(matched=True, groups=list(m.groups()), groupdict=m.groupdict())
                break
    except Exception:
        pass
try:
    s.shutdown(socket.SHUT_RDWR)
except Exception:
    pass
s.close()
print(json.dumps(out))
`;

interface Probe {
  open: boolean;
  matched: boolean;
  groups: (string | null)[];
  groupdict: Record<string, string | null>;
}

async function probePort(target: Target, python: string, host: string, port: number, connectTimeout: number, regex?: string): Promise<Probe> {
  const result = await target.run([python, '-c', PROBE, host, String(port), String(connectTimeout), ...(regex !== undefined ? [regex] : [])], { timeoutMs: (connectTimeout * 2 + 10) * 1000 });
  if (result.rc !== 0) throw new ModuleFailure(`wait_for could not probe ${host}:${port}: ${result.stderr.trim().split('\n').pop() ?? ''}`);
  return JSON.parse(result.stdout) as Probe;
}

/** Active connections to host:port, from /proc/net/tcp and tcp6 on the target. */
async function activeConnections(target: Target, host: string, port: number, states: string[], exclude: string[]): Promise<number> {
  const text = (await target.sh('cat /proc/net/tcp /proc/net/tcp6 2>/dev/null')).stdout;
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const decode = (hex: string) => {
    if (hex.length === 8) return Buffer.from(hex, 'hex').reverse().join('.');
    const words = hex.match(/.{8}/g)!.map((w) => Buffer.from(w, 'hex').reverse().toString('hex'));
    const full = words.join('').match(/.{4}/g)!.join(':');
    return full.startsWith('0000:0000:0000:0000:0000:ffff:') ? Buffer.from(full.slice(30).replace(':', ''), 'hex').join('.') : full;
  };
  const any = host === '0.0.0.0' || host === '::' || host === '';
  let count = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || !f[1]!.includes(':')) continue;
    const [localHex, localPort] = f[1]!.split(':') as [string, string];
    const [remoteHex] = f[2]!.split(':') as [string];
    if (localPort !== hexPort) continue;
    const state = TCP_STATES[f[3]!] ?? '';
    if (!states.includes(state)) continue;
    if (!any && decode(localHex) !== host) continue;
    if (exclude.includes(decode(remoteHex))) continue;
    count++;
  }
  return count;
}

const sleepFor = (seconds: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, seconds * 1000);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

export async function runWaitFor(args: WaitForArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const { host, timeout, state } = args;
  const port = args.port ?? undefined;
  const path = args.path ? await target.expandPath(args.path) : undefined;
  const regex = args.search_regex ?? undefined;
  const msg = args.msg ?? undefined;
  if (regex !== undefined) {
    try {
      new RegExp(regex.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), 'm');
    } catch (error) {
      throw new ModuleFailure(`Invalid regular expression: ${(error as Error).message}`);
    }
  }
  if (port !== undefined && path !== undefined) throw new ModuleFailure('port and path parameter can not both be passed to wait_for', { elapsed: 0 });
  if (path !== undefined && state === 'stopped') throw new ModuleFailure('state=stopped should only be used for checking a port in the wait_for module', { elapsed: 0 });
  if (path !== undefined && state === 'drained') throw new ModuleFailure('state=drained should only be used for checking a port in the wait_for module', { elapsed: 0 });
  if (args.exclude_hosts?.length && state !== 'drained') throw new ModuleFailure('exclude_hosts should only be with state=drained', { elapsed: 0 });
  const known = Object.values(TCP_STATES);
  const unknownState = args.active_connection_states.find((s) => !known.includes(s));
  if (unknownState) throw new ModuleFailure(`unknown active_connection_state (${unknownState}) defined`, { elapsed: 0 });

  const start = Date.now();
  const elapsed = () => Math.floor((Date.now() - start) / 1000);
  if (args.delay) await sleepFor(args.delay, ctx.signal);
  const end = start + timeout * 1000;
  const fail = (message: string) => new ModuleFailure(msg ?? message, { elapsed: elapsed() });
  let python: string | undefined;
  const pythonPath = async () => {
    if (python) return python;
    const found = await target.sh('for p in python3 /usr/bin/python3 python; do if command -v "$p" >/dev/null 2>&1; then command -v "$p"; exit 0; fi; done; exit 1');
    if (found.rc !== 0) throw new ModuleFailure('wait_for needs python3 on the target to check ports, and none was found');
    return (python = found.stdout.trim());
  };
  let matchGroups: (string | null)[] = [];
  let matchGroupdict: Record<string, string | null> = {};

  if (port === undefined && path === undefined && state !== 'drained') await sleepFor(timeout, ctx.signal);
  else if (state === 'absent' || state === 'stopped') {
    for (;;) {
      if (ctx.signal.aborted) throw fail('Interrupted');
      // Others change the host while we wait: nothing learnt in an earlier poll holds.
      target.known.forget();
      const gone = path !== undefined ? (await target.stat(path, { follow: true })) === undefined : !(await probePort(target, await pythonPath(), host, port!, args.connect_timeout)).open;
      if (gone) break;
      if (Date.now() >= end) throw fail(path !== undefined ? `Timeout when waiting for ${path} to be absent.` : `Timeout when waiting for ${host}:${port} to stop.`);
      await sleepFor(args.sleep, ctx.signal);
    }
  } else if (state === 'started' || state === 'present') {
    for (;;) {
      if (ctx.signal.aborted) throw fail('Interrupted');
      // Others change the host while we wait: nothing learnt in an earlier poll holds.
      target.known.forget();
      if (path !== undefined) {
        const stat = await target.stat(path, { follow: true });
        if (stat) {
          if (regex === undefined) break;
          if (stat.type === 'file') {
            const text = (await target.readFile(path)).toString('utf8');
            const m = new RegExp(regex.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), 'm').exec(text);
            if (m) {
              matchGroups = m.slice(1).map((g) => g ?? null);
              matchGroupdict = { ...(m.groups ?? {}) } as Record<string, string | null>;
              break;
            }
          }
        }
      } else {
        const probe = await probePort(target, await pythonPath(), host, port!, args.connect_timeout, regex);
        if (probe.open && (regex === undefined || probe.matched)) {
          matchGroups = probe.groups;
          matchGroupdict = probe.groupdict;
          break;
        }
      }
      if (Date.now() >= end) {
        if (port !== undefined) throw fail(regex !== undefined ? `Timeout when waiting for search string ${regex} in ${host}:${port}` : `Timeout when waiting for ${host}:${port}`);
        throw fail(regex !== undefined ? `Timeout when waiting for search string ${regex} in ${path}` : `Timeout when waiting for file ${path}`);
      }
      await sleepFor(args.sleep, ctx.signal);
    }
  } else {
    for (;;) {
      if (ctx.signal.aborted) throw fail('Interrupted');
      // Others change the host while we wait: nothing learnt in an earlier poll holds.
      target.known.forget();
      if ((await activeConnections(target, host, port!, args.active_connection_states, args.exclude_hosts ?? [])) === 0) break;
      if (Date.now() >= end) throw fail(`Timeout when waiting for ${host}:${port} to drain`);
      await sleepFor(args.sleep, ctx.signal);
    }
  }
  // Like every module result naming a path, it gets the path's details (its state too).
  return withPathInfo(target, {
    changed: false,
    state,
    port: port ?? null,
    search_regex: regex ?? null,
    match_groups: matchGroups,
    match_groupdict: matchGroupdict,
    path: path ?? null,
    elapsed: elapsed(),
  });
}

export const waitForModule: ModuleDefinition<WaitForArgs> = {
  name: 'ansible.builtin.wait_for',
  argSpec: {
    host: { type: 'str', default: '127.0.0.1' },
    timeout: { type: 'int', default: 300 },
    connect_timeout: { type: 'int', default: 5 },
    delay: { type: 'int', default: 0 },
    port: { type: 'int' },
    active_connection_states: { type: 'list', elements: 'str', default: ['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'SYN_RECV', 'SYN_SENT', 'TIME_WAIT'] },
    path: { type: 'path' },
    search_regex: { type: 'str' },
    state: { type: 'str', default: 'started', choices: ['absent', 'drained', 'present', 'started', 'stopped'] },
    exclude_hosts: { type: 'list', elements: 'str' },
    sleep: { type: 'int', default: 1 },
    msg: { type: 'str' },
  },
  supportsCheckMode: false,
  run: runWaitFor,
};
