// The target host as the host-side modules see it: every operation goes through the
// task's connection with the task's become and environment. Shell snippets get their
// data as positional arguments ("$1"...), never spliced into the script text, so a file
// name with quotes, `$()` or newlines is only ever data.
import type { FileStat, RunOptions, RunResult } from '../../../connection/connection.js';
import { ModuleFailure, type ModuleContext } from '../../module.js';

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
  constructor(readonly ctx: ModuleContext) {}

  get connection() {
    return this.ctx.connection;
  }

  get become() {
    return this.ctx.become;
  }

  /** Run a command as the task would: become, the task's environment. */
  run(command: string | readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const env = Object.keys(this.ctx.environment).length ? { ...this.ctx.environment, ...options.env } : options.env;
    return this.connection.run(command, { become: this.become, signal: this.ctx.signal, ...options, env });
  }

  /** Run a POSIX sh script with `args` as its positional parameters. */
  sh(script: string, args: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
    return this.run(['/bin/sh', '-c', script, 'sh', ...args], options);
  }

  /** Like sh(), failing the task when the script does. */
  async shOk(what: string, script: string, args: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
    const result = await this.sh(script, args, options);
    if (result.rc !== 0) throw new ModuleFailure(`${what}: ${(result.stderr || result.stdout).trim()}`);
    return result;
  }

  stat(path: string, options: { follow?: boolean; checksum?: boolean } = {}): Promise<FileStat | undefined> {
    return this.connection.stat(path, { ...options, become: this.become });
  }

  readFile(path: string): Promise<Buffer> {
    return this.connection.readFile(path, { become: this.become });
  }

  writeFile(path: string, data: string | Buffer, options: { mode?: number; owner?: string; group?: string } = {}): Promise<void> {
    return this.connection.writeFile(path, data, { ...options, become: this.become });
  }

  checksum(path: string): Promise<string | undefined> {
    return this.connection.checksum(path, { become: this.become });
  }

  /** Values of `~`, `~user` and environment variables on the target; undefined when unknown. */
  async lookup(names: readonly string[]): Promise<Map<string, string | undefined>> {
    const result = await this.sh(LOOKUP_SCRIPT, names);
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
