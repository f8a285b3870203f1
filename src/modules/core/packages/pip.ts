// pip: Python packages through the target's pip (`python3 -m pip`, pip3, a virtualenv's
// pip, or `executable`), creating the virtualenv when asked. As Ansible's module, a real
// run asks pip and reads "Successfully installed/uninstalled" from its output; check
// mode compares the requested names and versions with `pip list --format=freeze`.
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { shlexSplit } from '../commands/shlex.js';
import { Target, withOutputLines } from '../files/target.js';

export interface PipArgs {
  state: 'absent' | 'forcereinstall' | 'latest' | 'present';
  name?: string[] | null;
  version?: string | null;
  requirements?: string | null;
  virtualenv?: string | null;
  virtualenv_site_packages: boolean;
  virtualenv_command: string;
  virtualenv_python?: string | null;
  extra_args?: string | null;
  editable: boolean;
  chdir?: string | null;
  executable?: string | null;
  umask?: string | null;
}

const STATE_COMMAND: Record<PipArgs['state'], string[]> = {
  present: ['install'],
  absent: ['uninstall', '-y'],
  latest: ['install', '-U'],
  forcereinstall: ['install', '-U', '--force-reinstall'],
};

const canonical = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** A requirement as pip reads it: name, extras, version specifiers. */
export class Requirement {
  readonly name: string;
  readonly specifiers: [string, string][];

  constructor(
    readonly text: string,
    version?: string,
  ) {
    const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/s.exec(text);
    this.name = canonical(m?.[1] ?? text);
    let spec = (m?.[3] ?? '').trim();
    if (version !== undefined) spec = /^[<>=!~]/.test(version.trim()) ? version.trim() : `==${version.trim()}`;
    this.specifiers = spec
      ? spec
          .split(',')
          .map((s) => /^\s*(===|==|!=|~=|>=|<=|>|<)\s*(\S+)\s*$/.exec(s))
          .filter((x): x is RegExpExecArray => x !== null)
          .map((x) => [x[1]!, x[2]!])
      : [];
  }

  get hasVersionSpecifier(): boolean {
    return this.specifiers.length > 0;
  }

  toString(): string {
    return this.text;
  }

  isSatisfiedBy(version: string): boolean {
    return this.specifiers.every(([op, want]) => {
      if (op === '===') return version === want;
      if (want.endsWith('.*') && (op === '==' || op === '!=')) {
        const prefix = want.slice(0, -2);
        const match = version === prefix || version.startsWith(`${prefix}.`);
        return op === '==' ? match : !match;
      }
      const c = comparePythonVersions(version, want);
      switch (op) {
        case '==':
          return c === 0;
        case '!=':
          return c !== 0;
        case '>=':
          return c >= 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '<':
          return c < 0;
        default: {
          // ~=X.Y: >= X.Y and == X.*
          const parts = want.split('.');
          const prefix = parts.slice(0, -1).join('.');
          return c >= 0 && (version === prefix || version.startsWith(`${prefix}.`));
        }
      }
    });
  }
}

/** Release segments compared numerically; a pre-release suffix sorts before the release. */
export function comparePythonVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v?(\d+(?:\.\d+)*)(.*)$/.exec(v.trim());
    return { release: (m?.[1] ?? '0').split('.').map(Number), rest: m?.[2] ?? '' };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.release.length, y.release.length); i++) {
    const d = (x.release[i] ?? 0) - (y.release[i] ?? 0);
    if (d) return d;
  }
  if (x.rest === y.rest) return 0;
  const pre = (r: string) => /^(a|b|rc|c|alpha|beta|dev)/i.test(r.replace(/^[.-]/, ''));
  if (!x.rest) return pre(y.rest) ? 1 : -1;
  if (!y.rest) return pre(x.rest) ? -1 : 1;
  return x.rest < y.rest ? -1 : 1;
}

/** Ansible's _recover_package_name: `['django>1.1', '<2', 'six']` -> `['django>1.1,<2', 'six']`. */
export function recoverPackageNames(names: readonly string[]): string[] {
  const parts = names.flatMap((n) => n.split(','));
  const out: string[] = [];
  let current: string[] = [];
  let inBrackets = false;
  for (const part of parts) {
    if (/^\s*[A-Za-z0-9]/.test(part) && !inBrackets) {
      if (current.length) out.push(current.join(','));
      current = [];
    }
    if (part.includes('[')) inBrackets = true;
    if (inBrackets && part.includes(']')) inBrackets = false;
    current.push(part);
  }
  out.push(current.join(','));
  return out;
}

