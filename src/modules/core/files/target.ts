// The target host as the host-side modules see it: every operation goes through the
// task's connection with the task's become and environment. Shell snippets get their
// data as positional arguments ("$1"...), never spliced into the script text, so a file
// name with quotes, `$()` or newlines is only ever data.
//
// What a module run learns about paths is remembered (KnownPaths) until it runs a
// command that may change the host: file modules ask the same questions several times
// per task. Over SSH, questions asked together travel as one script (describe-paths.ts),
// and a change can describe the paths it touched in the same round trip.
import { randomBytes } from 'node:crypto';
import type { FileStat, RunOptions, RunResult } from '../../../connection/connection.js';
import { ModuleFailure, type ModuleContext } from '../../module.js';
import { DESCRIBE_FUNCTIONS, DESCRIBE_SCRIPT, describeArgs, mergeRequests, parseDescriptions, type DescribeRequest } from './describe-paths.js';
import { KnownPaths } from './known-paths.js';

export interface ShOptions extends RunOptions {
  /**
   * Paths to describe once the script has run (over SSH, in the same round trip): what
   * the module will ask about them next is then known. Their descriptions never change
   * the script's result. The script then runs in the shell itself, not a subshell: it
   * must not `cd` (relative paths to describe), `exec` or set its own EXIT trap.
   */
  describe?: readonly (string | DescribeRequest)[] | undefined;
}

