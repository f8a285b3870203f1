// command and shell: run a program on the target (shell: through the shell), skipped
// when `creates` exists or `removes` does not, with the result keys Ansible's command
// module returns (cmd, rc, stdout/stderr and their _lines, start/end/delta, msg).
import { randomBytes } from 'node:crypto';
import { shellJoin } from '../../../connection/shell-quote.js';
import { pythonStr } from '../../arguments.js';
import { ModuleFailure, type ArgSpec, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target, withOutputLines } from '../files/target.js';
import { ShlexError, shlexSplit } from './shlex.js';
import { commandTimes, preciseNow } from './timing.js';
import { osErrorText } from '../../../template/python/os-error.js';

export interface CommandArgs {
  _raw_params?: string | null;
  _uses_shell: boolean;
  argv?: string[] | null;
  chdir?: string | null;
  executable?: string | null;
  creates?: string | null;
  removes?: string | null;
  stdin?: string | null;
  stdin_add_newline: boolean;
  strip_empty_ends: boolean;
}

export const commandArgSpec: ArgSpec = {
  _raw_params: { type: 'str' },
  _uses_shell: { type: 'bool', default: false },
  argv: { type: 'list', elements: 'str' },
  chdir: { type: 'path' },
  executable: { type: 'str' },
  creates: { type: 'path' },
  removes: { type: 'path' },
  stdin: { type: 'str' },
  stdin_add_newline: { type: 'bool', default: true },
  strip_empty_ends: { type: 'bool', default: true },
};

// $1 directory to change to (or empty), $2 `creates` pattern, $3 `removes` pattern (or empty).
// Prints the errno of a failed chdir, or which of creates/removes decided to skip.
// The patterns are expanded as globs only (IFS empty: no splitting, nothing evaluated).
const PRECHECK_SCRIPT = `if [ -n "$1" ]; then
  [ -e "$1" ] || { echo chdir 2; exit 0; }
  [ -d "$1" ] || { echo chdir 20; exit 0; }
  cd -- "$1" 2>/dev/null || { echo chdir 13; exit 0; }
fi
exists() { IFS=; for f in $1; do if [ -e "$f" ] || [ -L "$f" ]; then unset IFS; return 0; fi; done; unset IFS; return 1; }
if [ -n "$2" ] && exists "$2"; then echo creates; exit 0; fi
if [ -n "$3" ] && ! exists "$3"; then echo removes; exit 0; fi
echo run`;

// $1 a marker, then the argv to run. A program that cannot be started is reported as the
// marker and an errno on stderr (Python's subprocess raises OSError for it).
const EXEC_SCRIPT = `m=$1; shift; p=$1
fail() { printf '%s:%s' "$m" "$1" >&2; exit 127; }
case $p in
  */*) [ -e "$p" ] || fail 2; [ -d "$p" ] && fail 13; [ -x "$p" ] || fail 13;;
  *) f=; set -f; IFS=:
     for d in $PATH; do [ -n "$d" ] || d=.; if [ -f "$d/$p" ] && [ -x "$d/$p" ]; then f=1; break; fi; done
     unset IFS; set +f
     [ -n "$f" ] || fail 2;;
esac
exec "$@"`;

const osError = (errno: string, path: string) => osErrorText(Number(errno), path, 'bytes');

function stripEnds(text: string): string {
  return text.replace(/[\r\n]+$/, '');
}

/** The shell the shell module uses: ansible_shell_executable, /bin/sh by default. */
function shellExecutable(ctx: ModuleContext): string {
  const raw = ctx.vars.get('ansible_shell_executable');
  if (raw === undefined || raw === null || raw === '') return '/bin/sh';
  return String(typeof raw === 'string' && ctx.templar.isTemplate(raw) ? ctx.templar.template(raw, ctx.vars) : raw);
}