const isVcsUrl = (name: string) => /^(git|hg|svn|bzr)\+/.test(name);

async function pipCommand(target: Target, env: string | undefined, executable: string | undefined): Promise<string[]> {
  if (executable) {
    if (executable.startsWith('/')) return [executable];
    const found = await target.sh('command -v -- "$1"', [executable]);
    if (found.rc === 0) return [found.stdout.trim()];
    throw new ModuleFailure(`Unable to find any of ${executable} to use.  pip needs to be installed.`);
  }
  if (env) {
    const found = await target.sh('for p in pip3 pip; do if [ -x "$1/bin/$p" ]; then echo "$1/bin/$p"; exit 0; fi; done; exit 1', [env]);
    if (found.rc === 0) return [found.stdout.trim()];
    throw new ModuleFailure(`Unable to find pip in the virtualenv, ${env}, under any of these names: pip3, pip. Make sure pip is present in the virtualenv.`);
  }
  const python = await target.sh('for p in python3 python; do if command -v "$p" >/dev/null 2>&1 && "$p" -c "import pip" >/dev/null 2>&1; then command -v "$p"; exit 0; fi; done; exit 1');
  if (python.rc === 0) return [python.stdout.trim(), '-m', 'pip.__main__'];
  const found = await target.sh('command -v pip3');
  if (found.rc === 0) return [found.stdout.trim()];
  throw new ModuleFailure('Unable to find any of pip3 to use.  pip needs to be installed.');
}