/** Python's str.splitlines() (without the line ends). */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Adds stdout_lines/stderr_lines as Ansible's action layer does for every result with output. */
export function withOutputLines<T extends Record<string, unknown>>(result: T): T {
  const out: Record<string, unknown> = result;
  if ('stdout' in out && !('stdout_lines' in out)) out.stdout_lines = splitLines(String(out.stdout ?? ''));
  if ('stderr' in out && !('stderr_lines' in out)) out.stderr_lines = splitLines(String(out.stderr ?? ''));
  return result;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Prints, NUL-terminated for each argument: '1' + value when known, '0' when not.
// Arguments are `~user` (home from the passwd database), `~` ($HOME) or a variable name.
const LOOKUP_SCRIPT = `for n do
  case $n in
    '~') if [ "\${HOME+x}" = x ]; then printf '1%s\\0' "$HOME"; else printf '0\\0'; fi;;
    '~'*) h=$(getent passwd -- "\${n#?}" | cut -d: -f6); if [ -n "$h" ]; then printf '1%s\\0' "$h"; else printf '0\\0'; fi;;
    *) eval "if [ \\"\\\${$n+x}\\" = x ]; then printf '1%s\\\\0' \\"\\\$$n\\"; else printf '0\\\\0'; fi";;
  esac
done`;

export class Target {
  /** What this module run knows about paths; forgotten whenever it may have changed the host. */
  readonly known = new KnownPaths();
  /** Paths to describe together in the next round trip. */
  private batch: { requests: Map<string, DescribeRequest>; done: Promise<void> } | undefined;

  constructor(readonly ctx: ModuleContext) {}

  get connection() {
    return this.ctx.connection;
  }

  get become() {
    return this.ctx.become;
  }

  /**
   * Whether questions about paths are worth batching into scripts: not on the local
   * connection, where a stat is a system call and a script a new process.
   */
  private get remote(): boolean {
    return this.connection.transport !== 'local';
  }

  /** Run a command as the task would: become, the task's environment. It may change anything, so what was known is forgotten. */
  async run(command: string | readonly string[], options: RunOptions = {}): Promise<RunResult> {
    this.known.forget();
    try {
      return await this.query(command, options);
    } finally {
      this.known.forget();
    }
  }

  /** Run a command that changes nothing on the host (a question): what is known stays known. */
  query(command: string | readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const env = Object.keys(this.ctx.environment).length ? { ...this.ctx.environment, ...options.env } : options.env;
    return this.connection.run(command, { become: this.become, signal: this.ctx.signal, ...options, env });
  }

  /** Run a POSIX sh script with `args` as its positional parameters. */
  async sh(script: string, args: readonly string[] = [], options: ShOptions = {}): Promise<RunResult> {
    const { describe, ...runOptions } = options;
    // The description runs in the script's environment: a PATH of the task's could find another stat.
    if (!describe?.length || !this.remote || 'PATH' in this.ctx.environment) return this.run(['/bin/sh', '-c', script, 'sh', ...args], runOptions);
    const requests = describe.map((r): DescribeRequest => (typeof r === 'string' ? { path: r } : r));
    const described = describeArgs(requests);
    // A letter first: printf would read "\\0" and the digits after it as an octal escape.
    const tag = `T${randomBytes(9).toString('hex')}`;
    // The paths to describe (with their flags) come first among the arguments: kept aside,
    // dropped, and described by an EXIT trap, which runs however the script ends (its `exit`
    // too) with its exit code: a marker, then the descriptions. No subshell to fork.
    const whole = [
      described.map((_, i) => `tsplay_d${i}=\${${i + 1}}`).join(' '),
      `shift ${described.length}`,
      'tsplay_describe() {',
      `printf '\\0${tag}\\0'`,
      DESCRIBE_FUNCTIONS,
      ...requests.map((_, i) => `d "$tsplay_d${2 * i}" "$tsplay_d${2 * i + 1}"`),
      'exit "$1"',
      '}',
      `trap 'tsplay_describe "$?"' EXIT`,
      script,
    ].join('\n');
    const result = await this.run(['/bin/sh', '-c', whole, 'sh', ...described, ...args], runOptions);
    const marker = `\0${tag}\0`;
    const at = result.stdout.indexOf(marker);
    if (at < 0) return result;
    const descriptions = parseDescriptions(result.stdout.slice(at + marker.length), requests);
    for (const description of descriptions) this.known.record(description);
    return { ...result, stdout: result.stdout.slice(0, at) };
  }

  /** A question asked with a script: what is known stays known. */
  shQuery(script: string, args: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
    return this.query(['/bin/sh', '-c', script, 'sh', ...args], options);
  }

  /** Like sh(), failing the task when the script does. */
  async shOk(what: string, script: string, args: readonly string[] = [], options: ShOptions = {}): Promise<RunResult> {
    const result = await this.sh(script, args, options);
    if (result.rc !== 0) throw new ModuleFailure(`${what}: ${(result.stderr || result.stdout).trim()}`);
    return result;
  }

  async stat(path: string, options: { follow?: boolean; checksum?: boolean } = {}): Promise<FileStat | undefined> {
    const follow = options.follow ?? false;
    const checksum = options.checksum ?? false;
    let known = this.known.stat(path, follow, checksum);
    if (!known && this.remote) {
      await this.describe([{ path, checksum }]);
      known = this.known.stat(path, follow, checksum);
    }
    if (known) return known.stat;
    const version = this.known.version;
    const stat = await this.connection.stat(path, { follow, checksum, become: this.become });
    if (this.known.version === version) this.known.recordStat(path, follow, stat, checksum);
    return stat;
  }

  /**
   * Learns about these paths now, in one round trip over SSH, what the module will ask
   * next (stat, link target, realpath, access, checksum). Nothing to do locally.
   */
  async describe(requests: readonly DescribeRequest[]): Promise<void> {
    if (!this.remote || requests.length === 0) return;
    if (!this.batch) {
      const batch = { requests: new Map<string, DescribeRequest>(), done: Promise.resolve() };
      // Questions asked in the same turn (Promise.all...) go together.
      batch.done = Promise.resolve()
        .then(() => undefined)
        .then(() => {
          if (this.batch === batch) this.batch = undefined;
          return this.describeNow([...batch.requests.values()]);
        });
      this.batch = batch;
    }
    for (const request of requests) {
      const earlier = this.batch.requests.get(request.path);
      this.batch.requests.set(request.path, earlier ? mergeRequests(earlier, request) : request);
    }
    return this.batch.done;
  }

  private async describeNow(requests: DescribeRequest[]): Promise<void> {
    const version = this.known.version;
    // As the connection's own stat does: the become user, not the task's environment.
    const result = await this.connection.run(['/bin/sh', '-c', DESCRIBE_SCRIPT, 'sh', ...describeArgs(requests)], { become: this.become, signal: this.ctx.signal });
    if (result.rc !== 0 || this.known.version !== version) return;
    for (const description of parseDescriptions(result.stdout, requests)) this.known.record(description);
  }

  /** Whether the path leads somewhere, links followed (os.path.exists: false too when it cannot be looked at). */
  async exists(path: string): Promise<boolean> {
    let known = this.known.exists(path);
    if (known === undefined && this.remote) {
      await this.describe([{ path, existence: true }]);
      known = this.known.exists(path);
    }
    if (known !== undefined) return known;
    try {
      return (await this.stat(path, { follow: true })) !== undefined;
    } catch (error) {
      // A path the system refuses to look at (EACCES, ELOOP...) does not exist for os.path.exists.
      if (typeof (error as NodeJS.ErrnoException).code === 'string') return false;
      throw error;
    }
  }

  /** Whether the path passes test(1)'s -r, -w or -x as the task's user. */
  async access(path: string, mode: 'r' | 'w' | 'x'): Promise<boolean> {
    const known = this.known.access(path);
    if (known !== undefined) return known.includes(mode);
    return (await this.shQuery(`[ -${mode} "$1" ]`, [path])).rc === 0;
  }

  readFile(path: string): Promise<Buffer> {
    return this.connection.readFile(path, { become: this.become });
  }

  async writeFile(path: string, data: string | Buffer, options: { mode?: number; owner?: string; group?: string } = {}): Promise<void> {
    this.known.forget();
    try {
      await this.connection.writeFile(path, data, { ...options, become: this.become });
    } finally {
      this.known.forget();
    }
  }

  async checksum(path: string): Promise<string | undefined> {
    const known = this.known.checksum(path);
    if (known) return known.checksum;
    return this.connection.checksum(path, { become: this.become });
  }

  /** Values of `~`, `~user` and environment variables on the target; undefined when unknown. */
  async lookup(names: readonly string[]): Promise<Map<string, string | undefined>> {
    const result = await this.shQuery(LOOKUP_SCRIPT, names);
    if (result.rc !== 0) throw new ModuleFailure(`could not read the environment of ${this.connection.host}: ${result.stderr.trim()}`);
    const values = result.stdout.split('\0');
    return new Map(names.map((name, i) => [name, values[i]?.startsWith('1') ? values[i]!.slice(1) : undefined]));
  }

  /**
   * os.path.expanduser(os.path.expandvars(path)) evaluated on the target, as a module
   * running there does for its `path` options. No round trip unless `~` or `$` is used.
   */
  async expandPath(path: string): Promise<string> {
    return (await this.expandPaths([path]))[0]!;
  }

  async expandPaths(paths: readonly string[]): Promise<string[]> {
    const wanted = new Set<string>();
    for (const path of paths) {
      for (const name of variableNames(path)) wanted.add(name);
      const user = homeReference(path);
      if (user !== undefined) wanted.add(user);
    }
    if (wanted.size === 0) return [...paths];
    // Variables first: a `~` that an expansion produces is expanded too, as in Python.
    let values = await this.lookup([...wanted]);
    const expanded = paths.map((p) => expandVars(p, values));
    const homes = new Set(expanded.map(homeReference).filter((u): u is string => u !== undefined && !values.has(u)));
    if (homes.size) values = new Map([...values, ...(await this.lookup([...homes]))]);
    return expanded.map((p) => expandUser(p, values));
  }

  /** Only a leading `~` or `~user` expanded (Ansible's _remote_expand_user), variables left alone. */
  async expandHome(path: string): Promise<string> {
    const ref = homeReference(path);
    if (ref === undefined) return path;
    return expandUser(path, await this.lookup([ref]));
  }

  /** Expand a path option only when it is set. */
  async expandOptional(path: unknown): Promise<string | undefined> {
    return typeof path === 'string' ? this.expandPath(path) : undefined;
  }
}

const VARIABLE = /\$(\w+|\{[^}]*\})/g;

