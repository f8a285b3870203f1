// apt: Debian packages through apt-get and dpkg on the target (no python-apt needed):
// update_cache/cache_valid_time, present/latest/absent/fixed/build-dep, version specs
// (`name=1.2*`, `name>=1.2`), fnmatch names, a .deb file or URL, upgrade, autoremove,
// autoclean, clean. Check mode runs apt-get --simulate; --diff shows apt-get's plan.
import { shellJoin } from '../../../connection/shell-quote.js';
import { ModuleFailure, type ArgSpec, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target, withOutputLines } from '../files/target.js';
import { allPackageNames, APT_ENV, cacheUpdateTime, isKnown, packageInfo, packageStatus, splitPackageSpec, type PackageInfo } from './apt-cache.js';
import { fnmatch, hasGlob } from './fnmatch.js';

export interface AptArgs {
  state: 'absent' | 'build-dep' | 'fixed' | 'latest' | 'present';
  update_cache?: boolean | null;
  update_cache_retries: number;
  update_cache_retry_max_delay: number;
  cache_valid_time: number;
  purge: boolean;
  package?: string[] | null;
  deb?: string | null;
  default_release?: string | null;
  install_recommends?: boolean | null;
  force: boolean;
  upgrade: 'dist' | 'full' | 'no' | 'safe' | 'yes';
  dpkg_options: string;
  autoremove: boolean;
  autoclean: boolean;
  fail_on_autoremove: boolean;
  policy_rc_d?: number | null;
  only_upgrade: boolean;
  force_apt_get: boolean;
  clean: boolean;
  allow_unauthenticated: boolean;
  allow_downgrade: boolean;
  allow_change_held_packages: boolean;
  lock_timeout: number;
}

const DPKG_OPTIONS = 'force-confdef,force-confold';

export const aptArgSpec: ArgSpec = {
  state: { type: 'str', default: 'present', choices: ['absent', 'build-dep', 'fixed', 'latest', 'present'] },
  update_cache: { type: 'bool', aliases: ['update-cache'] },
  update_cache_retries: { type: 'int', default: 5 },
  update_cache_retry_max_delay: { type: 'int', default: 12 },
  cache_valid_time: { type: 'int', default: 0 },
  purge: { type: 'bool', default: false },
  package: { type: 'list', elements: 'str', aliases: ['pkg', 'name'] },
  deb: { type: 'path' },
  default_release: { type: 'str', aliases: ['default-release'] },
  install_recommends: { type: 'bool', aliases: ['install-recommends'] },
  force: { type: 'bool', default: false },
  upgrade: { type: 'str', choices: ['dist', 'full', 'no', 'safe', 'yes'], default: 'no' },
  dpkg_options: { type: 'str', default: DPKG_OPTIONS },
  autoremove: { type: 'bool', default: false },
  autoclean: { type: 'bool', default: false },
  fail_on_autoremove: { type: 'bool', default: false },
  policy_rc_d: { type: 'int' },
  only_upgrade: { type: 'bool', default: false },
  force_apt_get: { type: 'bool', default: false },
  clean: { type: 'bool', default: false },
  allow_unauthenticated: { type: 'bool', default: false, aliases: ['allow-unauthenticated'] },
  allow_downgrade: { type: 'bool', default: false, aliases: ['allow-downgrade', 'allow_downgrades', 'allow-downgrades'] },
  allow_change_held_packages: { type: 'bool', default: false },
  lock_timeout: { type: 'int', default: 60 },
};

/** The lines of apt-get's output that say what it does (Ansible's parse_diff). */
export function parseAptDiff(output: string): { prepared: string } {
  const lines = output.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  let start = lines.indexOf('Resolving dependencies...');
  if (start === -1) start = lines.indexOf('Reading state information...');
  let end = lines.findIndex((line) => /^[0-9]+ (packages )?upgraded/.test(line));
  if (end === -1) end = lines.length;
  return { prepared: lines.slice(start + 1, end + 1).join('\n') };
}

