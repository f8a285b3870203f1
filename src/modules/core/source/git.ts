// git: a checkout of a repository at a version (branch, tag, commit or HEAD), cloned or
// fetched with the target's git, as Ansible's module does it: before/after commit ids,
// local modifications refused unless force, the remote URL kept in sync, shallow
// clones (depth), ssh key and host key options, and a `git diff` for --diff.
import { posix } from 'node:path';
import { shellQuote } from '../../../connection/shell-quote.js';
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target } from '../files/target.js';

export interface GitArgs {
  repo: string;
  dest?: string | null;
  remote: string;
  refspec?: string | null;
  reference?: string | null;
  version: string;
  force: boolean;
  depth?: number | null;
  clone: boolean;
  update: boolean;
  verify_commit: boolean;
  gpg_whitelist: string[];
  accept_hostkey: boolean;
  accept_newhostkey: boolean;
  key_file?: string | null;
  ssh_opts?: string | null;
  executable?: string | null;
  bare: boolean;
  recursive: boolean;
  single_branch: boolean;
  track_submodules: boolean;
  umask?: unknown;
  archive?: string | null;
  archive_prefix?: string | null;
  separate_git_dir?: string | null;
}

interface Ran {
  rc: number;
  stdout: string;
  stderr: string;
}

/** ssh://, git@host:path and file paths compared without their trailing slash and .git. */
function unfrackGitPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const stripped = path.replace(/^(ssh:\/\/|file:\/\/)/, '').replace(/\/+$/, '');
  return stripped.replace(/\.git$/, '');
}