function variableNames(path: string): string[] {
  if (!path.includes('$')) return [];
  const names: string[] = [];
  for (const m of path.matchAll(VARIABLE)) {
    const name = m[1]!.startsWith('{') ? m[1]!.slice(1, -1) : m[1]!;
    if (NAME.test(name)) names.push(name);
  }
  return names;
}

function expandVars(path: string, values: Map<string, string | undefined>): string {
  if (!path.includes('$')) return path;
  return path.replace(VARIABLE, (whole, ref: string) => {
    const name = ref.startsWith('{') ? ref.slice(1, -1) : ref;
    const value = NAME.test(name) ? values.get(name) : undefined;
    return value ?? whole;
  });
}

/** `~` or `~user` when the path starts with a home reference. */
function homeReference(path: string): string | undefined {
  if (!path.startsWith('~')) return undefined;
  const slash = path.indexOf('/', 1);
  return slash === -1 ? path : path.slice(0, slash);
}

function expandUser(path: string, values: Map<string, string | undefined>): string {
  const ref = homeReference(path);
  if (ref === undefined) return path;
  const home = values.get(ref);
  if (home === undefined) return path;
  const rest = path.slice(ref.length);
  return (home.replace(/\/+$/, '') || (rest ? '' : '/')) + rest;
}
