// yum and dnf: RPM packages through the yum/dnf command line on the target (rpm -q to
// see what is installed, `<tool> install/upgrade/remove -y` to change it). The result
// keys follow Ansible's modules: dnf returns msg/results/rc, yum adds `changes`.
// Check mode asks the tool nothing that changes the system: it reports what would run.
import { ModuleFailure, type ArgSpec, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target } from '../files/target.js';

export interface RpmArgs {
  name?: string[] | null;
  list?: string | null;
  state?: 'absent' | 'present' | 'installed' | 'removed' | 'latest' | null;
  enablerepo: string[];
  disablerepo: string[];
  conf_file?: string | null;
  disable_gpg_check: boolean;
  update_cache: boolean;
  update_only: boolean;
  installroot: string;
  exclude: string[];
  skip_broken: boolean;
  autoremove: boolean;
  security: boolean;
  bugfix: boolean;
  releasever?: string | null;
  allow_downgrade: boolean;
  download_only: boolean;
  lock_timeout: number;
  disable_excludes?: string | null;
  install_weak_deps: boolean;
  allowerasing: boolean;
  nobest: boolean;
  cacheonly: boolean;
  validate_certs: boolean;
  sslverify: boolean;
  disable_plugin: string[];
  enable_plugin: string[];
  download_dir?: string | null;
  install_repoquery: boolean;
  use_backend: string;
}

export const rpmArgSpec: ArgSpec = {
  name: { type: 'list', elements: 'str', aliases: ['pkg'], default: [] },
  list: { type: 'str' },
  state: { type: 'str', choices: ['absent', 'installed', 'latest', 'present', 'removed'] },
  enablerepo: { type: 'list', elements: 'str', default: [] },
  disablerepo: { type: 'list', elements: 'str', default: [] },
  conf_file: { type: 'str' },
  disable_gpg_check: { type: 'bool', default: false },
  update_cache: { type: 'bool', default: false, aliases: ['expire-cache'] },
  update_only: { type: 'bool', default: false },
  installroot: { type: 'str', default: '/' },
  exclude: { type: 'list', elements: 'str', default: [] },
  skip_broken: { type: 'bool', default: false },
  autoremove: { type: 'bool', default: false },
  security: { type: 'bool', default: false },
  bugfix: { type: 'bool', default: false },
  releasever: { type: 'str' },
  allow_downgrade: { type: 'bool', default: false },
  download_only: { type: 'bool', default: false },
  lock_timeout: { type: 'int', default: 30 },
  disable_excludes: { type: 'str' },
  install_weak_deps: { type: 'bool', default: true },
  allowerasing: { type: 'bool', default: false },
  nobest: { type: 'bool', default: false },
  cacheonly: { type: 'bool', default: false },
  validate_certs: { type: 'bool', default: true },
  sslverify: { type: 'bool', default: true },
  disable_plugin: { type: 'list', elements: 'str', default: [] },
  enable_plugin: { type: 'list', elements: 'str', default: [] },
  download_dir: { type: 'str' },
  install_repoquery: { type: 'bool', default: true },
  use_backend: { type: 'str', default: 'auto', choices: ['auto', 'yum', 'yum4', 'dnf'] },
};

type Tool = 'yum' | 'dnf';

/** The options every yum/dnf call of this task takes (repositories, gpg, root...). */
function commonOptions(args: RpmArgs): string[] {
  const out: string[] = [];
  for (const repo of args.disablerepo) out.push(`--disablerepo=${repo}`);
  for (const repo of args.enablerepo) out.push(`--enablerepo=${repo}`);
  if (args.conf_file) out.push('-c', args.conf_file);
  if (args.disable_gpg_check) out.push('--nogpgcheck');
  if (args.installroot !== '/') out.push(`--installroot=${args.installroot}`);
  if (args.releasever) out.push(`--releasever=${args.releasever}`);
  for (const pattern of args.exclude) out.push(`--exclude=${pattern}`);
  if (args.skip_broken) out.push('--skip-broken');
  if (args.disable_excludes) out.push(`--disableexcludes=${args.disable_excludes}`);
  if (!args.install_weak_deps) out.push('--setopt=install_weak_deps=False');
  if (args.allowerasing) out.push('--allowerasing');
  if (args.nobest) out.push('--nobest');
  if (args.cacheonly) out.push('--cacheonly');
  if (!args.sslverify || !args.validate_certs) out.push('--setopt=sslverify=False');
  for (const plugin of args.disable_plugin) out.push(`--disableplugin=${plugin}`);
  for (const plugin of args.enable_plugin) out.push(`--enableplugin=${plugin}`);
  if (args.security) out.push('--security');
  if (args.bugfix) out.push('--bugfix');
  if (args.download_only) out.push('--downloadonly');
  if (args.download_dir) out.push(`--downloaddir=${args.download_dir}`);
  return out;
}

