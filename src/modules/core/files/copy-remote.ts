// The host side of copy (Ansible's copy module): put one file's content at dest, where
// dest may name a directory (trailing slash: created as needed), honouring force,
// follow, backup and validate, then the file attributes; returns the copy module's keys.
import { isUtf8 } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { ModuleFailure, type ModuleResult } from '../../module.js';
import { shlexSplit } from '../commands/shlex.js';
import { setAttributesIfDifferent, setAttributesOnMany, type FileCommonArgs } from './attributes.js';
import { makeDirectories, realPath, withPathInfo } from './fs.js';
import { absoluteMode } from './mode.js';
import type { Target } from './target.js';

export interface PlaceOptions extends FileCommonArgs {
  /** dest as given to the module (a trailing slash means a directory). */
  dest: string;
  /** What the result reports as src. */
  srcLabel: string;
  _original_basename?: string | null | undefined;
  follow: boolean;
  force: boolean;
  backup: boolean;
  validate?: string | null | undefined;
  directory_mode?: unknown;
  /** The checksum the content must have (the copy module's `checksum` option). */
  checksum?: string | null | undefined;
  unsafe_writes?: boolean;
  /** The staged file's name in the remote temporary directory (copy: source, assemble: src). */
  stagedName?: string;
}

/** Where the content comes from: bytes from the controller, or a file on the target (remote_src). */
export type ContentSource = { kind: 'data'; data: Buffer } | { kind: 'remote'; path: string; sha1: string; md5: string };

export const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('hex');
export const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

// $1 dest. Prints a backup copy's name after making it (name.PID.DATE~, times and mode kept).
const BACKUP_SCRIPT = `b="$1.$$.$(date +%Y-%m-%d@%H:%M:%S~)"
cp -p -- "$1" "$b" || exit 1
printf '%s' "$b"`;

// $1 a file in the remote temporary directory, $2 dest, $3 a random suffix, $5 a mode or
// empty. As Ansible's atomic_move: copied next to dest and renamed over it; an existing dest
// gives its mode and ownership to the new content, a new one gets 0666 minus the umask;
// then the mode the module sets next, when given (see placeFile).
const PLACE = `t="\${2%/*}/.tsplay.$3.tmp"
cp -- "$1" "$t" || exit 1
if [ -e "$2" ]; then chmod --reference="$2" -- "$t" && { chown --reference="$2" -- "$t" 2>/dev/null || :; }
elif [ -z "$5" ]; then chmod "$(printf '%o' $((0666 & ~0$(umask))))" -- "$t"; fi
if [ -n "$5" ]; then chmod -- "$5" "$t" || { rm -f -- "$t"; exit 1; }; fi
mv -f -- "$t" "$2" || { rm -f -- "$t"; exit 1; }`;

// Writes the content (to the redirection that follows): the script's argument $7 when $6
// is A (text, see contentTransfer), else its stdin.
const CONTENT = `{ if [ "$6" = A ]; then printf '%s' "$7"; else cat; fi; }`;

// $1 the remote temporary directory's name: the content (see CONTENT) is kept there as
// `source` (printed), in ~/.ansible/tmp as Ansible's transfers are.
const STAGE = `d="\${HOME:-/tmp}/.ansible/tmp/$1"
(umask 077; mkdir -p -- "$d") || exit 1
${CONTENT} > "$d/$4" || exit 1
printf '%s' "$d/$4"`;