const dpkgOptionArgs = (options: string) => options.split(',').flatMap((o) => ['-o', `Dpkg::Options::=--${o}`]);

/** A run of apt: its target, arguments and the lock/policy settings every apt-get call shares. */
class Apt {
  readonly target: Target;

  constructor(
    readonly args: AptArgs,
    readonly ctx: ModuleContext,
  ) {
    this.target = new Target(ctx);
  }

  get check() {
    return this.ctx.checkMode;
  }

  /** apt-get with the lock timeout; services kept from starting when policy_rc_d asks. */
  async aptGet(argv: string[]): Promise<{ rc: number; stdout: string; stderr: string; cmd: string }> {
    const full = ['apt-get', '-o', `DPkg::Lock::Timeout=${this.args.lock_timeout}`, ...argv];
    const result = await this.withPolicyRcD(() => this.target.run(full, { env: APT_ENV }));
    return { ...result, cmd: shellJoin(['/usr/bin/apt-get', ...argv]) };
  }

  /** Runs `action` with /usr/sbin/policy-rc.d answering policy_rc_d (the original restored afterwards). */
  async withPolicyRcD<T>(action: () => Promise<T>): Promise<T> {
    const code = this.args.policy_rc_d;
    if (code === undefined || code === null || this.check) return action();
    const backup = `/usr/sbin/policy-rc.d.tsplay-${process.pid}`;
    await this.target.shOk('Failed to create or chmod /usr/sbin/policy-rc.d', `[ ! -e /usr/sbin/policy-rc.d ] || mv -f /usr/sbin/policy-rc.d "$1"
printf '#!/bin/sh\\nexit %s\\n' "$2" > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d`, [backup, String(code)]);
    try {
      return await action();
    } finally {
      await this.target.sh('if [ -e "$1" ]; then mv -f "$1" /usr/sbin/policy-rc.d; else rm -f /usr/sbin/policy-rc.d; fi', [backup]);
    }
  }

  async updateCache(): Promise<{ updated: boolean; time: number }> {
    let time = await cacheUpdateTime(this.target);
    const { update_cache, cache_valid_time } = this.args;
    if (!update_cache && !cache_valid_time) return { updated: false, time };
    if (time + cache_valid_time >= Date.now() / 1000) return { updated: false, time };
    if (!this.check) {
      let error = '';
      let ok = false;
      for (let retry = 0; retry < this.args.update_cache_retries; retry++) {
        const result = await this.aptGet(['update', '-q']);
        // apt-get update exits 0 even when some lists failed; its "W:"/"E:" lines say so.
        if (result.rc === 0 && !/^E: /m.test(result.stderr)) {
          ok = true;
          break;
        }
        error = result.stderr.trim() || result.stdout.trim();
        const randomize = Math.random();
        let delay = 2 ** retry + randomize;
        if (delay > this.args.update_cache_retry_max_delay) delay = this.args.update_cache_retry_max_delay + randomize;
        if (retry + 1 < this.args.update_cache_retries) await new Promise((r) => setTimeout(r, delay * 1000));
      }
      if (!ok) throw new ModuleFailure(`Failed to update apt cache: ${error || 'unknown reason'}`);
    }
    const after = await cacheUpdateTime(this.target);
    const updated = this.check || after !== time;
    time = after;
    return { updated, time };
  }

  /** Names with glob characters replaced by the package names they match. */
  async expandPatterns(specs: readonly string[]): Promise<string[]> {
    let names: string[] | undefined;
    const out: string[] = [];
    for (const spec of specs) {
      const [pattern] = splitPackageSpec(spec);
      if (!hasGlob(pattern)) {
        out.push(spec);
        continue;
      }
      names ??= await allPackageNames(this.target);
      const candidates = pattern.includes(':') ? names : names.filter((n) => !n.includes(':'));
      const matches = candidates.filter((n) => fnmatch(n, pattern)).sort();
      if (!matches.length) throw new ModuleFailure(`No package(s) matching '${pattern}' available`);
      out.push(...matches);
    }
    return out;
  }