// Prints, per spec (NUL-terminated): the installed NEVRAs providing it, one a line.
const INSTALLED_SCRIPT = `root=$1; shift
for p do
  case $p in
    /*|*'('*) rpm --root "$root" -q --whatprovides --qf '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n' -- "$p" 2>/dev/null;;
    *) rpm --root "$root" -q --qf '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n' -- "$p" 2>/dev/null || rpm --root "$root" -q --whatprovides --qf '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n' -- "$p" 2>/dev/null;;
  esac | grep -v '^package \\|^no package' ; printf '\\0'
done`;

async function installedVersions(target: Target, root: string, specs: readonly string[]): Promise<Map<string, string[]>> {
  const result = await target.sh(INSTALLED_SCRIPT, [root, ...specs]);
  const fields = result.stdout.split('\0');
  return new Map(specs.map((spec, i) => [spec, (fields[i] ?? '').split('\n').filter(Boolean)]));
}

/** Package specs that have updates waiting (`check-update` exits 100 and lists them). */
async function updatesFor(target: Target, tool: Tool, options: string[], specs: readonly string[]): Promise<string[]> {
  const result = await target.run([tool, '-q', 'check-update', ...options, ...specs], { env: { LANG: 'C', LC_ALL: 'C' } });
  if (result.rc === 0) return [];
  if (result.rc !== 100) throw new ModuleFailure(result.stderr.trim() || result.stdout.trim() || `${tool} check-update failed`, { rc: result.rc, results: [] });
  const names = new Set(
    result.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0] ?? '')
      .filter((word) => word && !word.startsWith('Obsoleting') && word.includes('.'))
      .map((word) => word.slice(0, word.lastIndexOf('.'))),
  );
  return specs.filter((spec) => names.has(spec) || [...names].some((n) => spec.startsWith(`${n}-`)));
}

export interface RpmPlan {
  install: string[];
  upgrade: string[];
  remove: string[];
}

async function plan(target: Target, tool: Tool, args: RpmArgs, state: 'present' | 'latest' | 'absent', options: string[]): Promise<RpmPlan> {
  const names = (args.name ?? []).filter((n) => n !== '*');
  const installed = await installedVersions(target, args.installroot, names);
  const missing = names.filter((n) => !installed.get(n)!.length);
  if (state === 'absent') return { install: [], upgrade: [], remove: names.filter((n) => installed.get(n)!.length) };
  if (state === 'present') return { install: args.update_only ? [] : missing, upgrade: [], remove: [] };
  const wanted = (args.name ?? []).includes('*') ? [] : names.filter((n) => installed.get(n)!.length);
  const upgrade = (args.name ?? []).includes('*') ? (await updatesFor(target, tool, options, [])).length ? ['*'] : [] : wanted.length ? await updatesFor(target, tool, options, wanted) : [];
  return { install: args.update_only ? [] : missing, upgrade, remove: [] };
}

async function runTool(target: Target, tool: Tool, argv: string[]): Promise<{ rc: number; stdout: string; stderr: string }> {
  return target.run([tool, ...argv], { env: { LANG: 'C', LC_ALL: 'C' } });
}