// STAGE then PLACE, with fewer processes when nothing is to be checked in between: with
// ~/.ansible/tmp there to stage in (created first as Ansible creates it, private, when
// missing), the content goes straight to the temporary file next to dest, placed as PLACE
// places it; the staged path is printed all the same. Otherwise the two steps as they are.
// $8, when set, is a umask that creates the file with the mode $5 (one without x or special
// bits) instead of a chmod after. When the new file's mode was left to the umask (no chmod:
// $8 set, or a new dest without a mode), the umask follows the path on a line of its own:
// a default ACL on the directory can have given another mode, which putContent corrects.
const STAGE_AND_PLACE = `h="\${HOME:-/tmp}/.ansible/tmp"
[ -d "$h" ] || (umask 077; mkdir -p -- "$h") 2>/dev/null
if [ -d "$h" ] && [ -w "$h" ] && [ -x "$h" ]; then
  t="\${2%/*}/.tsplay.$3.tmp" k=
  if [ -n "$8" ]; then umask "$8"; k=1; fi
  ${CONTENT} > "$t" || { rm -f -- "$t"; exit 1; }
  if [ -e "$2" ]; then
    if [ -n "$5" ]; then chown --reference="$2" -- "$t" 2>/dev/null || :
    else chmod --reference="$2" -- "$t" && { chown --reference="$2" -- "$t" 2>/dev/null || :; }; fi
  elif [ -z "$5" ]; then k=1; fi
  if [ -n "$5" ] && [ -z "$8" ]; then chmod -- "$5" "$t" || { rm -f -- "$t"; exit 1; }; fi
  mv -f -- "$t" "$2" || { rm -f -- "$t"; exit 1; }
  printf '%s' "$h/$1/$4"
  if [ -n "$k" ]; then printf '\\n'; umask; fi
  exit 0
fi
${STAGE}
${PLACE.replace(/\$1/g, '$d/$4')}
rm -rf -- "$d"`;

/** The umask that creates a file with `mode`, when no chmod is needed after (no x, no special bits). */
function creationUmask(mode: number | undefined): string {
  return mode !== undefined && (mode & ~0o666) === 0 ? (0o666 & ~mode).toString(8).padStart(3, '0') : '';
}

/**
 * The new file should have the mode its umask gives (0666 minus it), as Ansible's chmod
 * after the move makes sure: a default ACL on dest's directory gives another one, corrected here.
 */
async function ensureCreatedMode(target: Target, dest: string, umask: number): Promise<void> {
  const wanted = 0o666 & ~umask;
  const placed = await target.stat(dest);
  if (placed?.type !== 'file' || placed.mode === wanted) return;
  const result = await target.sh('chmod -- "$1" "$2"', [wanted.toString(8), dest], { describe: [dest] });
  if (result.rc !== 0) throw new ModuleFailure(`failed to write ${dest}: ${result.stderr.trim()}`);
}

/**
 * Text up to this size travels as an argument of the script (no process to read it on the
 * target): well under the 128 KiB a single argument may have where the script is a program's.
 */
const ARGUMENT_CONTENT_LIMIT = 64 * 1024;

/** The content's script arguments ($6, $7) and stdin: text as an argument, anything else on stdin. */
function contentTransfer(data: Buffer): { args: [string, string]; stdin: Buffer | undefined } {
  if (data.length <= ARGUMENT_CONTENT_LIMIT && !data.includes(0) && isUtf8(data)) return { args: ['A', data.toString('utf8')], stdin: undefined };
  return { args: ['', ''], stdin: data };
}

const remoteTmpName = () => `ansible-tmp-${(Date.now() / 1000).toFixed(7)}-${process.pid}-${randomBytes(6).readUIntBE(0, 6)}`;
const suffix = () => randomBytes(6).toString('hex');

// $1 remote source, $2 a copy of it next to dest with the source's mode and times.
const COPY_REMOTE_SCRIPT = `cp -- "$1" "$2" && chmod --reference="$1" -- "$2" && touch -r "$1" -- "$2"`;

export async function backupFile(target: Target, dest: string): Promise<string> {
  const result = await target.sh(BACKUP_SCRIPT, [dest]);
  if (result.rc !== 0) throw new ModuleFailure(`Could not make backup of ${dest} to ${dest}.*~: ${result.stderr.trim()}`);
  return result.stdout;
}

async function validateStaged(target: Target, staged: string, options: PlaceOptions): Promise<void> {
  const validate = options.validate!;
  if (!validate.includes('%s')) throw new ModuleFailure(`validate must contain %s: ${validate}`);
  await setAttributesIfDifferent(target, staged, { mode: options.mode, owner: options.owner, group: options.group }, false, undefined, false);
  const result = await runValidate(target, validate, staged);
  if (result.rc !== 0) {
    throw new ModuleFailure('failed to validate', { exit_status: result.rc, stdout: result.stdout, stderr: result.stderr });
  }
}

