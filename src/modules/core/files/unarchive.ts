// unarchive: a tar (plain, gz, bz2, xz, zstd) or zip archive from the controller (sent
// to the target first) or already on the target, unpacked into an existing directory
// when its content is not there yet (tar --diff / the zip's sizes and CRCs decide), then
// the file attributes on every unpacked path, as Ansible's unarchive action and module.
import { posix } from 'node:path';
import { readFileSync, statSync } from 'node:fs';
import { shellQuote } from '../../../connection/shell-quote.js';
import { fnmatch } from '../../../parsing/fnmatch.js';
import { ModuleFailure, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { actionFailure, actionFailureFrom } from './action-failure.js';
import { fileCommonArgSpec, setAttributesOnMany, setAttributesIfDifferent, type FileCommonArgs } from './attributes.js';
import { findOnController, notFoundMessage } from './controller-files.js';
import { withPathInfo } from './fs.js';
import { decodePythonEscapes } from './python-escapes.js';
import { Target } from './target.js';

interface UnarchiveArgs extends FileCommonArgs {
  src?: string | null;
  dest?: string | null;
  remote_src: boolean;
  creates?: string | null;
  list_files: boolean;
  keep_newer: boolean;
  exclude: string[];
  include: string[];
  extra_opts: string[];
  validate_certs: boolean;
  io_buffer_size: number;
  copy?: boolean | null;
  decrypt: boolean;
}

const LOCALE = { LANG: 'C', LC_ALL: 'C', LC_MESSAGES: 'C', LANGUAGE: 'C' };

const TAR_FLAVOURS: [string, string][] = [
  ['TgzArchive', '-z'],
  ['TarArchive', ''],
  ['TarBzipArchive', '-j'],
  ['TarXzArchive', '-J'],
  ['TarZstdArchive', '--use-compress-program=zstd'],
];

interface Handler {
  name: string;
  files: string[];
  isUnarchived(): Promise<boolean>;
  unarchive(): Promise<{ cmd: string[]; rc: number; out: string; err: string }>;
}

/** A tar flavour GNU tar can list this archive with, or undefined. */
async function tarHandler(target: Target, args: UnarchiveArgs, src: string, dest: string, uid: number, checkMode: boolean): Promise<Handler | 'check-mode' | undefined> {
  const excludes = args.exclude.map((p) => p.replace(/\/+$/, ''));
  const version = await target.run(['tar', '--version']);
  if (!(version.stdout.startsWith('tar') && version.stdout.includes('GNU'))) return undefined;
  // As Ansible: the tar handlers refuse check mode as soon as they are tried.
  if (checkMode) return 'check-mode';
  for (const [name, flag] of TAR_FLAVOURS) {
    const command = (action: string, extra: string[] = []) => [
      'tar',
      action,
      '-C',
      dest,
      ...(flag ? [flag] : []),
      ...(args.extra_opts.length ? ['--show-transformed-names', ...args.extra_opts] : []),
      ...extra,
      ...excludes.map((e) => `--exclude=${e}`),
      '-f',
      src,
      ...args.include,
    ];
    const listed = await target.run(command('--list'), { cwd: dest, env: LOCALE });
    if (listed.rc !== 0) continue;
    const files = listed.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => Buffer.from(decodePythonEscapes(line), 'latin1').toString('utf8').replace(/^\//, ''))
      .filter((file) => !excludes.some((e) => fnmatch(file, e)));
    if (!files.length) continue;
    const ownership = [
      ...(args.owner ? [`--owner=${shellQuote(args.owner)}`] : []),
      ...(args.group ? [`--group=${shellQuote(args.group)}`] : []),
      ...(args.keep_newer ? ['--keep-newer-files'] : []),
    ];
    return {
      name,
      files,
      async isUnarchived() {
        const diff = await target.run(command('--diff', ownership), { cwd: dest, env: LOCALE });
        const relevant = [...diff.stdout.split('\n'), ...diff.stderr.split('\n')].filter((line) => {
          if (/: : Warning: Cannot stat: No such file or directory$/.test(line)) return false;
          return (
            (uid === 0 && !args.owner && /: Uid differs$/.test(line)) ||
            (uid === 0 && !args.group && /: Gid differs$/.test(line)) ||
            (!args.mode && /: Mode differs$/.test(line)) ||
            /: Mod time differs$/.test(line) ||
            /: Warning: Cannot stat: No such file or directory$/.test(line) ||
            /: Invalid owner/.test(line) ||
            /: Invalid group/.test(line)
          );
        });
        return relevant.length === 0;
      },
      async unarchive() {
        const cmd = command('--extract', ownership);
        const result = await target.run(cmd, { cwd: dest, env: LOCALE });
        return { cmd, rc: result.rc, out: result.stdout, err: result.stderr };
      },
    };
  }
  return undefined;
}

// $1 archive, $2 destination, then entry names: prints "ok" when each entry exists with its
// size and CRC-32 (read from gzip's trailer, which holds the CRC of the uncompressed data).
const ZIP_CHECK_SCRIPT = `src=$1 dest=$2; shift 2
unzip -Zv -- "$src" > /dev/null 2>&1 || exit 2
for n do
  f="$dest/$n"
  case $n in */) [ -d "$f" ] || { echo missing; exit 0; }; continue;; esac
  [ -f "$f" ] || { echo missing; exit 0; }
done
echo ok`;

async function zipHandler(target: Target, args: UnarchiveArgs, src: string, dest: string): Promise<Handler | undefined> {
  if ((await target.sh('command -v unzip >/dev/null && command -v zipinfo >/dev/null')).rc !== 0) return undefined;
  const listing = await target.run(['unzip', '-Z1', src], { env: LOCALE });
  if (listing.rc !== 0) return undefined;
  const members = listing.stdout.split('\n').filter(Boolean);
  const files = args.include.length
    ? members.filter((m) => args.include.some((p) => fnmatch(m, p)))
    : members.filter((m) => !args.exclude.some((p) => fnmatch(m, p)));
  // Sizes and CRCs of the members, from the archive's central directory.
  const verbose = await target.run(['unzip', '-v', src], { env: LOCALE });
  const expected = new Map<string, { size: number; crc: string }>();
  for (const line of verbose.stdout.split('\n').slice(3, -3)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    expected.set(fields.slice(7).join(' '), { size: Number(fields[0]), crc: fields[6]!.toLowerCase() });
  }
  return {
    name: 'ZipArchive',
    files,
    async isUnarchived() {
      const present = await target.sh(ZIP_CHECK_SCRIPT, [src, dest, ...files]);
      if (present.stdout.trim() !== 'ok') return false;
      const regular = files.filter((f) => !f.endsWith('/'));
      if (!regular.length) return true;
      // The size and CRC of each file on disk.
      const sums = await target.sh(
        `d=$1; shift; for n do f="$d/$n"; s=$(wc -c < "$f"); c=$(gzip -c -- "$f" | tail -c 8 | head -c 4 | od -An -tx4 | tr -d ' \\n'); printf '%s %s\\n' "$s" "$c"; done`,
        [dest, ...regular],
      );
      const lines = sums.stdout.trim().split('\n');
      return regular.every((name, i) => {
        const [size, crc] = (lines[i] ?? '').split(' ');
        const want = expected.get(name);
        return want !== undefined && Number(size) === want.size && crc === want.crc;
      });
    },
    async unarchive() {
      const cmd = ['unzip', '-o', src, ...args.extra_opts, ...(args.exclude.length ? ['-x', ...args.exclude] : []), ...args.include, '-d', dest];
      const result = await target.run(cmd, { env: LOCALE });
      return { cmd, rc: result.rc, out: result.stdout, err: result.stderr };
    },
  };
}

async function unarchiveOnTarget(target: Target, args: UnarchiveArgs, src: string, dest: string, check: boolean, moduleName: string): Promise<ModuleResult> {
  const srcStat = await target.stat(src, { follow: true });
  if (!srcStat) throw new ModuleFailure(args.remote_src ? `Source '${src}' does not exist` : `Source '${src}' failed to transfer`);
  if ((await target.sh('[ -r "$1" ]', [src])).rc !== 0) throw new ModuleFailure(`Source '${src}' not readable`);
  if (srcStat.size === 0) throw new ModuleFailure(`Invalid archive '${src}', the file is 0 bytes`);
  if ((await target.stat(dest, { follow: true }))?.type !== 'directory') throw new ModuleFailure(`Destination '${dest}' is not a directory`);
  const uid = Number((await target.run(['id', '-u'])).stdout.trim());
  let handler: Handler | 'check-mode' | undefined = await zipHandler(target, args, src, dest);
  handler ??= await tarHandler(target, args, src, dest, uid, check);
  if (handler === 'check-mode') return { skipped: true, changed: false, msg: `remote module (${moduleName}) does not support check mode when using gtar` };
  if (!handler) {
    throw new ModuleFailure(`Failed to find handler for "${src}". Make sure the required command to extract the file is installed.\nCommand "tar" could not handle archive: Unable to list files in the archive`);
  }
  const result: ModuleResult = { handler: handler.name, dest, src };
  const unarchived = await handler.isUnarchived();
  if (check) result.changed = !unarchived;
  else if (unarchived) result.changed = false;
  else {
    const extract = await handler.unarchive();
    result.extract_results = extract;
    if (extract.rc !== 0) throw new ModuleFailure(`failed to unpack ${src} to ${dest}`, await withPathInfo(target, result));
    result.changed = true;
  }
  if (!check) {
    const paths = handler.files.map((file) => posix.join(dest, file));
    const tops = [...new Set(handler.files.filter((f) => f.includes('/')).map((f) => f.split('/')[0]!))].map((top) => `${dest}/${top}`);
    const entries = [];
    for (const path of [...paths, ...tops]) {
      const stat = await target.stat(path);
      if (stat) entries.push({ path, stat });
    }
    if ((args.owner ?? args.group ?? args.mode ?? null) !== null) {
      result.changed = (await setAttributesOnMany(target, entries, args, false)) || result.changed;
    }
    if (args.attributes) for (const { path } of entries) result.changed = await setAttributesIfDifferent(target, path, { attributes: args.attributes }, result.changed as boolean, undefined, false);
  }
  if (args.list_files) result.files = handler.files;
  return withPathInfo(target, result);
}

export const unarchiveModule: ModuleDefinition<UnarchiveArgs> = {
  name: 'ansible.builtin.unarchive',
  argSpec: {
    src: { type: 'path' },
    dest: { type: 'path' },
    remote_src: { type: 'bool', default: false },
    creates: { type: 'path' },
    list_files: { type: 'bool', default: false },
    keep_newer: { type: 'bool', default: false },
    exclude: { type: 'list', elements: 'str', default: [] },
    include: { type: 'list', elements: 'str', default: [] },
    extra_opts: { type: 'list', elements: 'str', default: [] },
    validate_certs: { type: 'bool', default: true },
    io_buffer_size: { type: 'int', default: 64 * 1024 },
    copy: { type: 'bool' },
    decrypt: { type: 'bool', default: true },
    ...fileCommonArgSpec,
  },
  constraints: { mutuallyExclusive: [['include', 'exclude']] },
  supportsCheckMode: true,
  async run(args, ctx) {
    const target = new Target(ctx);
    let remoteSrc = args.remote_src;
    if (args.copy !== undefined && args.copy !== null) remoteSrc = !args.copy;
    if (args.src == null || args.dest == null) throw actionFailure('src (or content) and dest are required');
    if (args.creates) {
      const creates = await target.expandHome(args.creates);
      if (await target.stat(creates, { follow: true })) return { changed: false, skipped: true, msg: `skipped, since ${creates} exists` };
    }
    const dest = await target.expandHome(args.dest);
    let local: string | undefined;
    if (!remoteSrc) {
      local = findOnController(ctx, 'files', args.src);
      if (local === undefined) {
        const message = notFoundMessage(ctx, 'files', args.src);
        throw actionFailureFrom(message, 'ansible.errors.AnsibleFileNotFound', message);
      }
    }
    const destStat = await target.stat(dest, { follow: true });
    if (!destStat || destStat.type !== 'directory') throw actionFailure(`dest '${dest}' must be an existing dir`);
    const moduleName = 'ansible.legacy.unarchive';
    if (remoteSrc) {
      const src = args.src.includes('://') ? args.src : await target.expandPath(args.src);
      if (src.includes('://')) throw new ModuleFailure(`Source '${src}' is a URL: downloading archives is not supported by tsplay's unarchive; use get_url first`);
      return unarchiveOnTarget(target, { ...args, remote_src: true }, src, dest, ctx.checkMode, moduleName);
    }
    // Sent to a private directory on the target first, as Ansible's transfer does.
    const dir = (await target.shOk('could not create a temporary directory', `d="\${HOME:-/tmp}/.ansible/tmp/$1"; (umask 077; mkdir -p -- "$d") && printf '%s' "$d"`, [`ansible-tmp-${(Date.now() / 1000).toFixed(7)}-${process.pid}-${Math.floor(Math.random() * 2 ** 48)}`])).stdout;
    try {
      const source = `${dir}/source`;
      statSync(local!);
      await target.writeFile(source, readFileSync(local!), { mode: 0o600 });
      return await unarchiveOnTarget(target, { ...args, remote_src: false }, source, dest, ctx.checkMode, moduleName);
    } finally {
      await target.sh('rm -rf -- "$1"', [dir]);
    }
  },
};