export async function runPip(args: PipArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const { state } = args;
  let chdir = (await target.expandOptional(args.chdir)) ?? undefined;
  let env = (await target.expandOptional(args.virtualenv)) ?? undefined;
  const requirements = args.requirements ?? undefined;
  let extraArgs = args.extra_args ?? undefined;
  if (env && chdir && !env.startsWith('/')) env = `${chdir.replace(/\/$/, '')}/${env}`;
  let umask: number | undefined;
  if (args.umask !== undefined && args.umask !== null) {
    umask = parseInt(String(args.umask), 8);
    if (Number.isNaN(umask) || !/^[0-7]+$/.test(String(args.umask))) throw new ModuleFailure('umask must be an octal integer', { details: `invalid literal for int() with base 8: '${args.umask}'` });
  }
  if (state === 'latest' && args.version) throw new ModuleFailure('version is incompatible with state=latest');
  chdir ??= '/tmp';
  // Every command runs under the requested umask, in chdir.
  const run = (argv: string[], extraEnv?: Record<string, string>) =>
    target.run(umask === undefined ? argv : ['/bin/sh', '-c', 'umask "$1"; shift; exec "$@"', 'sh', umask.toString(8), ...argv], { cwd: chdir, env: extraEnv });
  let out = '';
  let err = '';
  let venvCreated = false;
  if (env && (await target.sh('[ -e "$1/bin/activate" ]', [env])).rc !== 0) {
    if (ctx.checkMode) return { changed: true };
    venvCreated = true;
    const cmd = shlexSplit(args.virtualenv_command);
    if (!cmd[0]!.includes('/')) {
      const found = await target.sh('command -v -- "$1"', [cmd[0]!]);
      if (found.rc !== 0) throw new ModuleFailure(`Failed to find required executable "${cmd[0]}" in paths: ${process.env.PATH ?? '/usr/bin:/bin'}`);
      cmd[0] = found.stdout.trim();
    }
    if (args.virtualenv_site_packages) cmd.push('--system-site-packages');
    const isVenv = ['pyvenv', '-m venv'].some((x) => args.virtualenv_command.includes(x));
    if (!isVenv) cmd.push(`-p${args.virtualenv_python ?? 'python3'}`);
    else if (args.virtualenv_python) throw new ModuleFailure('virtualenv_python should not be used when using the venv module or pyvenv as virtualenv_command');
    cmd.push(env);
    const created = await run(cmd);
    out += created.stdout;
    err += created.stderr;
    if (created.rc !== 0) throw new ModuleFailure(`${out ? `stdout: ${out}` : ''}${err ? `\n:stderr: ${err}` : ''}`, { cmd: cmd.join(' ') });
  }
  const pip = await pipCommand(target, env, (await target.expandOptional(args.executable)) ?? undefined);
  const cmd = [...pip, ...STATE_COMMAND[state]];
  const names = args.name ?? undefined;
  let packages: Requirement[] = [];
  if (names?.length) {
    packages = recoverPackageNames(names).map((n) => new Requirement(n));
    if (args.version) {
      if (packages.length > 1) throw new ModuleFailure("'version' argument is ambiguous when installing multiple package distributions. Please specify version restrictions next to each package in 'name' argument.");
      if (packages[0]!.hasVersionSpecifier) throw new ModuleFailure("The 'version' argument conflicts with any version specifier provided along with a package name. Please keep the version specifier, but remove the 'version' argument.");
      const spec = /^[<>=!~]/.test(args.version.trim()) ? args.version.trim() : `==${args.version.trim()}`;
      packages[0] = new Requirement(`${packages[0]!.text}${spec}`);
    }
  }
  if (args.editable) {
    const list = extraArgs ? extraArgs.split(' ') : [];
    if (!list.includes('-e')) extraArgs = [...list, '-e'].join(' ');
  }
  if (extraArgs) cmd.push(...shlexSplit(extraArgs));
  if (names?.length) cmd.push(...packages.map(String));
  else if (requirements) cmd.push('-r', requirements);
  else return { changed: false, warnings: ['No valid name or requirements file found.'] };

  const listPackages = async (): Promise<{ command: string; out: string; err: string }> => {
    const command = [...pip, 'list', '--format=freeze'];
    let listed = await run(command, { LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', LC_MESSAGES: 'C.UTF-8' });
    if (listed.rc === 0) return { command: command.join(' '), out: listed.stdout, err: listed.stderr };
    const freeze = [...pip, 'freeze'];
    listed = await run(freeze);
    if (listed.rc !== 0) throw new ModuleFailure(`${listed.stdout ? `stdout: ${listed.stdout}` : ''}${listed.stderr ? `\n:stderr: ${listed.stderr}` : ''}`, { cmd: freeze });
    return { command: freeze.join(' '), out: listed.stdout, err: listed.stderr };
  };

  if (ctx.checkMode) {
    if (extraArgs || requirements || state === 'latest' || !names?.length) return { changed: true };
    const listed = await listPackages();
    out += listed.out;
    err += listed.err;
    const installed = listed.out
      .split('\n')
      .filter((line) => line.includes('=='))
      .map((line) => {
        const [name, version] = line.split('==');
        return [canonical(name!), version!] as const;
      });
    const present = (req: Requirement) => installed.some(([name, version]) => name === req.name && req.isSatisfiedBy(version));
    const changed = packages.some((req) => (state === 'present' && !present(req)) || (state === 'absent' && present(req)));
    return { changed, cmd: listed.command, stdout: out, stderr: err };
  }

  const hasVcs = (names ?? []).some(isVcsUrl);
  const before = requirements || hasVcs ? (await listPackages()).out : undefined;
  const result = await run(cmd);
  out += result.stdout;
  err += result.stderr;
  if (result.rc === 1 && state === 'absent' && (result.stdout.includes('not installed') || result.stderr.includes('not installed'))) {
    // pip exits 1 for a package that is not installed.
  } else if (result.rc !== 0) {
    throw new ModuleFailure(`${out ? `stdout: ${out}` : ''}${err ? `\n:stderr: ${err}` : ''}`, { cmd });
  }
  let changed: boolean;
  if (state === 'absent') changed = result.stdout.includes('Successfully uninstalled');
  else if (before === undefined) changed = result.stdout.includes('Successfully installed');
  else changed = before !== (await listPackages()).out;
  return {
    changed: changed || venvCreated,
    cmd,
    name: names ?? null,
    version: args.version ?? null,
    state,
    requirements: requirements ?? null,
    virtualenv: env ?? null,
    stdout: out,
    stderr: err,
  };
}

export const pipModule: ModuleDefinition<PipArgs> = {
  name: 'ansible.builtin.pip',
  argSpec: {
    state: { type: 'str', default: 'present', choices: ['absent', 'forcereinstall', 'latest', 'present'] },
    name: { type: 'list', elements: 'str' },
    version: { type: 'str' },
    requirements: { type: 'str' },
    virtualenv: { type: 'path' },
    virtualenv_site_packages: { type: 'bool', default: false },
    virtualenv_command: { type: 'path', default: 'virtualenv' },
    virtualenv_python: { type: 'str' },
    extra_args: { type: 'str' },
    editable: { type: 'bool', default: false },
    chdir: { type: 'path' },
    executable: { type: 'path' },
    umask: { type: 'str' },
  },
  constraints: { requiredOneOf: [['name', 'requirements']], mutuallyExclusive: [['name', 'requirements'], ['executable', 'virtualenv']] },
  supportsCheckMode: true,
  run: async (args, ctx) => withOutputLines(await runPip(args, ctx)),
};
