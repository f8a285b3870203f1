// copy: content or controller files (a single file or a directory tree, found in the
// role's files/ or beside the playbook) put on the target, as Ansible's copy action
// plugin and module do it: checksums decide, check mode reports, --diff shows the text,
// unchanged files only get their attributes; remote_src copies on the target itself.
import { lstatSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { pythonStr } from '../../arguments.js';
import { afterSideFromFile, beforeSide, hideDiffContent, MAX_FILE_SIZE_FOR_DIFF } from '../../diff.js';
import { ModuleFailure, type ArgSpec, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { pyJsonDumps } from '../../../template/python/json.js';
import { fileCommonArgSpec, type FileCommonArgs } from './attributes.js';
import { localTempName } from './controller-temp.js';
import { findOnController, notFoundException, notFoundMessage } from './controller-files.js';
import { copyRemoteDirectory } from './copy-remote-dir.js';
import { md5, placeFile, sha1, type PlaceOptions } from './copy-remote.js';
import { fileModule, runFile, type FileArgs } from './file.js';
import { octalMode } from './fs.js';
import { Target, withOutputLines } from './target.js';
import { validateModuleArgs } from '../../arguments.js';

export interface CopyArgs extends FileCommonArgs {
  src?: string | null;
  _original_basename?: string | null;
  content?: unknown;
  dest?: string | null;
  backup: boolean;
  force: boolean;
  validate?: string | null;
  directory_mode?: unknown;
  remote_src?: boolean | null;
  local_follow?: boolean | null;
  checksum?: string | null;
  follow: boolean;
  decrypt: boolean;
  unsafe_writes: boolean;
  seuser?: string | null;
  serole?: string | null;
  selevel?: string | null;
  setype?: string | null;
}

export const copyArgSpec: ArgSpec = {
  src: { type: 'path' },
  _original_basename: { type: 'str' },
  // The action accepts a dict or list (written as JSON), so the value is taken raw.
  content: { type: 'raw', noLog: true },
  dest: { type: 'path' },
  backup: { type: 'bool', default: false },
  force: { type: 'bool', default: true },
  validate: { type: 'str' },
  directory_mode: { type: 'raw' },
  remote_src: { type: 'bool' },
  local_follow: { type: 'bool' },
  checksum: { type: 'str' },
  decrypt: { type: 'bool', default: true, unlisted: true },
  ...fileCommonArgSpec,
  follow: { type: 'bool', default: false },
};

/** The file module's own arguments among the task's (REAL_FILE_ARGS). */
const FILE_ARG_NAMES = new Set([...Object.keys(fileCommonArgSpec), 'state', 'path', '_original_basename', 'recurse', 'force', '_diff_peek', 'src']);

interface SourceFiles {
  files: [string, string][];
  directories: [string, string][];
  symlinks: [string, string][];
}

/** Ansible's _walk_dirs: the files, directories and links to copy, with their paths relative to dest. */
export function walkControllerTree(topdir: string, localFollow: boolean): SourceFiles {
  const out: SourceFiles = { files: [], directories: [], symlinks: [] };
  const trailing = topdir.endsWith('/');
  const base = trailing ? topdir : dirname(topdir);
  const offset = base.length + (base.endsWith('/') ? 0 : 1);
  const key = (path: string) => {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  };
  if (lstatSync(topdir.replace(/\/+$/, '') || '/').isSymbolicLink() && !localFollow) {
    out.symlinks.push([readlinkSync(topdir.replace(/\/+$/, '')), basename(topdir)]);
    return out;
  }
  const recurse = (top: string, relOffset: number, parents: Set<string>, relBase: string) => {
    // os.walk, top-down: each directory's files, then its subdirectories.
    const walkDir = (dir: string) => {
      const entries = readdirSync(dir);
      const folders: string[] = [];
      for (const name of entries) {
        const path = join(dir, name);
        let isDir = false;
        try {
          isDir = statSync(path).isDirectory();
        } catch {
          isDir = false;
        }
        if (isDir) folders.push(name);
        else {
          const rel = join(relBase, path.slice(relOffset));
          if (lstatSync(path).isSymbolicLink()) {
            let real: string | undefined;
            try {
              real = realpathSync(path);
            } catch {
              real = undefined;
            }
            if (localFollow && real && statSync(real).isFile()) out.files.push([real, rel]);
            else out.symlinks.push([readlinkSync(path), rel]);
          } else out.files.push([path, rel]);
        }
      }
      for (const name of folders) {
        const path = join(dir, name);
        const rel = join(relBase, path.slice(relOffset));
        if (lstatSync(path).isSymbolicLink()) {
          if (!localFollow) {
            out.symlinks.push([readlinkSync(path), rel]);
            continue;
          }
          const real = realpathSync(path);
          if (parents.has(key(real))) {
            out.symlinks.push([readlinkSync(path), rel]);
            continue;
          }
          const newParents = new Set<string>();
          const parts = dirname(path).split('/');
          for (let i = parts.length; i > 0; i--) {
            const parentKey = key(parts.slice(0, i).join('/') || '/');
            if (parents.has(parentKey)) break;
            newParents.add(parentKey);
          }
          if (newParents.has(key(real))) out.symlinks.push([readlinkSync(path), rel]);
          else {
            out.directories.push([real, rel]);
            recurse(real, real.length + 1, new Set([...parents, ...newParents]), rel);
          }
        } else {
          out.directories.push([path, rel]);
          walkDir(path);
        }
      }
    };
    walkDir(top);
  };
  recurse(topdir, offset, new Set([key(topdir)]), '');
  return out;
}

/** The file module run on behalf of copy (attributes of an unchanged file, directories, links). */
async function fileAction(ctx: ModuleContext, target: Target, args: Record<string, unknown>): Promise<ModuleResult> {
  const params = validateModuleArgs(fileModule as unknown as ModuleDefinition, args, 'ansible.legacy.file') as unknown as FileArgs;
  try {
    return await runFile(params, target, ctx.checkMode);
  } catch (error) {
    if (error instanceof ModuleFailure) return { changed: false, ...error.extra, failed: true, msg: error.message };
    throw error;
  }
}

function fileArgsOf(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([k, v]) => FILE_ARG_NAMES.has(k) && v !== undefined && v !== null));
}