/**
 * Writes `data` at dest as a module's atomic_move does. With a validator the content is
 * first staged in the remote temporary directory (~/.ansible/tmp/ansible-tmp-NAME/source),
 * checked there, then moved into place; without one it is one round trip, which can also
 * give the content the `mode` the caller would set right after. Returns the staged path.
 */
export async function putContent(target: Target, dest: string, data: Buffer, validate?: (staged: string) => Promise<void>, stagedName = 'source', mode?: number): Promise<string> {
  const name = remoteTmpName();
  if (!validate) {
    const content = contentTransfer(data);
    const args = [name, dest, suffix(), stagedName, mode?.toString(8) ?? '', ...content.args, creationUmask(mode)];
    const result = await target.sh(STAGE_AND_PLACE, args, { stdin: content.stdin, describe: [dest] });
    if (result.rc !== 0) throw new ModuleFailure(`failed to write ${dest}: ${result.stderr.trim()}`);
    const umask = /\n([0-7]+)\n$/.exec(result.stdout);
    if (umask) await ensureCreatedMode(target, dest, parseInt(umask[1]!, 8));
    return result.stdout.split('\n')[0]!;
  }
  const content = contentTransfer(data);
  const staged = await target.sh(STAGE, [name, '', '', stagedName, '', ...content.args], { stdin: content.stdin });
  if (staged.rc !== 0) throw new ModuleFailure(`failed to write ${dest}: ${staged.stderr.trim()}`);
  const path = staged.stdout;
  try {
    await validate(path);
    const moved = await target.sh(PLACE, [path, dest, suffix()], { describe: [dest] });
    if (moved.rc !== 0) throw new ModuleFailure(`failed to write ${dest}: ${moved.stderr.trim()}`);
  } finally {
    await target.sh('rm -rf -- "${1%/*}"', [path]);
  }
  return path;
}

/** Runs a module's `validate` command line (`%s` is the staged file) as run_command does: split, never through a shell. */
export async function runValidate(target: Target, validate: string, staged: string): Promise<{ rc: number; stdout: string; stderr: string }> {
  return target.run(shlexSplit(validate.replace(/%s/g, staged)));
}

/**
 * Puts the content at dest (staged, validated when asked, moved into place). Returns the
 * staged path. `mode`: what the attributes step would then set, given on the way.
 */
async function writeContent(target: Target, source: ContentSource, dest: string, options: PlaceOptions, mode: number | undefined): Promise<string> {
  if (source.kind === 'remote') {
    const staged = `${posix.dirname(dest)}/.tsplay.${suffix()}.tmp`;
    try {
      const copied = await target.sh(COPY_REMOTE_SCRIPT, [source.path, staged]);
      if (copied.rc !== 0) throw new ModuleFailure(`failed to copy: ${source.path} to ${dest}`, { traceback: copied.stderr });
      if (options.validate) await validateStaged(target, staged, options);
      const moved = await target.sh(PLACE, [staged, dest, suffix()]);
      if (moved.rc !== 0) throw new ModuleFailure(`failed to copy: ${source.path} to ${dest}`, { traceback: moved.stderr });
    } finally {
      await target.sh('rm -f -- "$1"', [staged]);
    }
    return source.path;
  }
  try {
    return await putContent(target, dest, source.data, options.validate ? (staged) => validateStaged(target, staged, options) : undefined, options.stagedName, options.validate ? undefined : mode);
  } catch (error) {
    if (error instanceof ModuleFailure && error.message.startsWith('failed to write ')) {
      throw new ModuleFailure(`failed to copy: ${options.srcLabel} to ${dest}`, { traceback: error.message });
    }
    throw error;
  }
}