class Git {
  readonly target: Target;
  env: Record<string, string> = { LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', LC_MESSAGES: 'C.UTF-8', LC_CTYPE: 'C.UTF-8' };

  constructor(
    readonly args: GitArgs,
    ctx: ModuleContext,
    readonly program: string,
    readonly umask: string | undefined,
  ) {
    this.target = new Target(ctx);
  }

  run(argv: readonly string[], cwd?: string): Promise<Ran> {
    const full = [this.program, ...argv];
    const command = this.umask === undefined ? full : ['/bin/sh', '-c', 'umask "$1"; shift; exec "$@"', 'sh', this.umask, ...full];
    return this.target.run(command, { cwd, env: this.env });
  }

  async ok(argv: readonly string[], cwd?: string): Promise<string> {
    const result = await this.run(argv, cwd);
    if (result.rc !== 0) {
      throw new ModuleFailure(`Failed to run ${[this.program, ...argv].join(' ')}: ${result.stderr.trim() || result.stdout.trim()}`, {
        cmd: [this.program, ...argv].map(shellQuote).join(' '),
        rc: result.rc,
        stdout: result.stdout,
        stderr: result.stderr,
      });
    }
    return result.stdout;
  }

  async lsRemote(remote: string, flags: string[], cwd?: string): Promise<string> {
    return this.ok(['ls-remote', remote, ...flags], cwd);
  }

  async isRemoteBranch(remote: string, version: string, cwd?: string): Promise<boolean> {
    const out = await this.lsRemote(remote, ['-h', `refs/heads/${version}`], cwd);
    return out.includes(version);
  }

  async isRemoteTag(remote: string, version: string, cwd?: string): Promise<boolean> {
    const out = await this.lsRemote(remote, ['-t', `refs/tags/${version}`], cwd);
    return out.includes(version);
  }

  async isLocalBranch(dest: string, branch: string): Promise<boolean> {
    const out = await this.ok(['branch', '--no-color', '-a'], dest);
    return out.split('\n').some((line) => line.replace(/^\*/, '').trim() === branch);
  }

  /** The branch the remote's HEAD points at. */
  async headBranch(dest: string, remote: string): Promise<string> {
    const local = await this.run(['symbolic-ref', '--short', `refs/remotes/${remote}/HEAD`], dest);
    if (local.rc === 0 && local.stdout.trim()) return local.stdout.trim().slice(remote.length + 1);
    const remoteHead = await this.run(['ls-remote', '--symref', remote, 'HEAD'], dest);
    const m = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(remoteHead.stdout);
    if (m) return m[1]!;
    const current = await this.run(['symbolic-ref', '--short', 'HEAD'], dest);
    return current.stdout.trim() || 'master';
  }

  async remoteHead(dest: string | undefined, version: string, remote: string, cloning: boolean): Promise<string> {
    const cwd = cloning ? undefined : dest;
    let out: string;
    let tag = false;
    if (version === 'HEAD') {
      out = cloning ? await this.lsRemote(remote, ['-h', 'HEAD'], cwd) : await this.lsRemote(remote, ['-h', `refs/heads/${await this.headBranch(dest!, remote)}`], cwd);
    } else if (await this.isRemoteBranch(remote, version, cwd)) out = await this.lsRemote(remote, ['-h', `refs/heads/${version}`], cwd);
    else if (await this.isRemoteTag(remote, version, cwd)) {
      tag = true;
      out = await this.lsRemote(remote, ['-t', `refs/tags/${version}*`], cwd);
    } else return version;
    if (!out) throw new ModuleFailure(`Could not determine remote revision for ${version}`, { stdout: out, stderr: '', rc: 0 });
    if (tag) {
      for (const line of out.split('\n')) {
        if (line.endsWith(`${version}^{}`)) {
          out = line;
          break;
        } else if (line.endsWith(version)) out = line;
      }
    }
    return out.split(/\s+/)[0]!;
  }

  async version(dest: string): Promise<string> {
    return (await this.run(['rev-parse', 'HEAD'], dest)).stdout.replace(/\n$/, '');
  }

  async hasLocalMods(dest: string): Promise<boolean> {
    if (this.args.bare) return false;
    const out = (await this.run(['status', '--porcelain'], dest)).stdout;
    return out.split('\n').filter((l) => l && !l.startsWith('??')).length > 0;
  }

  async remoteUrl(dest: string, remote: string): Promise<string | undefined> {
    const result = await this.run(['ls-remote', '--get-url', remote], dest);
    return result.rc === 0 ? result.stdout.trim() : undefined;
  }

  async setRemoteUrl(dest: string, remote: string, repo: string): Promise<boolean> {
    const url = await this.remoteUrl(dest, remote);
    if (url === repo || unfrackGitPath(url) === unfrackGitPath(repo)) return false;
    const result = await this.run(['remote', 'set-url', remote, repo], dest);
    if (result.rc !== 0) throw new ModuleFailure(`Failed to set a new url ${repo} for ${remote}: ${result.stdout} ${result.stderr}`);
    return url !== undefined;
  }

  async clone(repo: string, dest: string, warnings: string[]): Promise<void> {
    const { args } = this;
    await this.target.sh('mkdir -p -- "$1"', [posix.dirname(dest)]);
    const argv = ['clone'];
    if (args.bare) argv.push('--bare');
    else argv.push('--origin', args.remote);
    const branchOrTag = (await this.isRemoteBranch(repo, args.version)) || (await this.isRemoteTag(repo, args.version));
    if (args.depth) {
      if (args.version === 'HEAD' || args.refspec) argv.push('--depth', String(args.depth));
      else if (branchOrTag) argv.push('--depth', String(args.depth), '--branch', args.version);
      else warnings.push('Ignoring depth argument. Shallow clones are only available for HEAD, branches, tags or in combination with refspec.');
    }
    if (args.reference) argv.push('--reference', args.reference);
    if (args.single_branch) {
      argv.push('--single-branch');
      if (branchOrTag) argv.push('--branch', args.version);
    }
    if (args.separate_git_dir) argv.push(`--separate-git-dir=${args.separate_git_dir}`);
    argv.push(repo, dest);
    await this.ok(argv, posix.dirname(dest));
    if (args.bare && args.remote !== 'origin') await this.ok(['remote', 'add', args.remote, repo], dest);
    if (args.refspec) await this.ok(['fetch', ...(args.depth ? ['--depth', String(args.depth)] : []), args.remote, args.refspec], dest);
  }

  async fetch(repo: string, dest: string, version: string): Promise<void> {
    const { args } = this;
    await this.setRemoteUrl(dest, args.remote, repo);
    const argv = ['fetch'];
    let refspecs: string[] = [];
    if (args.depth) {
      const current = await this.headBranch(dest, args.remote);
      if (args.refspec) refspecs.push(args.refspec);
      else if (version === 'HEAD') refspecs.push(current);
      else if (await this.isRemoteBranch(repo, version, dest)) {
        if (current !== version) refspecs.push(`+refs/heads/${version}:refs/heads/${version}`);
        refspecs.push(`+refs/heads/${version}:refs/remotes/${args.remote}/${version}`);
      } else if (await this.isRemoteTag(repo, version, dest)) refspecs.push(`+refs/tags/${version}:refs/tags/${version}`);
      if (refspecs.length) argv.push('--depth', String(args.depth));
    }
    if (!args.depth || !refspecs.length) {
      if (args.bare) refspecs = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];
      else argv.push('--tags');
      if (args.refspec) refspecs.push(args.refspec);
    }
    if (args.force) argv.push('--force');
    argv.push(args.remote, ...refspecs);
    const result = await this.run(argv, dest);
    if (result.rc !== 0) throw new ModuleFailure(`Failed to download remote objects and refs: ${result.stdout} ${result.stderr}`, { cmd: [this.program, ...argv] });
  }