  /** Facts for the names, and for the single provider of each virtual one. */
  async infos(names: readonly string[]): Promise<Map<string, PackageInfo>> {
    const infos = await packageInfo(this.target, names, this.args.default_release ?? undefined);
    const providers = [...infos.values()].filter((i) => !isKnown(i) && i.providers.length === 1).map((i) => i.providers[0]!);
    const more = await packageInfo(this.target, providers.filter((p) => !infos.has(p)), this.args.default_release ?? undefined);
    for (const [name, info] of more) infos.set(name, info);
    return infos;
  }

  async install(specs: readonly string[], mode: { upgrade: boolean; buildDep: boolean; fixed: boolean }): Promise<{ ok: boolean; data: ModuleResult }> {
    const expanded = await this.expandPatterns(specs);
    const infos = await this.infos(expanded.map((s) => splitPackageSpec(s)[0]));
    const list: string[] = [];
    const names: string[] = [];
    for (const spec of expanded) {
      if (mode.buildDep) {
        list.push(spec);
        continue;
      }
      const [name, compare, version] = splitPackageSpec(spec);
      names.push(name);
      const info = infos.get(name)!;
      let status;
      if (!isKnown(info)) {
        if (!info.providers.length) throw new ModuleFailure(`No package matching '${name}' is available`);
        const single = info.providers.length === 1 ? infos.get(info.providers[0]!) : undefined;
        const viaProvider = single ? packageStatus(single, compare, version) : undefined;
        status = viaProvider?.installed ? viaProvider : { installed: false, versionInstalled: false, installable: true as const, hasFiles: false };
      } else status = packageStatus(info, compare, version);
      if (!status.installed && this.args.only_upgrade) continue;
      if (!status.versionInstalled && status.installable === undefined) {
        return { ok: false, data: { msg: `no available installation candidate for ${spec}` } };
      }
      if (status.installable !== undefined && ((!status.installed && !this.args.only_upgrade) || mode.upgrade || !status.versionInstalled)) {
        if (status.installable !== true) list.push(`${name}=${status.installable}`);
        else if (version) list.push(`${name}=${version}`);
        else list.push(name);
      } else if (status.versionInstalled && status.installable !== undefined && compare === '=') {
        list.push(`${name}=${version}`);
      }
    }
    let data: ModuleResult = { changed: false };
    let ok = true;
    if (list.length) {
      const argv = ['-y', ...dpkgOptionArgs(this.args.dpkg_options)];
      if (this.args.only_upgrade) argv.push('--only-upgrade');
      if (mode.fixed) argv.push('--fix-broken');
      if (this.args.force) argv.push('--force-yes');
      if (this.args.autoremove && !mode.buildDep) argv.push('--auto-remove');
      if (this.args.fail_on_autoremove) argv.push('--no-remove');
      if (this.check) argv.push('--simulate');
      argv.push(mode.buildDep ? 'build-dep' : 'install', ...list);
      if (this.args.default_release) argv.push('-t', this.args.default_release);
      if (this.args.install_recommends === false) argv.push('-o', 'APT::Install-Recommends=no');
      else if (this.args.install_recommends === true) argv.push('-o', 'APT::Install-Recommends=yes');
      if (this.args.allow_unauthenticated) argv.push('--allow-unauthenticated');
      if (this.args.allow_downgrade) argv.push('--allow-downgrades');
      if (this.args.allow_change_held_packages) argv.push('--allow-change-held-packages');
      const result = await this.aptGet(argv);
      const diff = this.ctx.diffMode ? parseAptDiff(result.stdout) : {};
      const changed = mode.buildDep ? !result.stdout.includes('\n0 upgraded, 0 newly installed') : true;
      data = { changed, stdout: result.stdout, stderr: result.stderr, diff };
      if (result.rc) {
        ok = false;
        data = { msg: `'${result.cmd}' failed: ${result.stderr}`, stdout: result.stdout, stderr: result.stderr, rc: result.rc };
      }
    }
    if (!mode.buildDep && !this.check && names.length) {
      const mark = await this.target.run(['apt-mark', 'manual', ...names], { env: APT_ENV });
      if (mark.rc !== 0) {
        throw new ModuleFailure(`'${shellJoin(['/usr/bin/apt-mark', 'manual', ...names])}' failed: ${mark.stderr}`, { stdout: mark.stdout, stderr: mark.stderr, rc: mark.rc });
      }
    }
    return { ok, data };
  }

