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
// Prints NUL-terminated fields: stat line, access flags, realpath, link target, user, group, checksum, md5, mime, lsattr.
const STAT_SCRIPT = `p=$1
f=; [ "$2" = L ] && f=-L
if ! s=$(stat $f -c '%f %u %g %s %i %d %h %b %o %t %T %.9X %.9Y %.9Z' -- "$p" 2>&1); then
  case $s in *'No such file'*) printf 'missing\\0'; exit 0;; esac
  case $s in *'Permission denied'*) echo 'Permission denied' >&2; exit 1;; esac
  printf '%s\\n' "$s" >&2; exit 1
fi
printf '%s\\0' "$s"
a=; [ -r "$p" ] && a=r; [ -w "$p" ] && a=\${a}w; [ -x "$p" ] && a=\${a}x; printf '%s\\0' "$a"
if [ -z "$f" ] && [ -L "$p" ]; then printf '%s\\0' "$(realpath -m -- "$p")"; t=$(readlink -- "$p"; echo x); printf '%s\\0' "\${t%??}"; else printf '\\0\\0'; fi
set -- "$p" "$3" "$4" "$5" "$6" $s
printf '%s\\0' "$(getent passwd "$7" | cut -d: -f1)" "$(getent group "$8" | cut -d: -f1)"
reg=; if [ -f "$1" ] && { [ -n "$f" ] || [ ! -L "$1" ]; } && [ -r "$1" ]; then reg=1; fi
if [ -n "$reg" ] && [ -n "$2" ]; then printf '%s\\0' "$($2 < "$1" | cut -d' ' -f1)"; else printf '\\0'; fi
if [ -n "$reg" ] && [ "$3" = 1 ]; then printf '%s\\0' "$(md5sum < "$1" | cut -d' ' -f1)"; else printf '\\0'; fi
if [ "$4" = 1 ] && command -v file >/dev/null 2>&1; then printf '%s\\0' "$(file --mime-type --mime-encoding -- "$1" 2>/dev/null)"; else printf '\\0'; fi
if [ "$5" = 1 ] && command -v lsattr >/dev/null 2>&1; then printf '%s\\0' "$(lsattr -vd -- "$1" 2>/dev/null)"; else printf '\\0'; fi`;

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
  if (result.rc !== 0) throw new ModuleFailure(result.stderr.trim());
  const fields = result.stdout.split('\0');
  if (fields[0] === 'missing') return { exists: false };
  const [line, access, realpath, linkTarget, pwName, grName, checksum, md5, mime, lsattr] = fields as string[];
  const [rawMode, uid, gid, size, inode, dev, nlink, blocks, blockSize, major, minor, atime, mtime, ctime] = line!.split(' ') as string[];
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