  async switchVersion(dest: string, version: string): Promise<void> {
    const { remote, depth } = this.args;
    let argv: string[];
    let branch: string | undefined;
    if (version === 'HEAD') {
      branch = await this.headBranch(dest, remote);
      const co = await this.run(['checkout', '--force', branch], dest);
      if (co.rc !== 0) throw new ModuleFailure(`Failed to checkout branch ${branch}`, { stdout: co.stdout, stderr: co.stderr, rc: co.rc });
      argv = ['reset', '--hard', `${remote}/${branch}`, '--'];
    } else if (await this.isRemoteBranch(remote, version, dest)) {
      if (depth && !(await this.isLocalBranch(dest, version))) {
        await this.ok(['fetch', '--depth', String(depth), remote, `+refs/heads/${version}:refs/remotes/${remote}/${version}`], dest);
      }
      if (!(await this.isLocalBranch(dest, version))) argv = ['checkout', '--track', '-b', version, `${remote}/${version}`];
      else {
        const co = await this.run(['checkout', '--force', version], dest);
        if (co.rc !== 0) throw new ModuleFailure(`Failed to checkout branch ${version}`, { stdout: co.stdout, stderr: co.stderr, rc: co.rc });
        argv = ['reset', '--hard', `${remote}/${version}`];
      }
    } else argv = ['checkout', '--force', version];
    const result = await this.run(argv, dest);
    if (result.rc !== 0) {
      throw new ModuleFailure(version !== 'HEAD' ? `Failed to checkout ${version}` : `Failed to checkout branch ${branch}`, {
        stdout: result.stdout,
        stderr: result.stderr,
        rc: result.rc,
        cmd: [this.program, ...argv].join(' '),
      });
    }
  }

  async diff(dest: string | undefined, repo: string, before: string | null, after: string): Promise<Record<string, string> | undefined> {
    if (before === null) return { prepared: `>> Newly checked out ${after}` };
    if (before === after || !dest) return undefined;
    await this.fetch(repo, dest, after);
    const result = await this.run(['diff', before, after], dest);
    if (result.rc === 0 && result.stdout) return { prepared: result.stdout };
    if (result.rc === 0) return { prepared: `>> No visual differences between ${before} and ${after}` };
    if (result.stderr) return { prepared: `>> Failed to get proper diff between ${before} and ${after}:\n>> ${result.stderr}` };
    return { prepared: `>> Failed to get proper diff between ${before} and ${after}` };
  }

  async submodules(dest: string): Promise<boolean> {
    if ((await this.target.stat(posix.join(dest, '.gitmodules'))) === undefined) return false;
    const before = (await this.run(['submodule', 'status', '--recursive'], dest)).stdout;
    if (this.target.ctx.checkMode) return before.split('\n').some((l) => /^[-+]/.test(l));
    const update = ['submodule', 'update', '--init', '--recursive', ...(this.args.track_submodules ? ['--remote'] : []), ...(this.args.force ? ['--force'] : [])];
    await this.ok(['submodule', 'sync', '--recursive'], dest);
    await this.ok(update, dest);
    return (await this.run(['submodule', 'status', '--recursive'], dest)).stdout !== before;
  }
}

