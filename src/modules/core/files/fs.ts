// File-system questions and changes the file modules ask of the target, each one shell
// round trip with the paths as positional arguments: a path's state as Ansible names
// it, the path info modules return (uid, owner, mode, state, size), users and groups,
// directory walks in os.walk order, links, removal and time stamps.
import { randomBytes } from 'node:crypto';
import type { FileStat } from '../../../connection/connection.js';
import { ModuleFailure } from '../../module.js';
import type { Target } from './target.js';

export type PathState = 'absent' | 'file' | 'directory' | 'link' | 'hard';

/** Ansible's get_state(): link, directory, hard (a file with more than one link), file or absent. */
export function stateOf(stat: FileStat | undefined): PathState {
  if (!stat) return 'absent';
  if (stat.type === 'link') return 'link';
  if (stat.type === 'directory') return 'directory';
  return stat.nlink > 1 ? 'hard' : 'file';
}

export const octalMode = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

export interface PathInfo {
  uid: number;
  gid: number;
  owner: string;
  group: string;
  mode: string;
  state: PathState;
  size: number;
}

/** What AnsibleModule adds to a result that names a path, when the path exists (links followed). */
export async function pathInfo(target: Target, path: string): Promise<PathInfo | undefined> {
  const own = await target.stat(path);
  if (!own) return undefined;
  // os.path.exists: a link leading nowhere adds nothing.
  if (own.type === 'link' && !(await target.exists(path))) return undefined;
  // A directory is never "hard"; a link describes itself (lstat), as Ansible's add_path_info.
  const state: PathState = own.type === 'link' ? 'link' : own.type === 'directory' ? 'directory' : (await target.stat(path, { follow: true }))!.nlink > 1 ? 'hard' : 'file';
  return { uid: own.uid, gid: own.gid, owner: own.owner, group: own.group, mode: octalMode(own.mode), state, size: own.size };
}

/** Adds the path info for `path` (or `dest`) to a result, as exit_json and fail_json do. */
export async function withPathInfo<T extends Record<string, unknown>>(target: Target, result: T): Promise<T> {
  const path = (result.path ?? result.dest) as unknown;
  if (typeof path !== 'string') return result;
  const info = await pathInfo(target, path);
  return info ? { ...result, ...info } : result;
}

/** os.path.realpath on the target: links resolved, missing parts kept. */
export async function realPath(target: Target, path: string): Promise<string> {
  const known = target.known.realPath(path);
  if (known !== undefined) return known;
  const result = await target.shQuery('realpath -m -- "$1"', [path]);
  if (result.rc !== 0) throw new ModuleFailure(`realpath failed for ${path}: ${result.stderr.trim()}`);
  const real = result.stdout.replace(/\n$/, '');
  target.known.recordRealPath(path, real);
  return real;
}

// $1 user or uid, $2 group or gid (either may be empty). Prints "uid gid", '-' for a name that is unknown.
const IDS_SCRIPT = `u=-; g=-
case $1 in '') u=;; *[!0-9]*) e=$(getent passwd -- "$1") && u=$(printf '%s' "$e" | cut -d: -f3);; *) u=$1;; esac
case $2 in '') g=;; *[!0-9]*) e=$(getent group -- "$2") && g=$(printf '%s' "$e" | cut -d: -f3);; *) g=$2;; esac
printf '%s %s\\n' "\${u:-none}" "\${g:-none}"`;

export interface ResolvedIds {
  /** undefined: not asked; null: no such user/group. */
  uid: number | null | undefined;
  gid: number | null | undefined;
}

/** Numeric ids of an owner and group (names looked up on the target, numbers taken as they are). */
export async function resolveIds(target: Target, owner: string | undefined, group: string | undefined): Promise<ResolvedIds> {
  if (!owner && !group) return { uid: undefined, gid: undefined };
  const isNumber = (v: string | undefined) => v !== undefined && /^\s*[+-]?\d+\s*$/.test(v);
  if ((!owner || isNumber(owner)) && (!group || isNumber(group))) {
    return { uid: owner ? parseInt(owner, 10) : undefined, gid: group ? parseInt(group, 10) : undefined };
  }
  const result = await target.shQuery(IDS_SCRIPT, [owner ?? '', group ?? '']);
  const [u, g] = result.stdout.trim().split(' ');
  const parse = (given: string | undefined, text: string | undefined) => (!given ? undefined : text === '-' || text === undefined ? null : Number(text));
  return { uid: parse(owner, u), gid: parse(group, g) };
}

export interface WalkEntry {
  path: string;
  /** The entry's own type (lstat). */
  type: 'file' | 'directory' | 'link' | 'other';
  /** For os.walk: a link to a directory is listed among the directories. */
  listedAsDirectory: boolean;
  uid: number;
  gid: number;
  mode: number;
  /** For links: the target as written. */
  linkTarget?: string;
}

/**
 * Everything under `root` in the order Python's os.walk (top-down) lists it: for each
 * directory its subdirectories, then its files, then each subdirectory in turn.
 */