export async function runCommand(args: CommandArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const shell = args._uses_shell;
  const warnings: string[] = [];
  const withWarnings = (result: Record<string, unknown>): ModuleResult => withOutputLines(warnings.length ? { ...result, warnings } : result);
  let executable = args.executable ?? undefined;
  const r: Record<string, unknown> = { changed: false, stdout: '', stderr: '', rc: null, cmd: null, start: null, end: null, delta: null, msg: '' };
  if (!shell && executable) {
    warnings.push(`As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${executable}'.`);
    executable = undefined;
  }
  const raw = args._raw_params ?? '';
  const argv = args.argv ?? undefined;
  // A failure's extra keys must not carry msg: the failure's own message is the result's.
  const { msg: _unused, ...keys } = r;
  if (raw.trim() === '' && !argv?.length) throw new ModuleFailure('no command given', { ...keys, rc: 256 });
  if (raw && argv?.length) throw new ModuleFailure('only command or argv can be given, not both', { ...keys, rc: 256 });

  let words: string[] | undefined;
  if (!shell) {
    try {
      words = raw ? shlexSplit(raw) : argv!.map((a) => pythonStr(a));
    } catch (error) {
      if (error instanceof ShlexError) throw new ModuleFailure(error.message, { ...keys });
      throw error;
    }
  }
  r.cmd = shell ? raw : words;

  const [chdir, creates, removes] = await target.expandPaths([args.chdir ?? '', args.creates ?? '', args.removes ?? '']);
  if (chdir || creates || removes) {
    const check = (await target.sh(PRECHECK_SCRIPT, [chdir!, creates!, removes!])).stdout.trim();
    const verb = ctx.checkMode ? 'Would' : 'Did';
    if (check.startsWith('chdir ')) {
      const { msg: _none, ...rest } = r;
      throw new ModuleFailure(`Unable to change directory before execution: ${osError(check.slice(6), chdir!)}`, withOutputLines({ ...rest, cmd: r.cmd }));
    }
    if (check === 'creates') {
      return withWarnings({ ...r, msg: `${verb} not run command since '${creates}' exists`, stdout: `skipped, since ${creates} exists`, rc: 0 });
    }
    if (check === 'removes') {
      return withWarnings({ ...r, msg: `${verb} not run command since '${removes}' does not exist`, stdout: `skipped, since ${removes} does not exist`, rc: 0 });
    }
  }

  r.changed = true;
  if (ctx.checkMode) {
    const skipped = args.creates == null && args.removes == null;
    return withWarnings({ ...r, rc: 0, msg: 'Command would have run if not in check mode', ...(skipped ? { skipped: true, changed: false } : {}) });
  }

  // Like Python's run_command: a command (not a shell line) has `~` and $VARS expanded, argument by argument.
  const program = shell ? [executable ?? shellExecutable(ctx), '-c', raw] : await target.expandPaths(words!);
  const marker = `tsplay-exec-${randomBytes(6).toString('hex')}`;
  let stdin: string | undefined;
  if (args.stdin) stdin = args.stdin_add_newline ? `${args.stdin}\n` : args.stdin;
  const started = preciseNow();
  const result = await target.run(['/bin/sh', '-c', EXEC_SCRIPT, 'sh', marker, ...program], { cwd: chdir || undefined, stdin, report: ctx.noLog ? 'censored' : 'output' });
  const ended = preciseNow();
  if (result.rc === 127 && result.stderr.startsWith(`${marker}:`)) {
    const errno = result.stderr.slice(marker.length + 1);
    return withWarnings({ changed: false, failed: true, cmd: shellJoin(program), msg: osError(errno, program[0]!), rc: Number(errno), stdout: '', stderr: '' });
  }
  Object.assign(r, commandTimes(started, ended), { rc: result.rc, stdout: result.stdout, stderr: result.stderr });
  if (args.strip_empty_ends) {
    r.stdout = stripEnds(result.stdout);
    r.stderr = stripEnds(result.stderr);
  }
  if (r.rc !== 0) Object.assign(r, { failed: true, msg: 'non-zero return code' });
  return withWarnings(r);
}

export const commandModule: ModuleDefinition<CommandArgs> = {
  name: 'ansible.builtin.command',
  reportedName: 'ansible.legacy.command',
  argSpec: commandArgSpec,
  freeForm: true,
  supportsCheckMode: true,
  run: runCommand,
};

export const shellModule: ModuleDefinition<CommandArgs> = {
  name: 'ansible.builtin.shell',
  // The shell action runs the command module with _uses_shell set.
  reportedName: 'ansible.legacy.command',
  argSpec: commandArgSpec,
  freeForm: true,
  supportsCheckMode: true,
  invocation: (params) => ({ ...params, _uses_shell: true }),
  run: (args, ctx) => runCommand({ ...args, _uses_shell: true }, ctx),
};