  async remove(specs: readonly string[]): Promise<ModuleResult> {
    const expanded = await this.expandPatterns(specs);
    const infos = await packageInfo(this.target, expanded.map((s) => splitPackageSpec(s)[0]));
    const list = expanded.filter((spec) => {
      const [name, compare, version] = splitPackageSpec(spec);
      const info = infos.get(name)!;
      const status = packageStatus(info, compare, version);
      return status.versionInstalled || (status.hasFiles && this.args.purge);
    });
    if (!list.length) return { changed: false };
    const argv = ['-q', '-y', ...dpkgOptionArgs(this.args.dpkg_options)];
    if (this.args.purge) argv.push('--purge');
    if (this.args.force) argv.push('--force-yes');
    if (this.args.autoremove) argv.push('--auto-remove');
    if (this.check) argv.push('--simulate');
    argv.push('remove', ...list);
    const result = await this.aptGet(argv);
    const diff = this.ctx.diffMode ? parseAptDiff(result.stdout) : {};
    if (result.rc) {
      throw new ModuleFailure(`'apt-get remove ${list.map((p) => `'${p}'`).join(' ')}' failed: ${result.stderr}`, { stdout: result.stdout, stderr: result.stderr, rc: result.rc });
    }
    return { changed: true, stdout: result.stdout, stderr: result.stderr, diff };
  }

  async cleanup(operation: 'autoremove' | 'autoclean'): Promise<ModuleResult> {
    const argv = ['-y', ...dpkgOptionArgs(this.args.dpkg_options)];
    if (this.args.purge) argv.push('--purge');
    if (this.args.force) argv.push('--force-yes');
    argv.push(operation);
    if (this.check) argv.push('--simulate');
    const result = await this.aptGet(argv);
    const diff = this.ctx.diffMode ? parseAptDiff(result.stdout) : {};
    if (result.rc) throw new ModuleFailure(`'apt-get ${operation}' failed: ${result.stderr}`, { stdout: result.stdout, stderr: result.stderr, rc: result.rc });
    const marker = operation === 'autoremove' ? 'The following packages will be REMOVED' : 'Del ';
    return { changed: result.stdout.includes(marker), stdout: result.stdout, stderr: result.stderr, diff };
  }

  async upgrade(mode: string): Promise<ModuleResult> {
    const aptitude = (await this.target.sh('command -v aptitude')).stdout.trim();
    const useAptGet = this.args.force_apt_get || !aptitude;
    let program = 'apt-get';
    let command: string[];
    if (mode === 'dist' || (mode === 'full' && useAptGet)) command = ['dist-upgrade', ...(this.args.autoremove ? ['--auto-remove'] : [])];
    else if (mode === 'full') {
      program = aptitude;
      command = ['full-upgrade'];
    } else if (useAptGet) command = ['upgrade', '--with-new-pkgs', ...(this.args.autoremove ? ['--auto-remove'] : [])];
    else {
      program = aptitude;
      command = ['safe-upgrade'];
    }
    const argv = ['-y', ...dpkgOptionArgs(this.args.dpkg_options)];
    if (this.args.force) argv.push(...(program === 'apt-get' ? ['--force-yes'] : ['--assume-yes', '--allow-untrusted']));
    if (this.args.allow_unauthenticated) argv.push('--allow-unauthenticated');
    if (this.args.allow_downgrade) argv.push('--allow-downgrades');
    if (this.args.fail_on_autoremove) argv.push('--no-remove');
    if (this.check) argv.push('--simulate');
    argv.push(...command);
    const result = program === 'apt-get' ? await this.aptGet(argv) : { ...(await this.withPolicyRcD(() => this.target.run([program, ...argv], { env: APT_ENV }))), cmd: shellJoin([program, ...argv]) };
    if (result.rc) throw new ModuleFailure(`'${program} ${command.join(' ')}' failed: ${result.stderr}`, { stdout: result.stdout, rc: result.rc });
    const zero = program === 'apt-get' ? '\n0 upgraded, 0 newly installed' : '\n0 packages upgraded, 0 newly installed';
    if (result.stdout.includes(zero)) return { changed: false, msg: result.stdout, stdout: result.stdout, stderr: result.stderr };
    const diff = this.ctx.diffMode ? parseAptDiff(result.stdout) : {};
    return { changed: true, msg: result.stdout, stdout: result.stdout, stderr: result.stderr, diff };
  }

