// One shell script that tells, for several paths at once, what the file modules ask
// about them one question at a time: the path's own stat (lstat), its access flags, for
// a link its target, the stat of what it points to, its realpath and that realpath's
// stat, and a regular file's SHA-1 when asked. Over SSH that is one round trip instead
// of one per question. A question whose answer is an error other than "no such file"
// stays unanswered, so the module's own request meets the error as it would have.
import { linkTargetOfName, parseStatLine, STAT_FORMAT } from '../../../connection/shell-file-ops.js';
import type { FileStat } from '../../../connection/connection.js';

/** A stat answer: the stat, null for "does not exist". */
export type StatAnswer = FileStat | null;

export interface PathDescription {
  path: string;
  /** lstat; undefined when unknown (an error other than missing). */
  own: StatAnswer | undefined;
  /** stat following links; undefined when unknown. */
  followed: StatAnswer | undefined;
  /** Whether the regular file's checksum was asked and read (it is then on own/followed). */
  checksummed: boolean;
  /** 'r', 'w', 'x' as test(1) -r/-w/-x say (links followed). */
  access: string | undefined;
  /** test -e (os.path.exists): the path leads somewhere, links followed; undefined when not asked. */
  exists?: boolean | undefined;
  /** For links: realpath -m of the path, and the stat of that. */
  realPath?: string | undefined;
  realFollowed?: StatAnswer | undefined;
}

// x: runs a command, its stdout then stderr, then NUL, its exit code, NUL. d: one path
// ($1), with the checksum when $2 is C. Fields, NUL-terminated: lstat and its code (for a
// link, the line is followed by "PATH -> TARGET" as stat's %N prints it, byte for byte with
// QUOTING_STYLE=literal: no readlink to start); then (lstat worked) access flags; 'L',
// stat -L and realpath -m (each with its code) for a link, else an empty field; 'C' and sha1sum for a regular file when asked,
// else empty. A path that is not there in a directory that can be searched is missing
// without asking stat (no process): lstat could only say ENOENT (names too long aside).
// With $2 E only whether it exists (test -e) and its access flags: one field, e or n then
// the flags, no process at all. With $2 O a link is described by its lstat and %N alone:
// instead of stat -L and realpath, 'l' then e or n (test -e, links followed), one field.
export const DESCRIBE_FUNCTIONS = `LC_ALL=C QUOTING_STYLE=literal; export LC_ALL QUOTING_STYLE
x() { "$@" 2>&1; set -- $?; printf '\\0%s\\0' "$1"; return "$1"; }
d() {
  if [ "$2" = E ]; then
    a=; [ -r "$1" ] && a=r; [ -w "$1" ] && a=\${a}w; [ -x "$1" ] && a=\${a}x
    if [ -e "$1" ]; then printf 'e%s\\0' "$a"; else printf 'n%s\\0' "$a"; fi
    return 0
  fi
  if [ ! -e "$1" ] && [ ! -L "$1" ]; then
    b=\${1##*/} q=\${1%/*}
    [ "$q" != "$1" ] || q=.
    [ -n "$q" ] || q=/
    if [ -n "$b" ] && [ \${#b} -le 255 ] && [ \${#1} -lt 4096 ] && [ -d "$q" ] && [ -x "$q" ]; then
      printf '%s\\0%s\\0' 'No such file or directory' 2; return 0
    fi
  fi
  if [ -L "$1" ]; then l=L; x stat --printf '${STAT_FORMAT}\\n%N' -- "$1" || return 0
  else l=; x stat --printf '${STAT_FORMAT}' -- "$1" || return 0; fi
  a=; [ -r "$1" ] && a=r; [ -w "$1" ] && a=\${a}w; [ -x "$1" ] && a=\${a}x; printf '%s\\0' "$a"
  if [ -n "$l" ] && [ "$2" = O ]; then
    if [ -e "$1" ]; then printf 'le\\0'; else printf 'ln\\0'; fi
  elif [ -n "$l" ]; then
    printf 'L\\0'
    x stat -L --printf '${STAT_FORMAT}' -- "$1"
    x realpath -m -- "$1"
  else
    printf '\\0'
  fi
  case $2 in
    C) if [ -f "$1" ]; then printf 'C\\0'; x sha1sum -- "$1"; else printf '\\0'; fi;;
    *) printf '\\0';;
  esac
}`;

/** Describes its arguments, taken in pairs: path, then C (checksum), E, O or an empty word. */
export const DESCRIBE_SCRIPT = `${DESCRIBE_FUNCTIONS}
while [ $# -gt 1 ]; do d "$1" "$2"; shift 2; done`;

