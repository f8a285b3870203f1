// find: files, directories or links under paths on the target that match name patterns
// (globs or Python regexes), age, size and content, with the stat fields Ansible's find
// module returns. The tree is listed in one round trip and filtered here, in os.walk order.
import { fnmatch } from '../../../parsing/fnmatch.js';
import { ModuleFailure, type ModuleDefinition } from '../../module.js';
import { compilePyRegex, PyRegexError } from '../../../template/python/regex.js';
import { Target } from './target.js';

interface FindArgs {
  paths: string[];
  patterns: string[];
  excludes?: string[] | null;
  contains?: string | null;
  read_whole_file: boolean;
  file_type: 'any' | 'directory' | 'file' | 'link';
  age?: string | null;
  age_stamp: 'atime' | 'ctime' | 'mtime';
  size?: string | null;
  recurse: boolean;
  hidden: boolean;
  follow: boolean;
  get_checksum: boolean;
  use_regex: boolean;
  depth?: number | null;
}

interface Entry {
  name: string;
  path: string;
  relative: string;
  /** lstat type: f d l p s c b */
  type: string;
  /** For os.walk: listed among the directories (a directory, or a link to one). */
  listedAsDirectory: boolean;
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  inode: number;
  dev: number;
  nlink: number;
  atime: number;
  mtime: number;
  ctime: number;
}

const FIELDS = 15;
// Fifteen NUL-terminated fields per entry (names may hold any other byte).
const LIST_FORMAT = ['%y', '%Y', '%m', '%U', '%G', '%u', '%g', '%s', '%i', '%D', '%n', '%A@', '%T@', '%C@', '%P'].map((f) => `${f}\\0`).join('');

function pyTime(text: string): number {
  const [seconds, fraction = '0'] = text.split('.');
  return Number(seconds) + Number(fraction.slice(0, 9).padEnd(9, '0')) * 1e-9;
}

function statInfo(entry: Entry): Record<string, unknown> {
  const mode = entry.mode;
  const bit = (b: number) => (mode & b) !== 0;
  return {
    mode: mode.toString(8).padStart(4, '0'),
    isdir: entry.type === 'd',
    ischr: entry.type === 'c',
    isblk: entry.type === 'b',
    isreg: entry.type === 'f',
    isfifo: entry.type === 'p',
    islnk: entry.type === 'l',
    issock: entry.type === 's',
    uid: entry.uid,
    gid: entry.gid,
    size: entry.size,
    inode: entry.inode,
    dev: entry.dev,
    nlink: entry.nlink,
    atime: entry.atime,
    mtime: entry.mtime,
    ctime: entry.ctime,
    gr_name: /^\d+$/.test(entry.group) ? '' : entry.group,
    pw_name: /^\d+$/.test(entry.owner) ? '' : entry.owner,
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
  };
}

function compile(pattern: string): RegExp {
  try {
    return compilePyRegex(pattern);
  } catch (error) {
    if (error instanceof PyRegexError) throw new ModuleFailure(`Invalid regular expression ${pattern}: ${error.message}`);
    throw error;
  }
}

/** re.match: a match that starts at the beginning. */
const matchesAtStart = (regex: RegExp, text: string) => new RegExp(regex.source, `${regex.flags.replace('g', '')}y`).test(text);

function nameFilter(name: string, patterns: string[], excludes: string[] | undefined, useRegex: boolean): boolean {
  if (!patterns.length && !excludes?.length) return true;
  const test = (pattern: string) => (useRegex ? matchesAtStart(compile(pattern), name) : fnmatch(name, pattern));
  for (const pattern of patterns) {
    if (!test(pattern)) continue;
    return !(excludes ?? []).some(test);
  }
  return false;
}

function parseAmount(text: string, units: Record<string, number>, pattern: RegExp): number | undefined {
  const m = pattern.exec(text.toLowerCase());
  if (!m) return undefined;
  return Number(m[1]) * (m[2] ? units[m[2]]! : 1);
}