  /** Downloads a deb given as a URL to a temporary file on the target. */
  async fetchDeb(url: string): Promise<string> {
    const result = await this.target.sh(`f=$(mktemp --suffix=.deb) || exit 1
if command -v curl >/dev/null 2>&1; then curl -fsSL -o "$f" -- "$1" || { rm -f "$f"; exit 1; }
else wget -q -O "$f" -- "$1" || { rm -f "$f"; exit 1; }; fi
echo "$f"`, [url]);
    if (result.rc !== 0) throw new ModuleFailure(`Failure downloading ${url}, ${result.stderr.trim()}`);
    return result.stdout.trim();
  }

  async installDebs(debs: string): Promise<ModuleResult> {
    const toInstall: string[] = [];
    const deps: string[] = [];
    for (const deb of debs.split(',')) {
      const fields = await this.target.run(['dpkg-deb', '-f', deb, 'Package', 'Version', 'Depends', 'Pre-Depends'], { env: APT_ENV });
      if (fields.rc !== 0) throw new ModuleFailure(`Unable to install package: ${fields.stderr.trim() || `cannot read ${deb}`}`);
      const field = (name: string) => new RegExp(`^${name}: (.*(?:\\n .*)*)`, 'm').exec(fields.stdout)?.[1]?.replace(/\n /g, ' ').trim() ?? '';
      const name = field('Package');
      const version = field('Version');
      const info = (await packageInfo(this.target, [name])).get(name)!;
      if (info.installedVersion === version) continue;
      deps.push(...(await this.missingDependencies([field('Pre-Depends'), field('Depends')].filter(Boolean).join(', '))));
      toInstall.push(deb);
    }
    let retvals: ModuleResult = {};
    let changed = false;
    if (deps.length) {
      const { ok, data } = await this.install([...new Set(deps)], { upgrade: false, buildDep: false, fixed: false });
      if (!ok) throw new ModuleFailure(String(data.msg), data);
      retvals = data;
      changed = data.changed === true;
    }
    if (!toInstall.length) return { changed, stdout: retvals.stdout ?? '', stderr: retvals.stderr ?? '', diff: (retvals.diff ?? '') as ModuleResult['diff'] };
    const options = this.args.dpkg_options.split(',').map((o) => `--${o}`);
    if (this.check) options.push('--simulate');
    if (this.args.force) options.push('--force-all');
    const argv = ['dpkg', ...options, '-i', ...toInstall];
    const result = await this.withPolicyRcD(() => this.target.run(argv, { env: APT_ENV }));
    const stdout = String(retvals.stdout ?? '') + result.stdout;
    const stderr = String(retvals.stderr ?? '') + result.stderr;
    let diff: Record<string, unknown>;
    if (retvals.diff && typeof retvals.diff === 'object') {
      diff = { ...(retvals.diff as Record<string, unknown>) };
      if ('prepared' in diff) diff.prepared = `${String(diff.prepared)}\n\n${result.stdout}`;
    } else diff = parseAptDiff(result.stdout);
    if (result.rc !== 0) throw new ModuleFailure(`${argv.join(' ')} failed`, { stdout, stderr });
    return { changed: true, stdout, stderr, diff };
  }

