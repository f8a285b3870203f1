// stat: everything Ansible's stat module reports about a path, gathered on the target in
// one shell round trip (stat(1), access checks, link resolution, owner names, checksum,
// file(1) for the mime type, lsattr for attributes).
import { ModuleFailure, type ModuleDefinition } from '../../module.js';
import { Target } from './target.js';

interface StatArgs {
  path: string;
  follow: boolean;
  get_md5: boolean;
  get_checksum: boolean;
  get_mime: boolean;
  get_attributes: boolean;
  checksum_algorithm: 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
}

const FILE_ATTRIBUTES: Record<string, string> = {
  A: 'noatime', a: 'append', c: 'compressed', C: 'nocow', d: 'nodump', D: 'dirsync', e: 'extents', E: 'encrypted',
  h: 'blocksize', i: 'immutable', I: 'indexed', j: 'journalled', N: 'inline', s: 'zero', S: 'synchronous',
  t: 'notail', T: 'blockroot', u: 'undelete', X: 'compressedraw', Z: 'compresseddirty',
};

export const attributeNames = (flags: string) => [...flags].filter((f) => f in FILE_ATTRIBUTES).map((f) => FILE_ATTRIBUTES[f]!);

// $1 path, $2 'L' to follow links, $3 checksum command or '', $4 '1' for md5, $5 '1' for mime, $6 '1' for attributes.
// Prints NUL-terminated fields: stat line, owner name, group name (stat's UNKNOWN when the
// database has none), access flags, realpath, link target, checksum, md5, mime, lsattr; the
// commands' own output as it is, read on the controller (no command substitutions: each
// would be one more process). When stat fails: its message, and exit code 3.
const STAT_SCRIPT = `p=$1
f=; [ "$2" = L ] && f=-L
stat $f --printf '%f %u %g %s %i %d %h %b %o %t %T %.9X %.9Y %.9Z\\0%U\\0%G\\0' -- "$p" 2>&1 || exit 3
a=; [ -r "$p" ] && a=r; [ -w "$p" ] && a=\${a}w; [ -x "$p" ] && a=\${a}x; printf '%s\\0' "$a"
if [ -z "$f" ] && [ -L "$p" ]; then realpath -m -- "$p"; printf '\\0'; readlink -- "$p"; printf '\\0'; else printf '\\0\\0'; fi
reg=; if [ -f "$p" ] && { [ -n "$f" ] || [ ! -L "$p" ]; } && [ -r "$p" ]; then reg=1; fi
if [ -n "$reg" ] && [ -n "$3" ]; then $3 -- "$p"; fi; printf '\\0'
if [ -n "$reg" ] && [ "$4" = 1 ]; then md5sum < "$p"; fi; printf '\\0'
if [ "$5" = 1 ] && command -v file >/dev/null 2>&1; then file --mime-type --mime-encoding -- "$p" 2>/dev/null; fi; printf '\\0'
if [ "$6" = 1 ] && command -v lsattr >/dev/null 2>&1; then lsattr -vd -- "$p" 2>/dev/null; fi; printf '\\0'`;

/** What $(command) keeps of a command's output: everything but the trailing newlines. */
const substituted = (text: string) => text.replace(/\n+$/, '');

/** The owner or group name stat printed, when the user or group database knows the id. */
async function idName(target: Target, printed: string, database: 'passwd' | 'group', id: string): Promise<string> {
  if (printed !== 'UNKNOWN') return printed;
  // stat's word for an id without a name, unless a user or group is really called so.
  const entry = await target.shQuery('getent "$1" "$2" | cut -d: -f1', [database, id]);
  return substituted(entry.stdout);
}

/** Python's st_*time: seconds plus nanoseconds times 1e-9, in double precision. */
function pyTime(text: string): number {
  const [seconds, nanos = '0'] = text.split('.');
  return Number(seconds) + Number(nanos.padEnd(9, '0')) * 1e-9;
}

/** Linux's makedev, as st_rdev encodes a device number. */
function makedev(major: number, minor: number): number {
  return (minor & 0xff) + (major & 0xfff) * 256 + (minor & ~0xff) * 4096 + Math.floor(major / 4096) * 2 ** 32;
}