export const findModule: ModuleDefinition<FindArgs> = {
  name: 'ansible.builtin.find',
  argSpec: {
    paths: { type: 'list', required: true, aliases: ['name', 'path'], elements: 'str' },
    patterns: { type: 'list', default: [], aliases: ['pattern'], elements: 'str' },
    excludes: { type: 'list', aliases: ['exclude'], elements: 'str' },
    contains: { type: 'str' },
    read_whole_file: { type: 'bool', default: false },
    file_type: { type: 'str', default: 'file', choices: ['any', 'directory', 'file', 'link'] },
    age: { type: 'str' },
    age_stamp: { type: 'str', default: 'mtime', choices: ['atime', 'ctime', 'mtime'] },
    size: { type: 'str' },
    recurse: { type: 'bool', default: false },
    hidden: { type: 'bool', default: false },
    follow: { type: 'bool', default: false },
    get_checksum: { type: 'bool', default: false },
    use_regex: { type: 'bool', default: false },
    depth: { type: 'int' },
  },
  supportsCheckMode: true,
  async run(args, ctx) {
    const target = new Target(ctx);
    const patterns = args.patterns.length ? args.patterns : [args.use_regex ? '.*' : '*'];
    let age: number | undefined;
    if (args.age != null) {
      age = parseAmount(args.age, { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }, /^(-?\d+)(s|m|h|d|w)?$/);
      if (age === undefined) throw new ModuleFailure('failed to process age', { age: args.age });
    }
    let size: number | undefined;
    if (args.size != null) {
      size = parseAmount(args.size, { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }, /^(-?\d+)(b|k|m|g|t)?$/);
      if (size === undefined) throw new ModuleFailure('failed to process size', { size: args.size });
    }
    const contains = args.contains != null ? compile(args.contains) : undefined;
    const now = Date.now() / 1000;
    const files: Record<string, unknown>[] = [];
    const skipped: Record<string, string> = {};
    const warnings: string[] = [];
    let looked = 0;

    const ageOk = (e: Entry) => age === undefined || (age >= 0 ? now - e[args.age_stamp] >= Math.abs(age) : now - e[args.age_stamp] <= Math.abs(age));
    const sizeOk = (e: Entry) => size === undefined || (size >= 0 ? e.size >= Math.abs(size) : e.size <= Math.abs(size));
    const contentOk = async (e: Entry) => {
      if (!contains) return true;
      let text: string;
      try {
        text = (await target.readFile(e.path)).toString('utf8');
      } catch {
        return false;
      }
      if (args.read_whole_file) {
        contains.lastIndex = 0;
        return contains.test(text);
      }
      return (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).some((line) => matchesAtStart(contains, line));
    };

    for (const raw of args.paths) {
      const root = await target.expandPath(raw);
      const rootStat = await target.stat(root, { follow: true });
      if (rootStat?.type !== 'directory') {
        skipped[root] = `'${root}' is not a directory`;
        warnings.push(`Skipped '${root}' path due to this access issue: ${skipped[root]}\n`);
        continue;
      }
      const listing = await target.sh(`find ${args.follow ? '-L ' : ''}"$1" -mindepth 1 ${args.recurse ? '' : '-maxdepth 1 '}-printf '${LIST_FORMAT}'`, [root]);
      if (listing.rc !== 0 && !listing.stdout) {
        skipped[root] = listing.stderr.trim();
        warnings.push(`Skipped '${root}' path due to this access issue: ${skipped[root]}\n`);
        continue;
      }
      const byParent = new Map<string, Entry[]>();
      const fields = listing.stdout.split('\0');
      const base = root.replace(/\/+$/, '') || '/';
      for (let i = 0; i + FIELDS <= fields.length; i += FIELDS) {
        const [own, followed, mode, uid, gid, owner, group, bytes, inode, dev, nlink, atime, mtime, ctime, relative] = fields.slice(i, i + FIELDS) as string[];
        const parent = relative!.includes('/') ? relative!.slice(0, relative!.lastIndexOf('/')) : '';
        const entry: Entry = {
          name: relative!.slice(relative!.lastIndexOf('/') + 1),
          path: `${base === '/' ? '' : base}/${relative}`,
          relative: relative!,
          type: own!,
          listedAsDirectory: own === 'd' || (own === 'l' && followed === 'd'),
          mode: parseInt(mode!, 8),
          uid: Number(uid),
          gid: Number(gid),
          owner: owner!,
          group: group!,
          size: Number(bytes),
          inode: Number(inode),
          dev: Number(dev),
          nlink: Number(nlink),
          atime: pyTime(atime!),
          mtime: pyTime(mtime!),
          ctime: pyTime(ctime!),
        };
        (byParent.get(parent) ?? byParent.set(parent, []).get(parent)!).push(entry);
      }
      const wpathDepth = `${root.replace(/\/+$/, '')}/`.split('/').length - 1;
      const visit = async (relativeDir: string): Promise<void> => {
        const entries = byParent.get(relativeDir) ?? [];
        const dirs = entries.filter((e) => e.listedAsDirectory);
        const ordered = [...entries.filter((e) => !e.listedAsDirectory), ...dirs];
        looked += ordered.length;
        let prune = false;
        for (const e of ordered) {
          if (args.depth) {
            const depth = e.path.split('/').length - 1 - wpathDepth + 1;
            if (depth > args.depth) {
              prune = true;
              continue;
            }
          }
          if (e.name.startsWith('.') && !args.hidden) continue;
          const r: Record<string, unknown> = { path: e.path };
          const named = () => nameFilter(e.name, patterns, args.excludes ?? undefined, args.use_regex);
          const checksum = async () => (await target.checksum(e.path)) ?? null;
          if (args.file_type === 'any') {
            if (named() && ageOk(e)) {
              Object.assign(r, statInfo(e));
              if (e.type === 'f' && args.get_checksum) r.checksum = await checksum();
              if (e.type !== 'f' || sizeOk(e)) files.push(r);
            }
          } else if (e.type === 'd' && args.file_type === 'directory') {
            if (named() && ageOk(e)) files.push(Object.assign(r, statInfo(e)));
          } else if (e.type === 'f' && args.file_type === 'file') {
            if (named() && ageOk(e) && sizeOk(e) && (await contentOk(e))) {
              Object.assign(r, statInfo(e));
              if (args.get_checksum) r.checksum = await checksum();
              files.push(r);
            }
          } else if (e.type === 'l' && args.file_type === 'link') {
            if (named() && ageOk(e)) files.push(Object.assign(r, statInfo(e)));
          }
        }
        if (!args.recurse || prune) return;
        for (const dir of dirs) if (dir.type === 'd' || args.follow) await visit(dir.relative);
      };
      await visit('');
    }
    const result: Record<string, unknown> = {
      files,
      changed: false,
      msg: warnings.length ? 'Not all paths examined, check warnings for details' : 'All paths examined',
      matched: files.length,
      examined: looked,
      skipped_paths: skipped,
    };
    if (warnings.length) result.warnings = warnings;
    return result;
  },
};
