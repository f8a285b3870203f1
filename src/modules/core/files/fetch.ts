// fetch: a file from the target copied to the controller, under dest/<host>/<path> or
// (flat) at dest itself, only when the checksums differ, as Ansible's fetch action.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, posix } from 'node:path';
import type { ModuleDefinition, ModuleResult } from '../../module.js';
import { actionFailure } from './action-failure.js';
import { Target } from './target.js';

interface FetchArgs {
  src?: unknown;
  dest?: unknown;
  flat?: unknown;
  fail_on_missing?: unknown;
  validate_checksum?: unknown;
}

const looseBoolean = (value: unknown, fallback: boolean) =>
  value === undefined || value === null ? fallback : typeof value === 'boolean' ? value : ['y', 'yes', 'on', '1', 'true', 't'].includes(String(value).trim().toLowerCase());

const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('hex');
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

function localChecksum(path: string): string | null {
  try {
    if (!statSync(path).isFile()) return null;
    return sha1(readFileSync(path));
  } catch {
    return null;
  }
}

export const fetchModule: ModuleDefinition<FetchArgs> = {
  name: 'ansible.builtin.fetch',
  argSpec: {
    src: { type: 'raw' },
    dest: { type: 'raw' },
    flat: { type: 'raw' },
    fail_on_missing: { type: 'raw' },
    validate_checksum: { type: 'raw' },
  },
  // The action validates nothing beyond its own checks.
  acceptsAnyArgs: true,
  supportsCheckMode: true,
  async run(args, ctx) {
    if (ctx.checkMode) return { changed: false, skipped: true, msg: 'check mode not (yet) supported for this module' };
    const target = new Target(ctx);
    const flat = looseBoolean(args.flat, false);
    const failOnMissing = looseBoolean(args.fail_on_missing, true);
    const validateChecksum = looseBoolean(args.validate_checksum, true);
    let msg = '';
    if (typeof args.src !== 'string') msg = 'Invalid type supplied for source option, it must be a string';
    if (typeof args.dest !== 'string') msg = 'Invalid type supplied for dest option, it must be a string';
    if (args.src == null || args.dest == null) msg = 'src and dest are required';
    if (msg) throw actionFailure(msg);
    const source = await target.expandHome(args.src as string);
    const originalDest = args.dest as string;

    const stat = await target.stat(source, { follow: true, checksum: true });
    if (stat?.type === 'directory') {
      if (!failOnMissing) return { msg: 'remote file is a directory, fetch cannot work on directories, not transferring, ignored' };
      return { failed: true, changed: false, msg: 'remote file is a directory, fetch cannot work on directories' };
    }
    let remoteChecksum = stat ? (stat.checksum ?? '') : '1';
    let remoteData: Buffer | undefined;
    if (remoteChecksum === '1' || remoteChecksum === '') {
      try {
        remoteData = await target.readFile(source);
        remoteChecksum = sha1(remoteData);
      } catch (error) {
        const missing = !(await target.stat(source, { follow: true }));
        const message = missing ? 'the remote file does not exist, not transferring, ignored' : `unable to slurp file: ${(error as Error).message}`;
        if (!failOnMissing) return { file: source, changed: false, msg: message };
        return { failed: true, changed: false, msg: message };
      }
    }

    const basedir = ctx.searchPath[ctx.searchPath.length - 1] ?? process.cwd();
    const dwim = (path: string) => (isAbsolute(path) ? path : join(basedir, path));
    let dest: string;
    if (flat) {
      dest = originalDest;
      if (existsSync(dest) && statSync(dest).isDirectory() && !dest.endsWith('/')) {
        throw actionFailure('dest is an existing directory, use a trailing slash if you want to fetch src into that directory');
      }
      if (dest.endsWith('/')) dest = join(dest, posix.basename(source));
      if (!dest.startsWith('/')) dest = dwim(dest);
    } else {
      dest = `${dwim(originalDest)}/${ctx.inventoryHostname}/${source}`;
    }
    dest = normalize(dest);
    const existing = localChecksum(dest);
    let result: ModuleResult;
    if (remoteChecksum !== existing) {
      mkdirSync(dirname(dest), { recursive: true });
      const data = remoteData ?? (await target.readFile(source));
      try {
        writeFileSync(dest, data);
      } catch (error) {
        throw actionFailure(`Failed to fetch the file: ${(error as Error).message}`);
      }
      const newChecksum = sha1(data);
      if (validateChecksum && newChecksum !== remoteChecksum) {
        result = { failed: true, md5sum: md5(data), msg: 'checksum mismatch', file: source, dest, remote_md5sum: null, checksum: newChecksum, remote_checksum: remoteChecksum };
      } else {
        result = { changed: true, md5sum: md5(data), dest, remote_md5sum: null, checksum: newChecksum, remote_checksum: remoteChecksum };
      }
    } else {
      result = { changed: false, md5sum: md5(readFileSync(dest)), file: source, dest, checksum: existing };
    }
    return result;
  },
};
