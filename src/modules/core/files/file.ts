// file: the state of a path (file, directory, link, hard link, touched, absent) with its
// owner, group, mode and time stamps, idempotent and check-mode aware, returning the
// result and the before/after diff Ansible's file module returns.
import { posix } from 'node:path';
import type { FileStat } from '../../../connection/connection.js';
import { ModuleFailure, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { fileCommonArgSpec, setAttributesIfDifferent, setAttributesOnMany, type DiffSides, type FileCommonArgs } from './attributes.js';
import { makeDirectories, makeLink, realPath, removePath, setTimes, stateOf, walk, withPathInfo, type PathState } from './fs.js';
import { Target } from './target.js';
import { timestampFor } from './timestamps.js';

export interface FileArgs extends FileCommonArgs {
  path: string;
  state?: 'absent' | 'directory' | 'file' | 'hard' | 'link' | 'touch' | null;
  _original_basename?: string | null;
  recurse: boolean;
  force: boolean;
  follow: boolean;
  _diff_peek?: boolean | null;
  src?: string | null;
  modification_time?: string | null;
  modification_time_format: string;
  access_time?: string | null;
  access_time_format: string;
}

type Timestamp = number | 'now' | undefined;

interface Times {
  mtime: Timestamp;
  atime: Timestamp;
}

/** The module run: the target, check mode, the arguments and the time stamps asked for. */
interface Run {
  target: Target;
  args: FileArgs;
  check: boolean;
  times: Times;
  warnings: string[];
}

function initialDiff(path: string, state: string, previous: PathState): DiffSides {
  const diff: DiffSides = { before: { path }, after: { path } };
  if (previous !== state) {
    diff.before.state = previous;
    diff.after.state = state;
  }
  return diff;
}

async function lstateOf(target: Target, path: string): Promise<{ stat: FileStat | undefined; state: PathState }> {
  const stat = await target.stat(path);
  return { stat, state: stateOf(stat) };
}

/** Whether fsAttributes has anything to do: owner, group, mode, attributes or time stamps asked for. */
function attributesWanted(run: Run): boolean {
  const { args, times } = run;
  const set = (v: unknown) => v !== null && v !== undefined;
  return set(args.owner) || set(args.group) || set(args.mode) || set(args.attributes) || times.mtime !== undefined || times.atime !== undefined;
}

/** The path attributes apply to: a link's target when following links (load_file_common_arguments). */
async function attributePath(run: Run, path: string): Promise<string> {
  if (!run.args.follow) return path;
  const stat = await run.target.stat(path);
  return stat?.type === 'link' ? realPath(run.target, path) : path;
}

/** update_timestamp_for_file: returns whether the times changed (or would). */
async function updateTimes(run: Run, path: string, diff?: DiffSides): Promise<boolean> {
  let { mtime, atime } = run.times;
  if (mtime === undefined && atime === undefined) return false;
  const stat = await run.target.stat(path, { follow: true });
  if (!stat) throw new ModuleFailure(`Error while updating modification or access time: [Errno 2] No such file or directory: '${path}'`, { path });
  const now = Date.now() / 1000;
  const both = mtime === 'now' && atime === 'now';
  mtime = mtime === undefined ? stat.mtime : mtime === 'now' ? now : mtime;
  atime = atime === undefined ? stat.atime : atime === 'now' ? now : atime;
  if (!both && mtime === stat.mtime && atime === stat.atime) return false;
  if (!run.check) await setTimes(run.target, path, both ? 'now' : atime, both ? 'now' : mtime);
  if (diff) {
    if (mtime !== stat.mtime) Object.assign(diff.before, { mtime: stat.mtime }) && Object.assign(diff.after, { mtime });
    if (atime !== stat.atime) Object.assign(diff.before, { atime: stat.atime }) && Object.assign(diff.after, { atime });
  }
  return true;
}

async function fsAttributes(run: Run, path: string, changed: boolean, diff?: DiffSides): Promise<boolean> {
  changed = await setAttributesIfDifferent(run.target, path, run.args, changed, diff, run.check);
  return (await updateTimes(run, path, diff)) || changed;
}

async function ensureAbsent(run: Run, path: string): Promise<ModuleResult> {
  const { stat, state } = await lstateOf(run.target, path);
  if (state === 'absent') return { path, changed: false, state: 'absent' };
  const diff = initialDiff(path, 'absent', state);
  if (state === 'directory') {
    const entries = await walk(run.target, path);
    diff.before.path_content = {
      directories: entries.filter((e) => e.listedAsDirectory).map((e) => e.path),
      files: entries.filter((e) => !e.listedAsDirectory).map((e) => e.path),
    };
  }
  if (!run.check) await removePath(run.target, path, stat!.type === 'directory');
  return { path, changed: true, diff, state: 'absent' };
}

async function touch(run: Run, path: string): Promise<ModuleResult> {
  const { state: previous } = await lstateOf(run.target, path);
  let changed = false;
  if (previous === 'absent') {
    if (run.check) return { dest: path, changed: true };
    const created = await run.target.sh(': > "$1"', [path], { describe: [path] });
    if (created.rc !== 0) throw new ModuleFailure(`Error, could not touch target: ${created.stderr.trim()}`, { path });
    changed = true;
  }
  const diff = initialDiff(path, 'touch', previous);
  try {
    changed = await fsAttributes(run, await attributePath(run, path), changed, diff);
  } catch (error) {
    // A file this run created is not left behind half-done.
    if (previous === 'absent') await run.target.sh('rm -f -- "$1"', [path]);
    throw error;
  }
  return { dest: path, changed, diff };
}

async function ensureFile(run: Run, path: string): Promise<ModuleResult> {
  let { state: previous } = await lstateOf(run.target, path);
  let attrPath = path;
  if (previous !== 'file' && run.args.follow && previous === 'link') {
    path = await realPath(run.target, path);
    attrPath = path;
    previous = (await lstateOf(run.target, path)).state;
  } else attrPath = await attributePath(run, path);
  if (previous !== 'file' && previous !== 'hard') {
    throw new ModuleFailure(`file (${path}) is ${previous}, cannot continue`, { path, state: previous });
  }
  const diff = initialDiff(path, 'file', previous);
  const changed = await fsAttributes(run, attrPath, false, diff);
  return { path, changed, diff };
}

async function ensureDirectory(run: Run, path: string): Promise<ModuleResult> {
  let { state: previous } = await lstateOf(run.target, path);
  if (run.args.follow && previous === 'link') {
    path = await realPath(run.target, path);
    previous = (await lstateOf(run.target, path)).state;
  }
  const diff = initialDiff(path, 'directory', previous);
  if (previous === 'absent') {
    if (run.check) return { path, changed: true, diff };
    const { created, error } = await makeDirectories(run.target, path);
    if (error !== undefined) {
      throw new ModuleFailure(`There was an issue creating ${created[created.length - 1] ?? path} as requested: ${error}`, { path });
    }
    // Parents first (without diff), then the directory itself, whose changes the diff shows.
    const parents = created.slice(0, -1);
    const stats = await Promise.all(parents.map(async (p) => ({ path: p, stat: (await run.target.stat(p))! })));
    await setAttributesOnMany(run.target, stats, run.args, false);
    let changed = created.length > 0;
    if (created.length) changed = await fsAttributes(run, path, changed, diff);
    return { path, changed, diff };
  }
  if (previous !== 'directory') throw new ModuleFailure(`${path} already exists as a ${previous}`, { path });
  let changed = await fsAttributes(run, path, false, diff);
  if (run.args.recurse) changed = (await recursiveAttributes(run, path, new Set())) || changed;
  return { path, changed, diff };
}

/** recursive_set_attributes: everything under `root` (links themselves; their targets when following). */
async function recursiveAttributes(run: Run, root: string, seen: Set<string>): Promise<boolean> {
  seen.add(root);
  const entries = await walk(run.target, root);
  const items: { path: string; stat: FileStat }[] = [];
  let changed = false;
  for (const entry of entries) {
    const stat = { path: entry.path, type: entry.type === 'other' ? 'file' : entry.type, uid: entry.uid, gid: entry.gid, mode: entry.mode } as FileStat;
    items.push({ path: entry.path, stat });
    if (entry.type === 'link' && run.args.follow && entry.linkTarget !== undefined) {
      const linked = posix.resolve(posix.dirname(entry.path), entry.linkTarget);
      const linkedStat = await run.target.stat(linked, { follow: true });
      if (linkedStat) {
        if (linkedStat.type === 'directory' && !seen.has(linked)) changed = (await recursiveAttributes(run, linked, seen)) || changed;
        items.push({ path: linked, stat: linkedStat });
      }
    }
  }
  changed = (await setAttributesOnMany(run.target, items, run.args, run.check)) || changed;
  if (run.times.atime !== undefined || run.times.mtime !== undefined) {
    for (const item of items) changed = (await updateTimes(run, item.path)) || changed;
  }
  return changed;
}

async function ensureSymlink(run: Run, path: string, src: string | undefined): Promise<ModuleResult> {
  const { target, args } = run;
  const { stat, state: previous } = await lstateOf(target, path);
  if (src === undefined && args.follow && stat?.type === 'link' && (await target.exists(path))) src = stat.linkTarget;
  const relativeTo = stat && stat.type === 'directory' ? path : posix.dirname(path);
  const absoluteSrc = src === undefined ? undefined : posix.join(src.startsWith('/') ? '' : relativeTo, src);
  if (!args.force && absoluteSrc !== undefined && !(await target.exists(absoluteSrc))) {
    throw new ModuleFailure(`src file does not exist, use "force=yes" if you really want to create the link: ${absoluteSrc}`, { path, src });
  }
  if (previous === 'directory') {
    if (!args.force) throw new ModuleFailure(`refusing to convert from ${previous} to symlink for ${path}`, { path });
    const listing = await target.shQuery('[ -z "$(ls -A -- "$1")" ]', [path]);
    if (listing.rc !== 0) throw new ModuleFailure(`the directory ${path} is not empty, refusing to convert it`, { path });
  } else if ((previous === 'file' || previous === 'hard') && !args.force) {
    throw new ModuleFailure(`refusing to convert from ${previous} to symlink for ${path}`, { path });
  }
  const diff = initialDiff(path, 'link', previous);
  let changed = false;
  if (previous === 'link') {
    if (src !== undefined && stat!.linkTarget !== src) {
      diff.before.src = stat!.linkTarget;
      diff.after.src = src;
      changed = true;
    }
  } else {
    if (src === undefined) throw new ModuleFailure('src is required for creating new symlinks');
    changed = true;
  }
  // Without attributes to set, the new link is only looked at itself (and whether it leads somewhere).
  const wanted = attributesWanted(run);
  if (changed && !run.check) {
    const error = await makeLink(target, src!, path, { hard: false, replace: previous !== 'absent', removeDirectory: previous === 'directory', ownOnly: !wanted });
    if (error) throw new ModuleFailure(error, { path });
  }
  if (run.check && !(await target.exists(path))) return { dest: path, src: src ?? null, changed, diff };
  const now = await target.stat(path);
  // Following a link, attributes go to its realpath, which exists exactly when the link leads somewhere.
  if (args.follow && now?.type === 'link' && !(await target.exists(path))) {
    run.warnings.push('Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this.');
  } else if (wanted) changed = await fsAttributes(run, await attributePath(run, path), changed, diff);
  return { dest: path, src: src ?? null, changed, diff };
}

async function ensureHardlink(run: Run, path: string, src: string | undefined): Promise<ModuleResult> {
  const { target, args } = run;
  const { stat, state: previous } = await lstateOf(target, path);
  const attrPath = await attributePath(run, path);
  if (previous !== 'hard' && src === undefined) throw new ModuleFailure('src is required for creating new hardlinks');
  const srcStat = src === undefined ? undefined : await target.stat(src, { follow: true });
  if (src !== undefined && !srcStat) throw new ModuleFailure('src does not exist', { dest: path, src });
  const diff = initialDiff(path, 'hard', previous);
  let changed = false;
  if (previous === 'absent') changed = true;
  else if (previous === 'link') {
    if (stat!.linkTarget !== src) {
      diff.before.src = stat!.linkTarget;
      diff.after.src = src;
      changed = true;
    }
  } else if (previous === 'hard') {
    if (src !== undefined && (await target.stat(path, { follow: true }))!.inode !== srcStat!.inode) {
      changed = true;
      if (!args.force) throw new ModuleFailure('Cannot link, different hard link exists at destination', { dest: path, src });
    }
  } else if (previous === 'file') {
    changed = true;
    if (!args.force) throw new ModuleFailure(`Cannot link, ${previous} exists at destination`, { dest: path, src });
  } else if (previous === 'directory') {
    changed = true;
    if (stat!.inode === srcStat!.inode) return { path, changed: false };
    if (!args.force) throw new ModuleFailure('Cannot link: different hard link exists at destination', { dest: path, src });
  }
  if (changed && !run.check) {
    const error = await makeLink(target, src!, path, { hard: true, replace: previous !== 'absent', removeDirectory: previous === 'directory' });
    if (error) throw new ModuleFailure(error, { path });
  }
  if (run.check && !(await target.exists(path))) return { dest: path, src: src ?? null, changed, diff };
  changed = await fsAttributes(run, attrPath, changed, diff);
  return { dest: path, src: src ?? null, changed, diff };
}

// $1 user or uid, $2 group or gid: prints which of them the target does not know.
const EXISTS_SCRIPT = `[ -z "$1" ] || getent passwd -- "$1" >/dev/null || echo user
[ -z "$2" ] || getent group -- "$2" >/dev/null || echo group`;

async function warnUnknownOwnership(target: Target, args: FileArgs, warnings: string[]): Promise<void> {
  if (!args.owner && !args.group) return;
  const missing = (await target.shQuery(EXISTS_SCRIPT, [args.owner ?? '', args.group ?? ''])).stdout;
  const numeric = (v: string) => /^\d+$/.test(v.trim());
  if (args.owner && missing.includes('user')) {
    warnings.push(numeric(args.owner) ? `failed to look up user with uid ${args.owner.trim()}. Create user up to this point in real play` : `failed to look up user ${args.owner}. Create user up to this point in real play`);
  }
  if (args.group && missing.includes('group')) {
    warnings.push(numeric(args.group) ? `failed to look up group with gid ${args.group.trim()}. Create group up to this point in real play` : `failed to look up group ${args.group}. Create group up to this point in real play`);
  }
}

/** keep_backward_compatibility_on_timestamps: unset times are kept, except a touch sets them to now. */
function defaultTime(value: string | null | undefined, state: string): string | undefined {
  if (value !== null && value !== undefined) return value;
  return state === 'touch' ? 'now' : state === 'absent' ? undefined : 'preserve';
}

async function appearsBinary(target: Target, path: string): Promise<boolean> {
  const result = await target.shQuery('head -c 8192 -- "$1" 2>/dev/null | tr -d -c "\\000" | wc -c', [path]);
  return Number(result.stdout.trim()) > 0;
}

export async function runFile(args: FileArgs, target: Target, check: boolean): Promise<ModuleResult> {
  const warnings: string[] = [];
  let path = await target.expandPath(args.path);
  const src = (await target.expandOptional(args.src)) ?? undefined;
  let state = args.state ?? undefined;
  try {
    // The link's source is looked at next: in the same round trip as the path.
    if (src !== undefined && src.startsWith('/') && (state === 'link' || state === 'hard')) {
      // A symbolic link only asks whether it exists (os.path.exists), a hard link its stat.
      const request = state === 'link' ? { path: posix.join(src), existence: true } : { path: src };
      target.describe([request]).catch(() => undefined);
    }
    // A path that is a directory names the file inside it (the copy/template actions pass the name).
    if (state !== 'link' && state !== 'absent' && (await target.stat(path, { follow: true }))?.type === 'directory') {
      const name = args._original_basename || (src ? posix.basename(src) : undefined);
      if (name) path = posix.join(path, name);
    }
    const previous = stateOf(await target.stat(path));
    state ??= previous !== 'absent' ? previous : args.recurse ? 'directory' : 'file';
    if (args.recurse && state !== 'directory') throw new ModuleFailure("recurse option requires state to be 'directory'", { path });
    if (src !== undefined && state !== 'link' && state !== 'hard') throw new ModuleFailure("src option requires state to be 'link' or 'hard'", { path });
    if (check && state !== 'absent') await warnUnknownOwnership(target, args, warnings);
    const times: Times = {
      mtime: timestampFor(defaultTime(args.modification_time, state), args.modification_time_format),
      atime: timestampFor(defaultTime(args.access_time, state), args.access_time_format),
    };
    if (args._diff_peek !== null && args._diff_peek !== undefined) {
      return { path, changed: false, appears_binary: await appearsBinary(target, path) };
    }
    const run: Run = { target, args, check, times, warnings };
    let result: ModuleResult;
    if (state === 'file') result = await ensureFile(run, path);
    else if (state === 'directory') result = await ensureDirectory(run, path);
    else if (state === 'link') result = await ensureSymlink(run, path, src);
    else if (state === 'hard') result = await ensureHardlink(run, path, src);
    else if (state === 'touch') result = await touch(run, path);
    else result = await ensureAbsent(run, path);
    result = await withPathInfo(target, result);
    return warnings.length ? { ...result, warnings } : result;
  } catch (error) {
    if (error instanceof ModuleFailure) {
      const extra = await withPathInfo(target, error.extra);
      throw new ModuleFailure(error.message, warnings.length ? { ...extra, warnings } : extra);
    }
    throw error;
  }
}

export const fileModule: ModuleDefinition<FileArgs> = {
  name: 'ansible.builtin.file',
  argSpec: {
    state: { type: 'str', choices: ['absent', 'directory', 'file', 'hard', 'link', 'touch'] },
    path: { type: 'path', required: true, aliases: ['dest', 'name'] },
    _original_basename: { type: 'str' },
    recurse: { type: 'bool', default: false },
    force: { type: 'bool', default: false },
    _diff_peek: { type: 'bool' },
    src: { type: 'path' },
    modification_time: { type: 'str' },
    modification_time_format: { type: 'str', default: '%Y%m%d%H%M.%S' },
    access_time: { type: 'str' },
    access_time_format: { type: 'str', default: '%Y%m%d%H%M.%S' },
    ...fileCommonArgSpec,
    // Unlike the other file modules, file follows links by default.
    follow: { type: 'bool', default: true },
  },
  supportsCheckMode: true,
  run: (args, ctx) => runFile(args, new Target(ctx), ctx.checkMode),
};