  /** Names from a Depends field none of whose alternatives is installed (first alternative of each). */
  async missingDependencies(depends: string): Promise<string[]> {
    if (!depends) return [];
    const clauses = depends.split(',').map((clause) =>
      clause
        .split('|')
        .map((alt) => alt.trim().replace(/\s*\(.*\)$/, '').replace(/:any$/, ''))
        .filter(Boolean),
    );
    const names = [...new Set(clauses.flat())];
    const result = await this.target.sh(`for p do
  s=$(dpkg-query -W -f='\${db:Status-Abbrev}' -- "$p" 2>/dev/null | head -c 2)
  if [ "$s" = ii ] || dpkg-query -W -f='\${Provides}\\n' 2>/dev/null | tr ',' '\\n' | sed 's/(.*//; s/ //g' | grep -qxF -- "$p"; then echo "$p"; fi
done`, names, { env: APT_ENV });
    const present = new Set(result.stdout.split('\n').filter(Boolean));
    return clauses.filter((alts) => !alts.some((a) => present.has(a))).map((alts) => alts[0]!);
  }
}

export async function runApt(args: AptArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const apt = new Apt(args, ctx);
  const packages = args.package ?? undefined;
  const upgradeMode = args.upgrade === 'no' ? undefined : args.upgrade;
  const done = (result: ModuleResult) => withOutputLines(result);

  if (args.clean) {
    const result = await apt.aptGet(['clean']);
    if (result.rc !== 0) throw new ModuleFailure(result.stderr ? `apt-get clean failed: ${result.stderr}` : 'apt-get clean failed', { stdout: result.stdout, rc: result.rc });
    if (!packages && !upgradeMode && !args.deb) return done({ changed: true, msg: result.stdout, stdout: result.stdout, stderr: result.stderr });
  }

  const cache = await apt.updateCache();
  if ((args.update_cache || args.cache_valid_time) && !packages && !upgradeMode && !args.deb) {
    return { changed: cache.updated, cache_updated: cache.updated, cache_update_time: cache.time };
  }
  if (upgradeMode) return done(await apt.upgrade(upgradeMode));
  if (args.deb) {
    if (args.state !== 'present') throw new ModuleFailure('deb only supports state=present');
    const deb = args.deb.includes('://') ? await apt.fetchDeb(args.deb) : await apt.target.expandPath(args.deb);
    return done(await apt.installDebs(deb));
  }
  const all = packages ?? [];
  const names = all.filter((p) => p !== '*').map((p) => p.trim());
  if (args.state === 'latest' && all.includes('*')) {
    if (names.length) throw new ModuleFailure('unable to install additional packages when upgrading all installed packages');
    return done(await apt.upgrade('yes'));
  }
  const invalid = names.find((p) => p.split('=').length > 2);
  if (invalid !== undefined) throw new ModuleFailure(`invalid package spec: ${invalid}`);
  if (!names.length) {
    if (args.autoclean) return done(await apt.cleanup('autoclean'));
    if (args.autoremove) return done(await apt.cleanup('autoremove'));
  }
  if (args.state === 'absent') return done(await apt.remove(names));
  const { ok, data } = await apt.install(names, { upgrade: args.state === 'latest', buildDep: args.state === 'build-dep', fixed: args.state === 'fixed' });
  const result = { ...data, cache_updated: cache.updated, cache_update_time: cache.time };
  if (!ok) throw new ModuleFailure(String(result.msg), withOutputLines(result));
  return done(result);
}

export const aptModule: ModuleDefinition<AptArgs> = {
  name: 'ansible.builtin.apt',
  argSpec: aptArgSpec,
  constraints: {
    mutuallyExclusive: [['deb', 'package', 'upgrade']],
    requiredOneOf: [['autoremove', 'deb', 'package', 'update_cache', 'upgrade']],
  },
  supportsCheckMode: true,
  run: runApt,
};