export async function walk(target: Target, root: string): Promise<WalkEntry[]> {
  // Seven NUL-terminated fields per entry: names and link targets may hold any other byte.
  const result = await target.shQuery(`find "$1" -mindepth 1 -printf '%y\\0%Y\\0%U\\0%G\\0%m\\0%l\\0%P\\0'`, [root]);
  if (result.rc !== 0) throw new ModuleFailure(`could not list ${root}: ${result.stderr.trim()}`);
  const base = root.replace(/\/+$/, '');
  const typeOf = (t: string): WalkEntry['type'] => (t === 'f' ? 'file' : t === 'd' ? 'directory' : t === 'l' ? 'link' : 'other');
  const fields = result.stdout.split('\0');
  const children = new Map<string, WalkEntry[]>();
  for (let i = 0; i + 7 <= fields.length; i += 7) {
    const [own, followed, uid, gid, mode, link, relative] = fields.slice(i, i + 7) as [string, string, string, string, string, string, string];
    const parent = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
    const entry: WalkEntry = {
      path: `${base}/${relative}`,
      type: typeOf(own),
      listedAsDirectory: own === 'd' || (own === 'l' && followed === 'd'),
      uid: Number(uid),
      gid: Number(gid),
      mode: parseInt(mode, 8),
      ...(own === 'l' ? { linkTarget: link } : {}),
    };
    (children.get(parent) ?? children.set(parent, []).get(parent)!).push(entry);
  }
  const ordered: WalkEntry[] = [];
  const visit = (relativeDir: string) => {
    const entries = children.get(relativeDir) ?? [];
    const dirs = entries.filter((e) => e.listedAsDirectory);
    ordered.push(...dirs, ...entries.filter((e) => !e.listedAsDirectory));
    for (const dir of dirs) if (dir.type === 'directory') visit(dir.path.slice(base.length + 1));
  };
  visit('');
  return ordered;
}

/** Removes a file, link or directory tree. */
export async function removePath(target: Target, path: string, isDirectory: boolean): Promise<void> {
  const result = await target.sh(isDirectory ? 'rm -rf -- "$1"' : 'rm -f -- "$1"', [path]);
  if (result.rc !== 0) {
    throw new ModuleFailure(isDirectory ? `rmtree failed: ${result.stderr.trim()}` : `unlinking failed: ${result.stderr.trim()} `, isDirectory ? {} : { path });
  }
}

const tmpName = (path: string) => `${path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : ''}.tsplay.${randomBytes(6).toString('hex')}.tmp`;

/**
 * Creates (or atomically replaces) `path` as a symbolic link to `src`, or a hard link with
 * `hard`. With `ownOnly`, what is learnt about the new path is its own stat (and whether a
 * link leads somewhere): for a caller that will not follow it further.
 */
export async function makeLink(
  target: Target,
  src: string,
  path: string,
  options: { hard: boolean; replace: boolean; removeDirectory: boolean; ownOnly?: boolean },
): Promise<string | undefined> {
  const ln = options.hard ? 'ln' : 'ln -s';
  const describe = [{ path, ownOnly: options.ownOnly ?? false }];
  if (!options.replace) {
    const result = await target.sh(`${ln} -- "$1" "$2"`, [src, path], { describe });
    return result.rc === 0 ? undefined : `Error while linking: ${result.stderr.trim()}`;
  }
  const script = `${options.removeDirectory ? (options.hard ? 'rm -f -- "$2" 2>/dev/null || rmdir -- "$2" || exit 1\n' : 'rmdir -- "$2" || exit 1\n') : ''}${ln} -- "$1" "$3" || exit 1
mv -fT -- "$3" "$2" || { rm -f -- "$3"; exit 1; }`;
  const result = await target.sh(script, [src, path, tmpName(path)], { describe });
  return result.rc === 0 ? undefined : `Error while replacing: ${result.stderr.trim()}`;
}

/** Sets access and/or modification time (epoch seconds); 'now' for both uses the current time. */
export async function setTimes(target: Target, path: string, atime: number | 'now', mtime: number | 'now'): Promise<void> {
  const at = (t: number | 'now') => (t === 'now' ? 'now' : `@${t.toFixed(9)}`);
  const script = atime === 'now' && mtime === 'now' ? 'touch -c -- "$1"' : 'touch -c -a -d "$2" -- "$1" && touch -c -m -d "$3" -- "$1"';
  const result = await target.sh(script, [path, at(atime), at(mtime)], { describe: [path] });
  if (result.rc !== 0) throw new ModuleFailure(`Error while updating modification or access time: ${result.stderr.trim()}`, { path });
}

/** The target's umask (symbolic modes without a who-part honour it). */
export async function umaskOf(target: Target): Promise<number> {
  const result = await target.shQuery('umask');
  return parseInt(result.stdout.trim() || '022', 8);
}

// $1 the path. Creates each missing directory of it, printing each one created (NUL-terminated).
const MKDIRS_SCRIPT = `p=$1
case $p in /*) cur=;; *) cur=.;; esac
rest=\${p#/}
while [ -n "$rest" ]; do
  part=\${rest%%/*}
  case $rest in */*) rest=\${rest#*/};; *) rest=;; esac
  [ -n "$part" ] || continue
  if [ "$cur" = . ]; then cur=$part; else cur=$cur/$part; fi
  if [ ! -e "$cur" ]; then
    mkdir -- "$cur" 2>/dev/null || [ -d "$cur" ] || { printf '%s\\0' "$cur"; mkdir -- "$cur" 2>&1 >/dev/null | tr -d '\\n' >&2; exit 1; }
    printf '%s\\0' "$cur"
  fi
done`;

/** mkdir -p that reports each directory it created (the last one is the one that failed, on error). */
export async function makeDirectories(target: Target, path: string): Promise<{ created: string[]; error: string | undefined }> {
  const result = await target.sh(MKDIRS_SCRIPT, [path], { describe: [path] });
  const created = result.stdout.split('\0').filter(Boolean);
  return { created, error: result.rc === 0 ? undefined : result.stderr.trim() };
}
