// File operations built from POSIX commands run on the target: the SSH connection
// uses them for everything, the local connection when it must become another user.
import type { FileOptions, FileStat, FileType, MkdirOptions, RunOptions, RunResult, StatOptions, WriteOptions } from './connection.js';
import { shellQuote } from './shell-quote.js';

export type CommandRunner = (command: string | readonly string[], options?: RunOptions) => Promise<RunResult>;

// %f is the raw mode in hex (type and permission bits); names go last since they are free text.
const STAT_FORMAT = '%f|%u|%g|%s|%X|%Y|%Z|%i|%d|%h|%U|%G';

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

function missing(result: RunResult): boolean {
  return /No such file or directory|Not a directory/.test(result.stderr);
}

function commandError(what: string, path: string, result: RunResult): Error {
  return new Error(`${what} ${path} failed (rc=${result.rc}): ${result.stderr.trim() || result.stdout.trim()}`);
}

export class ShellFileOps {
  constructor(private readonly run: CommandRunner) {}

  async stat(path: string, options: StatOptions = {}): Promise<FileStat | undefined> {
    const argv = ['stat', ...(options.follow ? ['-L'] : []), '-c', STAT_FORMAT, '--', path];
    const result = await this.run(argv, { become: options.become });
    if (result.rc !== 0) {
      if (missing(result)) return undefined;
      throw commandError('stat', path, result);
    }
    const stat = parseStatLine(path, result.stdout);
    if (stat.type === 'link') {
      const link = await this.run(['readlink', '--', path], { become: options.become });
      stat.linkTarget = link.stdout.replace(/\n$/, '');
    }
    if (options.checksum && stat.type === 'file') stat.checksum = await this.checksum(path, options);
    return stat;
  }

  async readFile(path: string, options: FileOptions = {}): Promise<Buffer> {
    const result = await this.run(['base64', '-w0', '--', path], { become: options.become });
    if (result.rc !== 0) throw commandError('read', path, result);
    return Buffer.from(result.stdout.trim(), 'base64');
  }

  async writeFile(path: string, data: string | Buffer, options: WriteOptions = {}): Promise<void> {
    const q = shellQuote(path);
    const script = [
      'set -e',
      `d=$(dirname -- ${q})`,
      `t=$(mktemp "$d/.tsplay.XXXXXXXX")`,
      `trap 'rm -f "$t"' EXIT`,
      'base64 -d > "$t"',
      options.mode !== undefined
        ? `chmod ${options.mode.toString(8)} "$t"`
        : `if [ -e ${q} ]; then chmod --reference=${q} "$t"; else chmod $(printf '%o' $((0666 & ~$(umask)))) "$t"; fi`,
      `if [ -e ${q} ]; then chown --reference=${q} "$t" 2>/dev/null || true; fi`,
      options.owner !== undefined ? `chown ${shellQuote(options.owner)} "$t"` : '',
      options.group !== undefined ? `chgrp ${shellQuote(options.group)} "$t"` : '',
      `mv -f "$t" ${q}`,
      'trap - EXIT',
    ]
      .filter(Boolean)
      .join('\n');
    const body = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    const result = await this.run(['/bin/sh', '-c', script], { become: options.become, stdin: body.toString('base64') });
    if (result.rc !== 0) throw commandError('write', path, result);
  }

  async checksum(path: string, options: FileOptions = {}): Promise<string | undefined> {
    const result = await this.run(['sha1sum', '--', path], { become: options.become });
    if (result.rc !== 0) {
      if (missing(result)) return undefined;
      throw commandError('checksum', path, result);
    }
    return result.stdout.slice(0, 40);
  }

  async mkdirs(path: string, options: MkdirOptions = {}): Promise<void> {
    const mode = options.mode !== undefined ? ['-m', options.mode.toString(8)] : [];
    const result = await this.run(['mkdir', '-p', ...mode, '--', path], { become: options.become });
    if (result.rc !== 0) throw commandError('mkdir', path, result);
  }
}
