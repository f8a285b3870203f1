// The common file arguments (owner, group, mode) brought to a path as Ansible's
// set_fs_attributes_if_different does: compare with the path itself (lstat), record
// before/after in the diff (numeric ids, '0644' modes), change nothing in check mode.
import type { FileStat } from '../../../connection/connection.js';
import { ModuleFailure, type ArgSpec } from '../../module.js';
import { octalMode, resolveIds, umaskOf } from './fs.js';
import { needsUmask, resolveMode } from './mode.js';
import type { Target } from './target.js';

/** The options every file-handling module takes (Ansible's add_file_common_args). */
export const fileCommonArgSpec: ArgSpec = {
  mode: { type: 'raw' },
  owner: { type: 'str' },
  group: { type: 'str' },
  seuser: { type: 'str' },
  serole: { type: 'str' },
  selevel: { type: 'str' },
  setype: { type: 'str' },
  follow: { type: 'bool', default: false },
  unsafe_writes: { type: 'bool', default: false },
  attributes: { type: 'str', aliases: ['attr'] },
};

export interface FileCommonArgs {
  mode?: unknown;
  owner?: string | null;
  group?: string | null;
  attributes?: string | null;
}

export interface DiffSides {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** The attribute changes a path needs, worked out without changing anything. */
export interface AttributePlan {
  uid?: number;
  gid?: number;
  mode?: number;
}

interface WantedIds {
  uid: number | undefined;
  gid: number | undefined;
}

async function wantedIds(target: Target, args: FileCommonArgs, path: string): Promise<WantedIds> {
  const owner = args.owner ?? undefined;
  const group = args.group ?? undefined;
  const ids = await resolveIds(target, owner, group);
  if (ids.uid === null) throw new ModuleFailure(`chown failed: failed to look up user ${owner}`, { path });
  if (ids.gid === null) throw new ModuleFailure(`chgrp failed: failed to look up group ${group}`, { path });
  return { uid: ids.uid, gid: ids.gid };
}

async function planFor(stat: FileStat, ids: WantedIds, args: FileCommonArgs, umask: () => Promise<number | undefined>): Promise<AttributePlan> {
  const plan: AttributePlan = {};
  if (ids.uid !== undefined && ids.uid !== stat.uid) plan.uid = ids.uid;
  if (ids.gid !== undefined && ids.gid !== stat.gid) plan.gid = ids.gid;
  if (args.mode !== undefined && args.mode !== null) {
    const wanted = resolveMode(args.mode, stat.mode, stat.type === 'directory', needsUmask(args.mode) ? await umask() : undefined, stat.path);
    if (wanted !== stat.mode) plan.mode = wanted;
  }
  return plan;
}

// $1 path, $2 uid or empty, $3 gid or empty, $4 octal mode or empty (skipped for links: Linux cannot chmod one).
const APPLY_SCRIPT = `if [ -n "$2" ]; then chown -h -- "$2" "$1" || exit 1; fi
if [ -n "$3" ]; then chgrp -h -- "$3" "$1" || exit 2; fi
if [ -n "$4" ] && [ ! -L "$1" ]; then chmod -- "$4" "$1" || exit 3; fi
exit 0`;

async function apply(target: Target, path: string, plan: AttributePlan): Promise<void> {
  const result = await target.sh(APPLY_SCRIPT, [path, plan.uid?.toString() ?? '', plan.gid?.toString() ?? '', plan.mode?.toString(8) ?? ''], { describe: [path] });
  if (result.rc === 1) throw new ModuleFailure(`chown failed: ${result.stderr.trim()}`, { path });
  if (result.rc === 2) throw new ModuleFailure('chgrp failed', { path });
  if (result.rc === 3) throw new ModuleFailure('chmod failed', { path, details: result.stderr.trim() });
  if (result.rc !== 0) throw new ModuleFailure(`setting attributes failed: ${result.stderr.trim()}`, { path });
}

/**
 * Brings owner, group and mode of `path` to what `args` ask. Returns whether anything
 * changed (or would, in check mode), or'ed with `changed`; fills `diff` when given.
 */
export async function setAttributesIfDifferent(
  target: Target,
  path: string,
  args: FileCommonArgs,
  changed: boolean,
  diff: DiffSides | undefined,
  checkMode: boolean,
): Promise<boolean> {
  changed = await setOwnershipAndMode(target, path, args, changed, diff, checkMode);
  return setFileFlags(target, path, args.attributes ?? undefined, changed, diff, checkMode);
}

// $1 path: the file's flags as lsattr shows them (dashes removed), empty when there are none or no lsattr.
const LSATTR_SCRIPT = `command -v lsattr >/dev/null 2>&1 || exit 0
set -- $(lsattr -d -- "$1" 2>/dev/null)
printf '%s' "$1" | tr -d -`;

/** Ansible's set_attributes_if_different: the `attributes` option (chattr flags, `+i`, `-a`, `=e`). */
async function setFileFlags(target: Target, path: string, attributes: string | undefined, changed: boolean, diff: DiffSides | undefined, checkMode: boolean): Promise<boolean> {
  if (attributes === undefined) return changed;
  if (checkMode && !(await target.stat(path, { follow: true }))) return true;
  const existing = (await target.shQuery(LSATTR_SCRIPT, [path])).stdout;
  let operator = '=';
  let flags = attributes;
  if (flags.startsWith('-') || flags.startsWith('+')) {
    operator = flags[0]!;
    flags = flags.slice(1);
  }
  if (existing === flags && operator !== '-') return changed;
  if ((await target.shQuery('command -v chattr >/dev/null 2>&1')).rc !== 0) return changed;
  if (diff) {
    diff.before.attributes = existing;
    diff.after.attributes = `${operator}${flags}`;
  }
  if (!checkMode) {
    const result = await target.run(['chattr', `${operator}${flags}`, path]);
    if (result.rc !== 0 || result.stderr) {
      throw new ModuleFailure('chattr failed', { path, details: `Error while setting attributes: ${result.stdout}${result.stderr}` });
    }
  }
  return true;
}

async function setOwnershipAndMode(
  target: Target,
  path: string,
  args: FileCommonArgs,
  changed: boolean,
  diff: DiffSides | undefined,
  checkMode: boolean,
): Promise<boolean> {
  const wanted = (args.owner ?? null) !== null || (args.group ?? null) !== null || (args.mode ?? null) !== null;
  if (!wanted) return changed;
  // In check mode a path that does not exist yet would be changed.
  if (checkMode && !(await target.stat(path, { follow: true }))) return true;
  const stat = await target.stat(path);
  if (!stat) throw new ModuleFailure(`path ${path} does not exist`, { path });
  let umask: number | undefined;
  const plan = await planFor(stat, await wantedIds(target, args, path), args, async () => (umask ??= await umaskOf(target)));
  if (diff) {
    if (plan.uid !== undefined) Object.assign(diff.before, { owner: stat.uid }) && Object.assign(diff.after, { owner: plan.uid });
    if (plan.gid !== undefined) Object.assign(diff.before, { group: stat.gid }) && Object.assign(diff.after, { group: plan.gid });
    if (plan.mode !== undefined) Object.assign(diff.before, { mode: octalMode(stat.mode) }) && Object.assign(diff.after, { mode: octalMode(plan.mode) });
  }
  if (plan.uid === undefined && plan.gid === undefined && plan.mode === undefined) return changed;
  if (checkMode) return true;
  await apply(target, path, plan);
  // A link's own mode cannot change on Linux: only owner and group count then.
  return changed || plan.uid !== undefined || plan.gid !== undefined || (plan.mode !== undefined && stat.type !== 'link');
}

/** Plans and applies attributes for many paths at once (recursive file/copy): one round trip to apply. */
export async function setAttributesOnMany(
  target: Target,
  entries: readonly { path: string; stat: FileStat }[],
  args: FileCommonArgs,
  checkMode: boolean,
): Promise<boolean> {
  const wanted = (args.owner ?? null) !== null || (args.group ?? null) !== null || (args.mode ?? null) !== null;
  if (!wanted || entries.length === 0) return false;
  let umask: number | undefined;
  const umaskOnce = async () => (umask ??= await umaskOf(target));
  const ids = await wantedIds(target, args, entries[0]!.path);
  const lines: string[] = [];
  let changed = false;
  for (const { path, stat } of entries) {
    const plan = await planFor(stat, ids, args, umaskOnce);
    const modeCounts = plan.mode !== undefined && stat.type !== 'link';
    if (plan.uid === undefined && plan.gid === undefined && !modeCounts) continue;
    changed = true;
    lines.push(plan.uid?.toString() ?? '', plan.gid?.toString() ?? '', modeCounts ? plan.mode!.toString(8) : '', path);
  }
  if (!changed || checkMode) return changed;
  // Records of four NUL-terminated fields on stdin: uid, gid, mode, path.
  const script = `while IFS= read -r -d '' u && IFS= read -r -d '' g && IFS= read -r -d '' m && IFS= read -r -d '' p; do
  if [ -n "$u" ]; then chown -h -- "$u" "$p" || exit 1; fi
  if [ -n "$g" ]; then chgrp -h -- "$g" "$p" || exit 1; fi
  if [ -n "$m" ]; then chmod -- "$m" "$p" || exit 1; fi
done`;
  const result = await target.run(['/bin/bash', '-c', script], { stdin: `${lines.join('\0')}\0` });
  if (result.rc !== 0) throw new ModuleFailure(`setting attributes failed: ${result.stderr.trim()}`);
  return true;
}
