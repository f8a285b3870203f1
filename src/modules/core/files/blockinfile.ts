// blockinfile: a block of lines between marker lines, inserted (at the end, the start, or
// after/before a line a regexp matches), replaced when the markers are there, or removed,
// with Ansible's messages, backup, validate and content diff.
import { posix } from 'node:path';
import { ModuleFailure, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { fileCommonArgSpec, setAttributesIfDifferent, type DiffSides, type FileCommonArgs } from './attributes.js';
import { backupFile, putContent, runValidate } from './copy-remote.js';
import { makeDirectories, realPath } from './fs.js';
import { fromBytesText, toBytesText } from './lineinfile.js';
import { compilePyRegex, PyRegexError, pySearch, pySubn } from '../../../template/python/regex.js';
import { Target } from './target.js';

interface BlockinfileArgs extends FileCommonArgs {
  path: string;
  state: 'absent' | 'present';
  marker: string;
  block: string;
  insertafter?: string | null;
  insertbefore?: string | null;
  create: boolean;
  backup: boolean;
  validate?: string | null;
  marker_begin: string;
  marker_end: string;
  follow: boolean;
}

/** bytes.splitlines(keepends=True): \n, \r\n and \r end lines. */
function splitLinesKeepEnds(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

function compile(pattern: string): RegExp {
  try {
    return compilePyRegex(toBytesText(pattern));
  } catch (error) {
    if (error instanceof PyRegexError) throw new ModuleFailure(`Invalid regular expression ${pattern}: ${error.message}`);
    throw error;
  }
}

export const blockinfileModule: ModuleDefinition<BlockinfileArgs> = {
  name: 'ansible.builtin.blockinfile',
  argSpec: {
    path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    marker: { type: 'str', default: '# {mark} ANSIBLE MANAGED BLOCK' },
    block: { type: 'str', default: '', aliases: ['content'] },
    insertafter: { type: 'str' },
    insertbefore: { type: 'str' },
    create: { type: 'bool', default: false },
    backup: { type: 'bool', default: false },
    validate: { type: 'str' },
    marker_begin: { type: 'str', default: 'BEGIN' },
    marker_end: { type: 'str', default: 'END' },
    ...fileCommonArgSpec,
  },
  constraints: { mutuallyExclusive: [['insertbefore', 'insertafter']] },
  supportsCheckMode: true,
  async run(args, ctx) {
    const target = new Target(ctx);
    const path = await target.expandPath(args.path);
    const stat = await target.stat(path, { follow: true });
    if (stat?.type === 'directory') throw new ModuleFailure(`Path ${path} is a directory !`, { rc: 256 });
    let original: string | undefined;
    let lines: string[] = [];
    if (!stat) {
      if (!args.create) throw new ModuleFailure(`Path ${path} does not exist !`, { rc: 257 });
      const dir = posix.dirname(path);
      if (!(await target.stat(dir, { follow: true })) && !ctx.checkMode) {
        const made = await makeDirectories(target, dir);
        if (made.error !== undefined) throw new ModuleFailure(`Error creating ${dir} Error code: 1 Error description: ${made.error}`);
      }
    } else {
      original = (await target.readFile(path)).toString('latin1');
      lines = splitLinesKeepEnds(original);
    }
    const diff = { before: '', after: '', before_header: `${path} (content)`, after_header: `${path} (content)` };
    if (ctx.diffMode && original) diff.before = fromBytesText(original);
    const present = args.state === 'present';
    if (!present && !stat) return { changed: false, msg: `File ${path} not present` };

    const insertBefore = args.insertbefore ?? undefined;
    let insertAfter = args.insertafter ?? undefined;
    if (insertBefore === undefined && insertAfter === undefined) insertAfter = 'EOF';
    const insertPattern = insertAfter !== undefined && insertAfter !== 'EOF' ? insertAfter : insertBefore !== undefined && insertBefore !== 'BOF' ? insertBefore : undefined;
    const insertRe = insertPattern !== undefined ? compile(insertPattern) : undefined;

    let block = toBytesText(args.block);
    const marker = toBytesText(args.marker);
    const markerRe = compilePyRegex('{mark}');
    const marker0 = `${pySubn(markerRe, toBytesText(args.marker_begin), marker)[0]}\n`;
    const marker1 = `${pySubn(markerRe, toBytesText(args.marker_end), marker)[0]}\n`;
    let blockLines: string[] = [];
    if (present && block) {
      if (!block.endsWith('\n')) block += '\n';
      blockLines = [marker0, ...splitLinesKeepEnds(block), marker1];
    }

    let n0: number | undefined;
    let n1: number | undefined;
    lines.forEach((line, i) => {
      if (line === marker0) n0 = i;
      if (line === marker1) n1 = i;
    });
    if (n0 === undefined || n1 === undefined) {
      n0 = undefined;
      if (insertRe) {
        if (/^\(\?[aiLsux]*m/.test(insertPattern!)) {
          const match = pySearch(insertRe, original ?? '');
          if (match) {
            const at = insertAfter ? match.index + match[0].length : match.index;
            n0 = fromBytesText((original ?? '').slice(0, at)).split('\n').length - 1;
          }
        } else {
          lines.forEach((line, i) => {
            if (pySearch(insertRe, line)) n0 = i;
          });
        }
        if (n0 === undefined) n0 = lines.length;
        else if (insertAfter !== undefined) n0 += 1;
      } else if (insertBefore !== undefined) n0 = 0;
      else n0 = lines.length;
    } else if (n0 < n1) lines.splice(n0, n1 - n0 + 1);
    else {
      lines.splice(n1, n0 - n1 + 1);
      n0 = n1;
    }
    if (n0 > 0 && !lines[n0 - 1]!.endsWith('\n')) lines[n0 - 1] += '\n';
    lines.splice(n0, 0, ...blockLines);
    const result = lines.join('');
    if (ctx.diffMode) diff.after = fromBytesText(result);

    let msg: string;
    let changed: boolean;
    if (original === result) [msg, changed] = ['', false];
    else if (original === undefined) [msg, changed] = ['File created', true];
    else if (!blockLines.length) [msg, changed] = ['Block removed', true];
    else [msg, changed] = ['Block inserted', true];

    let backup: string | undefined;
    if (changed && !ctx.checkMode) {
      if (args.backup && stat) backup = await backupFile(target, path);
      const realpath = await realPath(target, path);
      const validate = args.validate;
      if (validate && !validate.includes('%s')) throw new ModuleFailure(`validate must contain %s: ${validate}`);
      await putContent(
        target,
        realpath,
        Buffer.from(result, 'latin1'),
        validate
          ? async (staged) => {
              const run = await runValidate(target, validate, staged);
              if (run.rc !== 0) throw new ModuleFailure(`failed to validate: rc:${run.rc} error:${run.stderr}`);
            }
          : undefined,
      );
    }
    if (ctx.checkMode && !stat) return { changed, msg, diff };
    const sides: DiffSides = { before: {}, after: {} };
    const attrPath = args.follow && (await target.stat(path))?.type === 'link' ? await realPath(target, path) : path;
    if (await setAttributesIfDifferent(target, attrPath, args, false, sides, ctx.checkMode)) {
      if (changed) msg += ' and ';
      changed = true;
      msg += 'ownership, perms or SE linux context changed';
    }
    const attrDiff: Record<string, unknown> = {};
    if (Object.keys(sides.before).length) attrDiff.before = sides.before;
    if (Object.keys(sides.after).length) attrDiff.after = sides.after;
    const out: ModuleResult = { changed, msg, diff: [diff, { ...attrDiff, before_header: `${path} (file attributes)`, after_header: `${path} (file attributes)` }] };
    if (backup !== undefined) out.backup_file = backup;
    return out;
  },
};