export async function runRpm(tool: Tool, args: RpmArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const which = await target.sh('command -v "$1"', [tool]);
  if (which.rc !== 0) throw new ModuleFailure(`Could not find the ${tool} command on ${ctx.connection.host}`, { rc: 1, results: [] });
  const options = commonOptions(args);
  const names = args.name ?? [];
  if (args.list) {
    const listed = await runTool(target, tool, ['-q', 'list', ...options, args.list]);
    return { changed: false, msg: '', rc: listed.rc, results: listed.stdout.split('\n').filter(Boolean) };
  }
  if (args.update_cache && !ctx.checkMode) {
    const cache = await runTool(target, tool, ['makecache', '-y', ...options]);
    if (cache.rc !== 0) throw new ModuleFailure(`Failed to update the ${tool} cache: ${cache.stderr.trim()}`, { rc: cache.rc, results: [] });
  }
  if (!names.length) {
    if (args.update_cache) return { changed: false, msg: 'Cache updated', rc: 0, results: [] };
    if (args.autoremove && tool === 'dnf') {
      if (ctx.checkMode) return { changed: false, msg: 'Check mode: autoremove not simulated', rc: 0, results: [] };
      const removed = await runTool(target, tool, ['-y', 'autoremove', ...options]);
      const changed = /^Removing:/m.test(removed.stdout);
      return { changed, msg: '', rc: removed.rc, results: changed ? removed.stdout.split('\n').filter((l) => /^\s*Removed:/.test(l)) : [] };
    }
    throw new ModuleFailure('name is required when state is not set', { rc: 1, results: [] });
  }
  const requested = args.state ?? (args.autoremove ? 'absent' : 'present');
  const state = requested === 'installed' ? 'present' : requested === 'removed' ? 'absent' : requested;
  const steps = await plan(target, tool, args, state, options);
  const results: string[] = [];
  const changes: Record<string, string[]> = {};
  const changed = steps.install.length + steps.upgrade.length + steps.remove.length > 0;
  if (!changed) {
    const msg = tool === 'dnf' ? 'Nothing to do' : '';
    if (tool === 'yum') for (const name of names) results.push(state === 'absent' ? `${name} is not installed` : `${name} is already installed`);
    return { changed: false, msg, rc: 0, results, ...(tool === 'yum' ? { changes: {} } : {}) };
  }
  const verbs: [keyof RpmPlan, string, string][] = [
    ['install', 'install', 'Installed'],
    ['upgrade', 'upgrade', 'Upgraded'],
    ['remove', 'remove', 'Removed'],
  ];
  for (const [key, command, label] of verbs) {
    const list = steps[key];
    if (!list.length) continue;
    changes[key === 'install' ? 'installed' : key === 'upgrade' ? 'updated' : 'removed'] = list;
    if (ctx.checkMode) {
      results.push(...list.map((p) => `${label}: ${p}`));
      continue;
    }
    const argv = ['-y', ...options, command];
    if (key === 'install' && args.allow_downgrade) argv.push('--allowdowngrade');
    if (key === 'remove' && args.autoremove) argv[argv.length - 1] = 'autoremove';
    const result = await runTool(target, tool, [...argv, ...(list.includes('*') ? [] : list)]);
    if (result.rc !== 0) {
      throw new ModuleFailure(result.stderr.trim() || `Failed to ${command} some of the specified packages`, { rc: result.rc, results: [...results, result.stdout], failures: list });
    }
    results.push(...list.map((p) => `${label}: ${p}`));
  }
  const msg = ctx.checkMode ? 'Check mode: No changes made, but would have if not in check mode' : '';
  return { changed: true, msg, rc: 0, results, ...(tool === 'yum' ? { changes } : {}) };
}

export const yumModule: ModuleDefinition<RpmArgs> = {
  name: 'ansible.builtin.yum',
  argSpec: rpmArgSpec,
  constraints: { mutuallyExclusive: [['name', 'list'], ['list', 'update_cache']], requiredOneOf: [['name', 'list', 'update_cache']] },
  supportsCheckMode: true,
  run: (args, ctx) => runRpm('yum', args, ctx),
};

export const dnfModule: ModuleDefinition<RpmArgs> = {
  name: 'ansible.builtin.dnf',
  argSpec: rpmArgSpec,
  constraints: { mutuallyExclusive: [['name', 'list'], ['list', 'autoremove']], requiredOneOf: [['name', 'list', 'autoremove', 'update_cache']] },
  supportsCheckMode: true,
  run: (args, ctx) => runRpm('dnf', args, ctx),
};