/** Content the action holds in memory, under the temporary file name Ansible would give it. */
export interface InMemorySource {
  path: string;
  data: Buffer;
  /** The mode that file would have (for mode: preserve). */
  mode: number;
}

interface CopyContext {
  ctx: ModuleContext;
  target: Target;
  /** The task's arguments as given (validated), for the module runs. */
  args: CopyArgs;
  raw: Record<string, unknown>;
  /** Set when the content came from `content:` (the source is a temporary file). */
  fromContent: boolean;
  /** The source when it is content in memory (content:, a rendered template). */
  memory?: InMemorySource | undefined;
}

async function diffData(c: CopyContext, destFile: string, sourceFull: string, data: Buffer): Promise<Record<string, unknown>> {
  const diff: Record<string, unknown> = {};
  const stat = await c.target.stat(destFile, { follow: true });
  let current;
  if (stat) {
    const whole = stat.size <= MAX_FILE_SIZE_FOR_DIFF;
    const bytes = whole ? await c.target.readFile(destFile) : (await c.target.shQuery('head -c 8192 -- "$1"', [destFile])).stdout;
    current = { size: stat.size, data: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8') };
  }
  beforeSide(diff, destFile, current);
  afterSideFromFile(diff, sourceFull, data);
  return c.ctx.noLog ? hideDiffContent(diff) : diff;
}

/** realpath -m of a link on the target (its output as it is, even when it fails). */
async function realPathOrRaw(target: Target, path: string): Promise<string> {
  return target.known.realPath(path) ?? (await target.shQuery('realpath -m -- "$1"', [path])).stdout.replace(/\n$/, '');
}

/** _copy_file: one controller file to the target. Undefined when skipped (exists and not forced). */
async function copyOneFile(c: CopyContext, sourceFull: string, sourceRel: string, dest: string, follow: boolean): Promise<ModuleResult | undefined> {
  const { args, target, ctx } = c;
  const result: ModuleResult = { diff: [] };
  const memory = c.memory?.path === sourceFull ? c.memory : undefined;
  let data: Buffer;
  try {
    data = memory?.data ?? readFileSync(sourceFull);
  } catch (error) {
    return { ...result, failed: true, msg: `could not find src=${sourceFull}, ${(error as Error).message}` };
  }
  const lmode = args.mode === 'preserve' ? octalMode((memory?.mode ?? statSync(sourceFull).mode) & 0o7777) : undefined;
  let destFile = dest.endsWith('/') ? posix.join(dest, sourceRel) : dest;
  // Placing the file asks about its directory next: in the same round trip.
  target.describe([{ path: posix.dirname(destFile), existence: true }]).catch(() => undefined);
  let destStat = await target.stat(destFile, { follow, checksum: args.force });
  if (destStat?.type === 'directory') {
    if (c.fromContent) return { ...result, failed: true, msg: 'can not use content with a dir as dest' };
    destFile = posix.join(dest, sourceRel);
    destStat = await target.stat(destFile, { follow, checksum: args.force });
  }
  if (destStat && !args.force) return undefined;
  const localChecksum = sha1(data);
  const destChecksum = !destStat ? '1' : (destStat.checksum ?? '');
  let moduleReturn: ModuleResult;
  if (localChecksum !== destChecksum) {
    if (ctx.diffMode) (result.diff as unknown[]).push(await diffData(c, destFile, sourceFull, data));
    if (ctx.checkMode) return { ...result, changed: true };
    const options: PlaceOptions = {
      ...args,
      mode: lmode ?? args.mode,
      dest,
      srcLabel: sourceFull,
      _original_basename: sourceRel,
      follow,
      checksum: args.checksum || localChecksum,
    };
    try {
      moduleReturn = await placeFile(target, { kind: 'data', data }, options, false);
    } catch (error) {
      if (!(error instanceof ModuleFailure)) throw error;
      moduleReturn = withOutputLines({ changed: false, ...error.extra, failed: true, msg: error.message });
    }
  } else {
    let fileDest = dest;
    if (follow) {
      const own = await target.stat(destFile);
      if (own?.type === 'link') fileDest = await realPathOrRaw(target, destFile);
    }
    const fileArgs = fileArgsOf(c.raw);
    delete fileArgs.src;
    Object.assign(fileArgs, { dest: fileDest, _original_basename: sourceRel, recurse: false, state: 'file' });
    delete fileArgs.path;
    if (lmode) fileArgs.mode = lmode;
    moduleReturn = await fileAction(ctx, target, fileArgs);
  }
  if (!moduleReturn.checksum) moduleReturn.checksum = localChecksum;
  return { ...result, ...moduleReturn };
}

async function runCopyAction(c: CopyContext): Promise<ModuleResult> {
  const { args, target, ctx } = c;
  let source = args.src ?? undefined;
  const content = args.content;
  let dest = args.dest ?? undefined;
  const localFollow = args.local_follow ?? true;
  if (!source && (content === undefined || content === null)) return { failed: true, msg: 'src (or content) is required' };
  if (!dest) return { failed: true, msg: 'dest is required' };
  if (source && content !== undefined && content !== null) return { failed: true, msg: 'src and content are mutually exclusive' };
  if (content !== undefined && content !== null && dest.endsWith('/')) return { failed: true, msg: 'can not use content with a dir as dest' };

  const run = async (sourcePath: string): Promise<ModuleResult> => {
    let sourceFiles: SourceFiles = { files: [], directories: [], symlinks: [] };
    if (c.memory?.path !== sourcePath && statSync(sourcePath, { throwIfNoEntry: false })?.isDirectory()) {
      sourceFiles = walkControllerTree(sourcePath, localFollow);
      if (!dest!.endsWith('/')) dest = `${dest}/`;
    } else sourceFiles.files = [[sourcePath, basename(sourcePath)]];
    // Only `~` is expanded on the target here, as Ansible's _remote_expand_user.
    dest = await target.expandHome(dest!);

    let changed = false;
    let moduleReturn: ModuleResult = { changed: false };
    let executed = false;
    for (const [full, rel] of sourceFiles.files) {
      const follow = sourceFiles.directories.length ? false : args.follow;
      const outcome = await copyOneFile(c, full, rel, dest!, follow);
      if (!outcome) continue;
      moduleReturn = outcome;
      if (outcome.failed) return outcome;
      executed = true;
      changed = changed || outcome.changed === true;
    }
    for (const [, rel] of sourceFiles.directories) {
      if (rel === '') continue;
      const fileArgs = { ...fileArgsOf(c.raw), path: posix.join(dest!, rel), state: 'directory', mode: args.directory_mode ?? null, recurse: false };
      delete (fileArgs as Record<string, unknown>).src;
      if (fileArgs.mode === null) delete (fileArgs as Record<string, unknown>).mode;
      moduleReturn = await fileAction(ctx, target, fileArgs);
      if (moduleReturn.failed) return moduleReturn;
      executed = true;
      changed = changed || moduleReturn.changed === true;
    }
    for (const [linkTarget, rel] of sourceFiles.symlinks) {
      const fileArgs: Record<string, unknown> = { ...fileArgsOf(c.raw), path: posix.join(dest!, rel), src: linkTarget, state: 'link', force: true };
      if (sourceFiles.directories.length) fileArgs.follow = false;
      if (fileArgs.mode === 'preserve') delete fileArgs.mode;
      moduleReturn = await fileAction(ctx, target, fileArgs);
      executed = true;
      if (moduleReturn.failed) return moduleReturn;
      changed = changed || moduleReturn.changed === true;
    }
    if (executed && sourceFiles.files.length === 1) {
      const result = { ...moduleReturn };
      if ('path' in result && !('dest' in result)) result.dest = result.path;
      return result;
    }
    return { dest, src: sourcePath, changed };
  };

  if (content !== undefined && content !== null) {
    const text = typeof content === 'string' ? content : Array.isArray(content) || (typeof content === 'object' && content !== null) ? pyJsonDumps(content) : pythonStr(content);
    // As the temporary file Ansible writes it to: private (mkstemp).
    c.memory = { path: localTempName(), data: Buffer.from(text, 'utf8'), mode: 0o600 & ~process.umask() };
    return run(c.memory.path);
  }
  if (args.remote_src) return copyOnTarget(c);
  if (c.memory) return run(c.memory.path);
  const trailing = source!.endsWith('/');
  const found = findOnController(ctx, 'files', source!, { directories: true });
  if (found === undefined) {
    const msg = notFoundMessage(ctx, 'files', source!);
    return { failed: true, msg, exception: notFoundException(msg) };
  }
  source = found;
  if (trailing !== source.endsWith('/')) source = source.endsWith('/') ? source.slice(0, -1) : `${source}/`;
  return run(source);
}

/** remote_src: the copy module on the target, copying a file or a directory there. */
async function copyOnTarget(c: CopyContext): Promise<ModuleResult> {
  const { args, target, ctx } = c;
  const src = await target.expandPath(args.src!);
  const dest = await target.expandPath(args.dest!);
  const srcStat = await target.stat(src, { follow: true });
  if (!srcStat) throw new ModuleFailure(`Source ${src} not found`);
  if (!(await target.access(src, 'r'))) throw new ModuleFailure(`Source ${src} not readable`);
  const mode = args.mode === 'preserve' ? octalMode(srcStat.mode) : args.mode;
  if (srcStat.type === 'directory') return copyRemoteDirectory(target, { ...args, mode, src, dest }, ctx.checkMode);
  if (srcStat.type !== 'file') throw new ModuleFailure(`Cannot copy invalid source '${src}': not a file`);
  const sums = await target.shQuery('sha1sum < "$1" | cut -d" " -f1; md5sum < "$1" | cut -d" " -f1', [src]);
  const [sha, md] = sums.stdout.trim().split('\n');
  return placeFile(target, { kind: 'remote', path: src, sha1: sha!, md5: md! }, { ...args, mode, dest, srcLabel: src }, ctx.checkMode);
}

/** The copy action; `memory`: its source is this content (args.src names it), not a file to find. */
export async function runCopy(args: CopyArgs, ctx: ModuleContext, raw?: Record<string, unknown>, memory?: InMemorySource): Promise<ModuleResult> {
  const c: CopyContext = { ctx, target: new Target(ctx), args, raw: raw ?? (args as unknown as Record<string, unknown>), fromContent: args.content !== undefined && args.content !== null, memory };
  const result = await runCopyAction(c);
  if (result.failed) throw new ModuleFailure(String(result.msg), Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'msg' && k !== 'failed')));
  return result;
}

export const copyModule: ModuleDefinition<CopyArgs> = {
  name: 'ansible.builtin.copy',
  reportedName: 'ansible.legacy.copy',
  argSpec: copyArgSpec,
  supportsCheckMode: true,
  run: (args, ctx) => runCopy(args, ctx),
};

export { md5, sha1 };