export async function statPath(target: Target, args: StatArgs): Promise<Record<string, unknown>> {
  const path = await target.expandPath(args.path);
  const algorithm = args.get_checksum ? `${args.checksum_algorithm}sum` : '';
  const result = await target.shQuery(STAT_SCRIPT, [path, args.follow ? 'L' : '', algorithm, args.get_md5 ? '1' : '', args.get_mime ? '1' : '', args.get_attributes ? '1' : '']);
  if (result.rc === 3) {
    if (result.stdout.includes('No such file')) return { exists: false };
    // Ansible fails with the OSError's strerror: the end of stat's message.
    const message = substituted(result.stdout).trim();
    throw new ModuleFailure(message.slice(message.lastIndexOf(': ') + 2));
  }
  if (result.rc !== 0) throw new ModuleFailure(result.stderr.trim());
  const fields = result.stdout.split('\0');
  const [line, printedOwner, printedGroup, access, realOutput, linkOutput, checksumOutput, md5Output, mimeOutput, lsattrOutput] = fields as string[];
  const [rawMode, uid, gid] = line!.split(' ');
  const pwName = await idName(target, printedOwner!, 'passwd', uid!);
  const grName = await idName(target, printedGroup!, 'group', gid!);
  const realpath = substituted(realOutput!);
  // readlink ends the target with one newline.
  const linkTarget = linkOutput!.endsWith('\n') ? linkOutput!.slice(0, -1) : linkOutput!;
  // "<digest>  <path>"; a name the program escapes puts a backslash first.
  const checksum = substituted(checksumOutput!).split(' ')[0]!.replace(/^\\/, '');
  const md5 = substituted(md5Output!).split(' ')[0]!;
  const mime = substituted(mimeOutput!);
  const lsattr = substituted(lsattrOutput!);
  const [, , , size, inode, dev, nlink, blocks, blockSize, major, minor, atime, mtime, ctime] = line!.split(' ') as string[];
  const mode = parseInt(rawMode!, 16);
  const type = mode & 0o170000;
  const bit = (b: number) => (mode & b) !== 0;
  const output: Record<string, unknown> = {
    exists: true,
    path,
    mode: (mode & 0o7777).toString(8).padStart(4, '0'),
    isdir: type === 0o040000,
    ischr: type === 0o020000,
    isblk: type === 0o060000,
    isreg: type === 0o100000,
    isfifo: type === 0o010000,
    islnk: type === 0o120000,
    issock: type === 0o140000,
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    inode: Number(inode),
    dev: Number(dev),
    nlink: Number(nlink),
    atime: pyTime(atime!),
    mtime: pyTime(mtime!),
    ctime: pyTime(ctime!),
    wusr: bit(0o200),
    rusr: bit(0o400),
    xusr: bit(0o100),
    wgrp: bit(0o020),
    rgrp: bit(0o040),
    xgrp: bit(0o010),
    woth: bit(0o002),
    roth: bit(0o004),
    xoth: bit(0o001),
    isuid: bit(0o4000),
    isgid: bit(0o2000),
    blocks: Number(blocks),
    block_size: Number(blockSize),
    device_type: makedev(parseInt(major!, 16), parseInt(minor!, 16)),
    readable: access!.includes('r'),
    writeable: access!.includes('w'),
    executable: access!.includes('x'),
  };
  if (output.islnk) {
    output.lnk_source = realpath;
    output.lnk_target = linkTarget;
  }
  if (pwName) output.pw_name = pwName;
  if (grName) output.gr_name = grName;
  if (output.isreg && output.readable) {
    if (args.get_md5) output.md5 = md5;
    if (args.get_checksum) output.checksum = checksum;
  }
  if (args.get_mime) {
    output.mimetype = output.charset = 'unknown';
    const described = mime!.slice(mime!.lastIndexOf(':') + 1).split(';');
    if (mime && described.length === 2) {
      output.mimetype = described[0]!.trim();
      output.charset = described[1]!.split('=')[1]?.trim() ?? 'unknown';
    }
  }
  if (args.get_attributes) {
    output.version = null;
    output.attributes = [];
    output.attr_flags = '';
    const parts = lsattr!.trim().split(/\s+/);
    if (lsattr && parts.length >= 2) {
      output.version = parts[0];
      output.attr_flags = parts[1]!.replace(/-/g, '');
      output.attributes = attributeNames(output.attr_flags as string);
    }
  }
  return output;
}

export const statModule: ModuleDefinition<StatArgs> = {
  name: 'ansible.builtin.stat',
  argSpec: {
    path: { type: 'path', required: true, aliases: ['dest', 'name'] },
    follow: { type: 'bool', default: false },
    get_md5: { type: 'bool', default: false },
    get_checksum: { type: 'bool', default: true },
    get_mime: { type: 'bool', default: true, aliases: ['mime', 'mime_type', 'mime-type'] },
    get_attributes: { type: 'bool', default: true, aliases: ['attr', 'attributes'] },
    checksum_algorithm: { type: 'str', default: 'sha1', choices: ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'], aliases: ['checksum', 'checksum_algo'] },
  },
  supportsCheckMode: true,
  async run(args, ctx) {
    return { changed: false, stat: await statPath(new Target(ctx), args) };
  },
};
