// Turns a command and its options into the shell text a worker runs in a subshell.
import { shellJoin, shellQuote } from '../shell-quote.js';
import { CLOSE_NATIVE_FDS, NATIVE_OVERRIDES } from './native-helper.js';

export interface BodyOptions {
  env?: Record<string, string> | undefined;
  cwd?: string | undefined;
  /** Shell for string commands; /bin/sh when unset. */
  executable?: string | undefined;
  /** Start the command in a session of its own so a timeout can kill its whole process group. */
  ownSession?: boolean | undefined;
}

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function assertNoNul(value: string, what: string): void {
  if (value.includes('\0')) throw new Error(`${what} contains a NUL byte, which no command line can carry`);
}

function prelude(options: BodyOptions): { lines: string[]; envPrefix: string[] } {
  const lines: string[] = [];
  const envPrefix: string[] = [];
  if (options.cwd !== undefined) {
    assertNoNul(options.cwd, 'the working directory');
    const dir = shellQuote(options.cwd);
    lines.push(`cd -- ${dir} 2>/dev/null || { printf 'cannot change directory to %s\\n' ${dir} >&2; exit 1; }`);
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    assertNoNul(name, 'an environment variable name');
    assertNoNul(value, `the environment variable ${name}`);
    // Names a shell cannot assign (such as "a-b") go through env(1).
    if (SHELL_NAME.test(name)) lines.push(`export ${name}=${shellQuote(value)}`);
    else envPrefix.push(shellQuote(`${name}=${value}`));
  }
  return { lines, envPrefix };
}

/** A user command: an argv run as is, or a string run by /bin/sh -c (or `executable`). */
export function commandBody(command: string | readonly string[], options: BodyOptions = {}): string {
  const argv = typeof command === 'string' ? [options.executable ?? '/bin/sh', '-c', command] : [...command];
  if (argv.length === 0) throw new Error('cannot run an empty command');
  argv.forEach((arg) => assertNoNul(arg, 'the command'));
  // `/bin/sh -c SCRIPT sh ARG...` is how modules run their own scripts: the worker's
  // subshell runs them itself, one process start less (its $$ is then the worker's).
  const own = !options.ownSession && argv.length >= 4 && argv[0] === '/bin/sh' && argv[1] === '-c' && argv[3] === 'sh';
  if (own && Object.keys(options.env ?? {}).every((name) => SHELL_NAME.test(name))) return scriptBody(argv[2]!, argv.slice(4), options);
  const { lines, envPrefix } = prelude(options);
  const launcher = [...(options.ownSession ? ['setsid'] : []), ...(envPrefix.length ? ['env', ...envPrefix] : [])];
  // User programs get none of the file helper's fds: Ansible starts them with stdin, stdout and stderr only.
  lines.push(`exec ${launcher.join(' ')}${launcher.length ? ' ' : ''}${shellJoin(argv)} ${CLOSE_NATIVE_FDS}`);
  return lines.join('\n');
}

/**
 * One of our own scripts (file operations): run by the worker's subshell itself (no
 * extra shell to start), with `args` as "$1", "$2", ..., and on a worker with the file
 * helper its stat, mv, mkdir, ln and file (native-helper.ts).
 */
export function scriptBody(script: string, args: readonly string[], options: BodyOptions = {}): string {
  args.forEach((arg) => assertNoNul(arg, 'an argument'));
  if (options.ownSession) return commandBody(['/bin/sh', '-c', script, 'sh', ...args], options);
  const { lines } = prelude(options);
  // A PATH of the task's could find other programs than the helper stands in for.
  if (!(options.env && 'PATH' in options.env)) lines.push(NATIVE_OVERRIDES);
  lines.push(`set -- ${args.map(shellQuote).join(' ')}`, script);
  return lines.join('\n');
}