export interface DescribeRequest {
  path: string;
  /** Its SHA-1 too, when a regular file. */
  checksum?: boolean | undefined;
  /** Only whether it exists and its access flags (no process on the target). */
  existence?: boolean | undefined;
  /**
   * Its own stat only: for a link, whether what it points to exists instead of its stat
   * and realpath (no program beyond the lstat). For a module that asks nothing more.
   */
  ownOnly?: boolean | undefined;
}

const flagOf = (r: DescribeRequest) => (r.checksum ? 'C' : r.existence ? 'E' : r.ownOnly ? 'O' : '');

export function describeArgs(requests: readonly DescribeRequest[]): string[] {
  return requests.flatMap((r) => [r.path, flagOf(r)]);
}

/** One request for a path asked for several times: the fullest description wins. */
export function mergeRequests(a: DescribeRequest, b: DescribeRequest): DescribeRequest {
  const existence = (a.existence ?? false) && (b.existence ?? false);
  // The own stat answers whether the path exists too.
  const ownOnly = !existence && ((a.ownOnly ?? false) || (a.existence ?? false)) && ((b.ownOnly ?? false) || (b.existence ?? false));
  return { path: a.path, checksum: (a.checksum ?? false) || (b.checksum ?? false), existence, ownOnly };
}

const isMissingMessage = (text: string) => /No such file or directory|Not a directory/.test(text);

/** A stat -c/--printf answer and its exit code, as ShellFileOps.stat would have answered. */
function statAnswer(path: string, output: string, code: string): StatAnswer | undefined {
  if (code === '0') return parseStatLine(path, output);
  return isMissingMessage(output) ? null : undefined;
}

/** sha1sum's digest (a leading backslash marks an escaped file name). */
function digestOf(line: string): string | undefined {
  const hex = line.startsWith('\\') ? line.slice(1, 41) : line.slice(0, 40);
  return /^[0-9a-f]{40}$/.test(hex) ? hex : undefined;
}

/** Reads what DESCRIBE_SCRIPT (or a run of `d` per request) printed. */
export function parseDescriptions(output: string, requests: readonly DescribeRequest[]): PathDescription[] {
  const fields = output.split('\0');
  let at = 0;
  const next = () => fields[at++] ?? '';
  const descriptions: PathDescription[] = [];
  for (const request of requests) {
    const { path } = request;
    const checksum = request.checksum ?? false;
    if (at >= fields.length - 1) break;
    if (flagOf(request) === 'E') {
      const answer = next();
      descriptions.push({ path, own: undefined, followed: undefined, checksummed: false, access: answer.slice(1), exists: answer.startsWith('e') });
      continue;
    }
    const output = next();
    const code = next();
    // A link's stat line is followed by its %N (see DESCRIBE_FUNCTIONS).
    const lineEnd = code === '0' ? output.indexOf('\n') : -1;
    const own = statAnswer(path, lineEnd < 0 ? output : output.slice(0, lineEnd), code);
    if (own === null || own === undefined) {
      descriptions.push({ path, own, followed: own, checksummed: own === null, access: own === null ? '' : undefined, exists: own === null ? false : undefined });
      continue;
    }
    const description: PathDescription = { path, own, followed: own, checksummed: false, access: next() };
    const linkField = next();
    if (linkField !== '') {
      // Not "PATH -> TARGET" (no longer a link): the target stays unknown.
      const linkTarget = linkTargetOfName(path, lineEnd < 0 ? '' : output.slice(lineEnd + 1));
      if (linkTarget !== undefined) own.linkTarget = linkTarget;
      else description.own = undefined;
    }
    if (linkField === 'le' || linkField === 'ln') {
      // Only whether the link leads somewhere (see DESCRIBE_FUNCTIONS' O).
      description.followed = undefined;
      description.exists = linkField === 'le';
    } else if (linkField === 'L') {
      const followedLine = next();
      description.followed = statAnswer(path, followedLine, next());
      const real = next();
      if (next() === '0') {
        // As the realpath question reads it: one newline less. Following the link and
        // stat'ing its realpath reach the same file (or the same absence).
        description.realPath = real.replace(/\n$/, '');
        const followed = description.followed;
        description.realFollowed = followed === undefined ? undefined : followed && { ...followed, path: description.realPath };
      }
    }
    if (next() === 'C') {
      const sum = next();
      const digest = next() === '0' ? digestOf(sum) : undefined;
      if (digest !== undefined) {
        description.checksummed = true;
        const followed = description.followed;
        if (followed && followed.type === 'file') followed.checksum = digest;
        if (description.own && description.own.type === 'file') description.own.checksum = digest;
      }
    } else if (checksum) {
      // Not a regular file: nothing to checksum, which is an answer too.
      description.checksummed = true;
    }
    descriptions.push(description);
  }
  return descriptions;
}
