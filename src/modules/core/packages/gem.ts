// gem: Ruby gems through the target's `gem` command (or `executable`), as
// community.general.gem: present/latest/absent, a version, a local .gem file
// (gem_source), user or system installs, an install_dir (GEM_HOME).
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target } from '../files/target.js';

export interface GemArgs {
  executable?: string | null;
  gem_source?: string | null;
  include_dependencies: boolean;
  name: string;
  repository?: string | null;
  state: 'present' | 'absent' | 'latest';
  user_install: boolean;
  install_dir?: string | null;
  bindir?: string | null;
  norc: boolean;
  pre_release: boolean;
  include_doc: boolean;
  env_shebang: boolean;
  version?: string | null;
  build_flags?: string | null;
  force: boolean;
}

class Gem {
  readonly target: Target;
  private rubygemsVersion: number[] | undefined;

  constructor(
    readonly args: GemArgs,
    ctx: ModuleContext,
  ) {
    this.target = new Target(ctx);
  }

  async command(): Promise<string[]> {
    if (this.args.executable) return this.args.executable.split(' ');
    const found = await this.target.sh('command -v gem');
    if (found.rc !== 0) throw new ModuleFailure('Failed to find required executable "gem" in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    return [found.stdout.trim()];
  }

  get env(): Record<string, string> | undefined {
    return this.args.install_dir ? { GEM_HOME: this.args.install_dir } : undefined;
  }

  async run(argv: string[], env?: Record<string, string>): Promise<string> {
    const full = [...(await this.command()), ...argv];
    const result = await this.target.run(full, { env: { LANG: 'C', LC_ALL: 'C', ...env } });
    if (result.rc !== 0) {
      throw new ModuleFailure(result.stderr.trim() || result.stdout.trim() || `${full.join(' ')} failed`, { cmd: full.join(' '), rc: result.rc, stdout: result.stdout, stderr: result.stderr });
    }
    return result.stdout;
  }

  async version(): Promise<number[] | undefined> {
    if (this.rubygemsVersion) return this.rubygemsVersion;
    const m = /^(\d+)\.(\d+)\.(\d+)/.exec(await this.run(['--version']));
    this.rubygemsVersion = m ? m.slice(1).map(Number) : undefined;
    return this.rubygemsVersion;
  }

  async commonOptions(): Promise<string[]> {
    const v = await this.version();
    return this.args.norc && v && compareVersions(v, [2, 5, 2]) >= 0 ? ['--norc'] : [];
  }

  /** Versions installed locally (or offered remotely), highest first, as `gem list` prints them. */
  async versions(remote: boolean): Promise<string[]> {
    const argv = ['list', ...(await this.commonOptions())];
    if (remote) {
      argv.push('--remote');
      if (this.args.repository) argv.push('--source', this.args.repository);
    }
    argv.push(`^${this.args.name}$`);
    const out = await this.run(argv, this.env);
    const versions: string[] = [];
    for (const line of out.split('\n')) {
      const m = /^\S+\s+\((?:default: )?(.+)\)/.exec(line);
      if (m) for (const v of m[1]!.split(', ')) versions.push(v.split(' ')[0]!.replace(/^default:\s*/, ''));
    }
    return versions;
  }

  async exists(): Promise<boolean> {
    if (this.args.state === 'latest') {
      const remote = await this.versions(true);
      if (remote.length) this.args.version = remote[0];
    }
    const installed = await this.versions(false);
    return this.args.version ? installed.includes(this.args.version) : installed.length > 0;
  }

  async install(): Promise<void> {
    const v = await this.version();
    const argv = ['install', ...(await this.commonOptions())];
    if (this.args.version) argv.push('--version', this.args.version);
    if (this.args.repository) argv.push('--source', this.args.repository);
    if (!this.args.include_dependencies) argv.push('--ignore-dependencies');
    else if (v && compareVersions(v, [2, 0, 0]) < 0) argv.push('--include-dependencies');
    argv.push(this.args.user_install ? '--user-install' : '--no-user-install');
    if (this.args.install_dir) argv.push('--install-dir', this.args.install_dir);
    if (this.args.bindir) argv.push('--bindir', this.args.bindir);
    if (this.args.pre_release) argv.push('--pre');
    if (!this.args.include_doc) argv.push(...(v && compareVersions(v, [2, 0, 0]) < 0 ? ['--no-rdoc', '--no-ri'] : ['--no-document']));
    if (this.args.env_shebang) argv.push('--env-shebang');
    argv.push(this.args.gem_source ?? this.args.name);
    if (this.args.build_flags) argv.push('--', this.args.build_flags);
    if (this.args.force) argv.push('--force');
    await this.run(argv);
  }

  async uninstall(): Promise<void> {
    const argv = ['uninstall', ...(await this.commonOptions())];
    if (this.args.install_dir) argv.push('--install-dir', this.args.install_dir);
    if (this.args.bindir) argv.push('--bindir', this.args.bindir);
    if (this.args.version) argv.push('--version', this.args.version);
    else argv.push('--all');
    argv.push('--executable');
    if (this.args.force) argv.push('--force');
    argv.push(this.args.name);
    await this.run(argv, this.env);
  }
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

export async function runGem(args: GemArgs, ctx: ModuleContext): Promise<ModuleResult> {
  if (args.version && args.state === 'latest') throw new ModuleFailure('Cannot specify version when state=latest');
  if (args.gem_source && args.state === 'latest') throw new ModuleFailure('Cannot maintain state=latest when installing from local source');
  if (args.user_install && args.install_dir) throw new ModuleFailure('install_dir requires user_install=false');
  const target = new Target(ctx);
  const params = { ...args };
  [params.executable, params.gem_source, params.install_dir, params.bindir] = (await target.expandPaths([args.executable ?? '', args.gem_source ?? '', args.install_dir ?? '', args.bindir ?? ''])).map((p) => p || null);
  const gem = new Gem(params, ctx);
  let changed = false;
  if (params.state === 'absent') {
    if (await gem.exists()) {
      if (!ctx.checkMode) await gem.uninstall();
      changed = true;
    }
  } else if (!(await gem.exists())) {
    if (!ctx.checkMode) await gem.install();
    changed = true;
  }
  return { name: params.name, state: params.state, ...(params.version ? { version: params.version } : {}), changed };
}

export const gemModule: ModuleDefinition<GemArgs> = {
  name: 'community.general.gem',
  aliases: ['community.general.packaging.language.gem'],
  argSpec: {
    executable: { type: 'path' },
    gem_source: { type: 'path' },
    include_dependencies: { type: 'bool', default: true },
    name: { type: 'str', required: true },
    repository: { type: 'str', aliases: ['source'] },
    state: { type: 'str', default: 'present', choices: ['present', 'absent', 'latest'] },
    user_install: { type: 'bool', default: true },
    install_dir: { type: 'path' },
    bindir: { type: 'path' },
    norc: { type: 'bool', default: true },
    pre_release: { type: 'bool', default: false },
    include_doc: { type: 'bool', default: false },
    env_shebang: { type: 'bool', default: false },
    version: { type: 'str' },
    build_flags: { type: 'str' },
    force: { type: 'bool', default: false },
  },
  constraints: { mutuallyExclusive: [['gem_source', 'repository'], ['gem_source', 'version']] },
  supportsCheckMode: true,
  run: runGem,
};