/** Ansible's copy module for one file; `check` only matters for remote sources (the action handles it otherwise). */
export async function placeFile(target: Target, source: ContentSource, options: PlaceOptions, check: boolean): Promise<ModuleResult> {
  let dest = options.dest.includes('/') ? options.dest : `./${options.dest}`;
  const checksumSrc = source.kind === 'data' ? sha1(source.data) : source.sha1;
  const md5Src = source.kind === 'data' ? md5(source.data) : source.md5;
  if (options.checksum && checksumSrc !== options.checksum) {
    throw new ModuleFailure('Copied file does not match the expected checksum. Transfer failed.', { checksum: checksumSrc, expected_checksum: options.checksum });
  }
  const basename = options._original_basename || posix.basename(source.kind === 'remote' ? source.path : options.srcLabel);
  if (dest.endsWith('/')) {
    if (options._original_basename) dest = posix.join(dest, options._original_basename);
    const dirname = posix.dirname(dest);
    if (!(await target.stat(dirname, { follow: true }))) {
      if (check) return { msg: `dest directory ${dirname} would be created`, changed: true, src: options.srcLabel };
      const { created, error } = await makeDirectories(target, dirname);
      if (error !== undefined) throw new ModuleFailure(`failed to create ${dirname}: ${error}`);
      const directoryArgs = { mode: options.directory_mode ?? null, owner: options.owner, group: options.group };
      const stats = await Promise.all(created.map(async (path) => ({ path, stat: (await target.stat(path))! })));
      await setAttributesOnMany(target, stats, directoryArgs, false);
    }
  }
  if ((await target.stat(dest, { follow: true }))?.type === 'directory') dest = posix.join(dest, basename);

  let checksumDest: string | undefined;
  const destStat = await target.stat(dest, { follow: true });
  if (destStat) {
    if (options.follow && (await target.stat(dest))?.type === 'link') dest = await realPath(target, dest);
    if (!options.force) return { msg: 'file already exists', src: options.srcLabel, dest, changed: false };
    if (destStat.type === 'file') checksumDest = await target.checksum(dest).catch(() => undefined);
  } else {
    const dirname = posix.dirname(dest);
    if (!(await target.exists(dirname))) {
      const access = await target.shQuery('stat -- "$1" 2>&1', [dirname]);
      if (/permission denied/i.test(access.stdout)) throw new ModuleFailure(`Destination directory ${dirname} is not accessible`);
      throw new ModuleFailure(`Destination directory ${dirname} does not exist`);
    }
  }
  if (!options.unsafe_writes && !(await target.access(posix.dirname(dest), 'w'))) {
    throw new ModuleFailure(`Destination ${posix.dirname(dest)} not writable`);
  }

  const isLink = (await target.stat(dest))?.type === 'link';
  let srcLabel = options.srcLabel;
  let backup: string | undefined;
  let changed = false;
  if (checksumSrc !== checksumDest || isLink) {
    if (!check) {
      if (options.backup && destStat) backup = await backupFile(target, dest);
      if (isLink) await target.sh('rm -f -- "$1" && : > "$1"', [dest]);
      // A plain mode is given to the content before it replaces dest rather than in one more
      // round trip after (not with an owner or group to set: chown after chmod clears setuid bits).
      // Also when dest has it already: it then replaces copying dest's mode (no process for
      // a mode the umask can give).
      const mode = options.owner || options.group ? undefined : absoluteMode(options.mode);
      srcLabel = await writeContent(target, source, dest, options, mode);
    }
    changed = true;
  }
  const result: ModuleResult = { dest, src: srcLabel, md5sum: md5Src, checksum: checksumSrc, changed };
  if (backup) result.backup_file = backup;
  const attributesPath = options.follow && (await target.stat(dest))?.type === 'link' ? await realPath(target, dest) : dest;
  try {
    result.changed = await setAttributesIfDifferent(target, attributesPath, options, changed, undefined, check);
  } catch (error) {
    // fail_json adds the path's info to a failure that names a path.
    if (error instanceof ModuleFailure) throw new ModuleFailure(error.message, await withPathInfo(target, error.extra));
    throw error;
  }
  return withPathInfo(target, result);
}
