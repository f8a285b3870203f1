// File operations built from POSIX commands run on the target: the SSH connection
// uses them for everything, the local connection when it must become another user.
// Each operation is one shell script (one round trip over SSH); paths and other data
// travel as the script's arguments, never spliced into its text.
import { randomBytes } from 'node:crypto';
import type { BecomeOptions, FileOptions, FileStat, FileType, MkdirOptions, StatOptions, WriteOptions } from './connection.js';

export interface ScriptResult {
  rc: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a POSIX sh script with `args` as "$1", "$2"... and `stdin` as its standard
 * input, as the become user when asked.
 */
export type ScriptRunner = (
  script: string,
  args: readonly string[],
  options: { become?: BecomeOptions | undefined; stdin?: Buffer | undefined },
) => Promise<ScriptResult>;

// %f is the raw mode in hex (type and permission bits); names go last since they are free text.
// parseStatLine reads it back; other scripts that describe paths print it too.
export const STAT_FORMAT = '%f|%u|%g|%s|%.9X|%.9Y|%.9Z|%i|%d|%h|%U|%G';

/** Exit code of our scripts for "no such file". */
const MISSING = 3;

const TYPE_BITS: [number, FileType][] = [
  [0o140000, 'socket'],
  [0o120000, 'link'],
  [0o100000, 'file'],
  [0o060000, 'block'],
  [0o040000, 'directory'],
  [0o020000, 'char'],
  [0o010000, 'fifo'],
];

export function parseStatLine(path: string, line: string): FileStat {
  const [rawMode, uid, gid, size, atime, mtime, ctime, inode, dev, nlink, ...names] = line.trim().split('|');
  const mode = parseInt(rawMode ?? '0', 16);
  const typeBits = mode & 0o170000;
  const type = TYPE_BITS.find(([bits]) => bits === typeBits)?.[1] ?? 'file';
  const [owner = '', group = ''] = [names.slice(0, names.length - 1).join('|'), names[names.length - 1]];
  return {
    path,
    type,
    mode: mode & 0o7777,
    uid: Number(uid),
    gid: Number(gid),
    owner,
    group,
    size: Number(size),
    atime: Number(atime),
    mtime: Number(mtime),
    ctime: Number(ctime),
    inode: Number(inode),
    dev: Number(dev),
    nlink: Number(nlink),
  };
}

/**
 * A link's target from what stat's %N prints for it under QUOTING_STYLE=literal:
 * "PATH -> TARGET", byte for byte. Undefined when the text is not that (no longer a link).
 */
export function linkTargetOfName(path: string, named: string): string | undefined {
  const arrow = `${path} -> `;
  return named.startsWith(arrow) && named.length > arrow.length ? named.slice(arrow.length) : undefined;
}

// Prints the stat line, NUL, for a link when not following "PATH -> TARGET" (stat's %N,
// byte for byte with QUOTING_STYLE=literal: no readlink to start), NUL, and the SHA-1 line
// (when asked and a regular file). No command substitution: one process less.
function statScript(follow: boolean, checksum: boolean): string {
  return [
    follow
      ? `stat -L -c '${STAT_FORMAT}' -- "$1" || exit 1\nprintf '\\0'`
      : `if [ -L "$1" ]; then QUOTING_STYLE=literal stat --printf '${STAT_FORMAT}\\n\\0%N\\n' -- "$1" || exit 1
else stat -c '${STAT_FORMAT}' -- "$1" || exit 1; printf '\\0'; fi`,
    `printf '\\0'`,
    checksum ? `if [ -f "$1" ]${follow ? '' : ' && [ ! -L "$1" ]'}; then sha1sum < "$1" || exit 1; fi` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

const READ_SCRIPT = `[ -e "$1" ] || [ -L "$1" ] || { printf '%s: No such file or directory\\n' "$1" >&2; exit ${MISSING}; }
exec cat -- "$1"`;

// $1 path, $2 random suffix, $3 mode (octal) or empty, $4 owner or empty, $5 group or empty.
// A file that will get a mode or the mode of the file it replaces starts private
// (umask 077); a new file with no mode given starts with the default mode it keeps.
const WRITE_SCRIPT = `set -e
p=$1
case $p in */*) d=\${p%/*}; [ -n "$d" ] || d=/;; *) d=.;; esac
t="$d/.tsplay.$2.tmp"
trap 'rm -f -- "$t"' EXIT
if [ -n "$3" ] || [ -e "$p" ]; then umask 077; fi
set -C
: > "$t"
set +C
cat > "$t"
# Ownership before the mode: chown clears the setuid and setgid bits.
if [ -e "$p" ] && [ -z "$4$5" ]; then chown --reference="$p" -- "$t" 2>/dev/null || :; fi
if [ -n "$4" ]; then chown -- "$4" "$t"; fi
if [ -n "$5" ]; then chgrp -- "$5" "$t"; fi
if [ -n "$3" ]; then chmod -- "$3" "$t"
elif [ -e "$p" ]; then chmod --reference="$p" -- "$t"
fi
mv -f -- "$t" "$p"
trap - EXIT`;

const CHECKSUM_SCRIPT = `[ -e "$1" ] || exit ${MISSING}
sha1sum < "$1"`;

// $1 path, $2 mode or empty. Every directory created gets exactly the mode (not masked by the umask).
const MKDIRS_SCRIPT = `p=$1 m=$2
case $p in */) p=\${p%"\${p##*[!/]}"}; [ -n "$p" ] || p=/;; esac
[ -n "$m" ] || exec mkdir -p -- "$p"
[ -d "$p" ] && exit 0
set --
d=$p
while [ -n "$d" ] && [ ! -d "$d" ]; do
  set -- "$d" "$@"
  case $d in */*) d=\${d%/*};; *) d=;; esac
done
for d do
  mkdir -m "$m" -- "$d" 2>/dev/null || [ -d "$d" ] || mkdir -m "$m" -- "$d" || exit 1
done`;

/** The script failed because the path (or a directory on the way) does not exist. */
function isMissing(result: ScriptResult): boolean {
  return result.rc === MISSING || /No such file or directory|Not a directory/.test(result.stderr);
}

/** The first `count - 1` NUL-terminated fields, and the rest. */
function splitNul(data: Buffer, count: number): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  while (parts.length < count - 1) {
    const end = data.indexOf(0, start);
    if (end < 0) break;
    parts.push(data.subarray(start, end));
    start = end + 1;
  }
  parts.push(data.subarray(start));
  return parts;
}

function commandError(what: string, path: string, result: ScriptResult): Error {
  return new Error(`${what} ${path} failed (rc=${result.rc}): ${result.stderr.trim() || result.stdout.toString().trim()}`);
}

export class ShellFileOps {
  private readonly run: ScriptRunner;

  constructor(runner: ScriptRunner) {
    // Messages must be recognisable whatever the target's locale.
    this.run = (script, args, options) => runner(`LC_ALL=C; export LC_ALL\n${script}`, args, options);
  }

  async stat(path: string, options: StatOptions = {}): Promise<FileStat | undefined> {
    const result = await this.run(statScript(options.follow ?? false, options.checksum ?? false), [path], { become: options.become });
    if (result.rc !== 0) {
      if (isMissing(result)) return undefined;
      throw commandError('stat', path, result);
    }
    const [line = Buffer.alloc(0), target, digest] = splitNul(result.stdout, 3);
    const stat = parseStatLine(path, line.toString('utf8'));
    if (stat.type === 'link' && target !== undefined) {
      // %N and a newline.
      const linkTarget = linkTargetOfName(path, target.subarray(0, target.length - 1).toString('utf8'));
      if (linkTarget !== undefined) stat.linkTarget = linkTarget;
    }
    const sha = digest?.toString('latin1').slice(0, 40);
    if (options.checksum && sha !== undefined && /^[0-9a-f]{40}$/.test(sha)) stat.checksum = sha;
    return stat;
  }

  async readFile(path: string, options: FileOptions = {}): Promise<Buffer> {
    const result = await this.run(READ_SCRIPT, [path], { become: options.become });
    if (result.rc !== 0) throw commandError('read', path, result);
    return result.stdout;
  }

  async writeFile(path: string, data: string | Buffer, options: WriteOptions = {}): Promise<void> {
    const body = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    const args = [
      path,
      randomBytes(6).toString('hex'),
      options.mode !== undefined ? options.mode.toString(8) : '',
      options.owner ?? '',
      options.group ?? '',
    ];
    const result = await this.run(WRITE_SCRIPT, args, { become: options.become, stdin: body });
    if (result.rc !== 0) throw commandError('write', path, result);
  }

  async checksum(path: string, options: FileOptions = {}): Promise<string | undefined> {
    const result = await this.run(CHECKSUM_SCRIPT, [path], { become: options.become });
    if (result.rc === MISSING) return undefined;
    if (result.rc !== 0) throw commandError('checksum', path, result);
    return result.stdout.toString('latin1').slice(0, 40);
  }

  async mkdirs(path: string, options: MkdirOptions = {}): Promise<void> {
    const result = await this.run(MKDIRS_SCRIPT, [path, options.mode !== undefined ? options.mode.toString(8) : ''], { become: options.become });
    if (result.rc !== 0) throw commandError('mkdir', path, result);
  }
}