/** Ansible drops an empty warnings list from what a module returns. */
function withoutEmptyWarnings(result: ModuleResult): ModuleResult {
  if (Array.isArray(result.warnings) && result.warnings.length === 0) delete result.warnings;
  return result;
}

export async function runGit(args: GitArgs, ctx: ModuleContext): Promise<ModuleResult> {
  try {
    return withoutEmptyWarnings(await checkout(args, ctx));
  } catch (error) {
    if (error instanceof ModuleFailure) withoutEmptyWarnings(error.extra);
    throw error;
  }
}

async function checkout(args: GitArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const result: ModuleResult = { changed: false, warnings: [] as string[] };
  const warnings = result.warnings as string[];
  let sshOpts = args.ssh_opts ?? undefined;
  const addOpt = (opt: string) => {
    if (sshOpts !== undefined && (sshOpts.includes('-o StrictHostKeyChecking=no') || sshOpts.includes('-o StrictHostKeyChecking=accept-new'))) return;
    sshOpts = sshOpts === undefined ? opt : `${sshOpts} ${opt}`;
  };
  if (args.accept_hostkey) addOpt('-o StrictHostKeyChecking=no');
  if (args.accept_newhostkey) addOpt('-o StrictHostKeyChecking=accept-new');
  let umask: string | undefined;
  if (args.umask !== undefined && args.umask !== null) {
    if (typeof args.umask !== 'string') throw new ModuleFailure('umask must be defined as a quoted octal integer');
    if (!/^[0-7]+$/.test(args.umask)) throw new ModuleFailure('umask must be an octal integer', { details: `invalid literal for int() with base 8: '${args.umask}'` });
    umask = args.umask;
  }
  let repo = args.repo;
  const expandedRepo = await target.expandPath(repo);
  if (expandedRepo.startsWith('/')) repo = `file://${expandedRepo}`;
  if (!args.dest && args.clone) throw new ModuleFailure('the destination directory must be specified unless clone=no');
  let dest: string | undefined;
  if (args.dest) {
    const expanded = await target.expandPath(args.dest);
    dest = posix.normalize(expanded.startsWith('/') ? expanded : posix.join((await target.sh('pwd')).stdout.trim(), expanded));
  }
  let program = args.executable ?? undefined;
  if (!program) {
    const found = await target.sh('command -v git');
    if (found.rc !== 0) throw new ModuleFailure('Failed to find required executable "git" in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    program = found.stdout.trim();
  }
  const git = new Git({ ...args, dest: dest ?? null }, ctx, program, umask);
  if (args.key_file || sshOpts) {
    const keyFile = args.key_file ? await target.expandPath(args.key_file) : undefined;
    const parts = ['ssh'];
    if (keyFile) parts.push('-i', shellQuote(keyFile), '-o', 'IdentitiesOnly=yes');
    if (sshOpts) parts.push(sshOpts);
    git.env.GIT_SSH_COMMAND = parts.join(' ');
  }

  // The repository's own directory: dest/.git, what a `.git` file points at, or dest when bare.
  let repoPath: string | undefined;
  if (dest) {
    repoPath = args.bare ? dest : posix.join(dest, '.git');
    const stat = await target.stat(repoPath);
    if (stat?.type === 'file') {
      const text = (await target.readFile(repoPath)).toString('utf8');
      const m = /^gitdir: (.*)$/m.exec(text);
      if (!m) throw new ModuleFailure('Current repo does not have a valid reference to a separate Git dir or it refers to the invalid path', { details: `.git file has invalid git dir reference format: ${text}` });
      repoPath = m[1]!.startsWith('/') ? m[1]! : posix.join(dest, m[1]!);
    }
  }
  result.before = null;
  let localMods = false;
  let remoteUrlChanged = false;
  const version = args.version;
  const exists = dest !== undefined && (await target.stat(posix.join(repoPath!, 'config'))) !== undefined;
  if ((dest && !exists) || (!dest && !args.clone)) {
    if (ctx.checkMode || !args.clone) {
      const head = await git.remoteHead(dest, version, repo, true);
      Object.assign(result, { changed: true, after: head });
      if (ctx.diffMode) {
        const diff = await git.diff(dest, repo, null, head);
        if (diff) result.diff = diff as never;
      }
      return result;
    }
    await git.clone(repo, dest!, warnings);
  } else if (!args.update) {
    result.before = await git.version(dest!);
    result.after = result.before;
    return result;
  } else {
    localMods = await git.hasLocalMods(dest!);
    result.before = await git.version(dest!);
    if (localMods) {
      if (!args.force) throw new ModuleFailure(`Local modifications exist in the destination: ${dest} (force=no).`, { ...result });
      if (!ctx.checkMode) {
        await git.ok(['reset', '--hard', 'HEAD'], dest);
        Object.assign(result, { changed: true, msg: `Local modifications exist in the destination: ${dest}` });
      }
    }
    if (ctx.checkMode) {
      const url = await git.remoteUrl(dest!, args.remote);
      remoteUrlChanged = url !== undefined && url !== '' && url !== repo && unfrackGitPath(url) !== unfrackGitPath(repo);
    } else remoteUrlChanged = await git.setRemoteUrl(dest!, args.remote, repo);
    result.remote_url_changed = remoteUrlChanged;
    if (ctx.checkMode) {
      const head = await git.remoteHead(dest, version, args.remote, false);
      Object.assign(result, { changed: result.before !== head || remoteUrlChanged, after: head });
      if (ctx.diffMode) {
        const diff = await git.diff(dest, repo, result.before as string, head);
        if (diff) result.diff = diff as never;
      }
      return result;
    }
    await git.fetch(repo, dest!, version);
    result.after = await git.version(dest!);
  }
  if (!args.bare) await git.switchVersion(dest!, version);
  let submodulesUpdated = false;
  if (args.recursive && !args.bare) {
    submodulesUpdated = await git.submodules(dest!);
    if (submodulesUpdated) result.submodules_changed = true;
  }
  result.after = await git.version(dest!);
  if (result.before !== result.after || localMods || submodulesUpdated || remoteUrlChanged) {
    result.changed = true;
    if (ctx.diffMode) {
      const diff = await git.diff(dest, repo, result.before as string | null, result.after as string);
      if (diff) result.diff = diff as never;
    }
  }
  if (args.archive) {
    if (ctx.checkMode) return { ...result, changed: true };
    const format = /\.(zip|tar|tgz|tar\.gz)$/.exec(args.archive)?.[1] ?? 'tar';
    await git.ok(['archive', `--format=${format === 'tgz' || format === 'tar.gz' ? 'tar.gz' : format}`, ...(args.archive_prefix ? [`--prefix=${args.archive_prefix}`] : []), `--output=${args.archive}`, version], dest);
  }
  return result;
}

export const gitModule: ModuleDefinition<GitArgs> = {
  name: 'ansible.builtin.git',
  argSpec: {
    dest: { type: 'path' },
    repo: { type: 'str', required: true, aliases: ['name'] },
    version: { type: 'str', default: 'HEAD' },
    remote: { type: 'str', default: 'origin' },
    refspec: { type: 'str' },
    reference: { type: 'str' },
    force: { type: 'bool', default: false },
    depth: { type: 'int' },
    clone: { type: 'bool', default: true },
    update: { type: 'bool', default: true },
    verify_commit: { type: 'bool', default: false },
    gpg_whitelist: { type: 'list', default: [], elements: 'str' },
    accept_hostkey: { type: 'bool', default: false },
    accept_newhostkey: { type: 'bool', default: false },
    key_file: { type: 'path' },
    ssh_opts: { type: 'str' },
    executable: { type: 'path' },
    bare: { type: 'bool', default: false },
    recursive: { type: 'bool', default: true },
    single_branch: { type: 'bool', default: false },
    track_submodules: { type: 'bool', default: false },
    umask: { type: 'raw' },
    archive: { type: 'path' },
    archive_prefix: { type: 'str' },
    separate_git_dir: { type: 'path' },
  },
  constraints: { mutuallyExclusive: [['separate_git_dir', 'bare'], ['accept_hostkey', 'accept_newhostkey']], requiredBy: { archive_prefix: ['archive'] } },
  supportsCheckMode: true,
  run: runGit,
};
