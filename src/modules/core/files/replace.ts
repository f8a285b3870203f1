// replace: every match of a regular expression (Python syntax, multiline) in a file
// replaced, optionally only between `after` and `before` matches, with Ansible's
// messages, backup, validate and content diff.
import { ModuleFailure, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { fileCommonArgSpec, setAttributesIfDifferent, type FileCommonArgs } from './attributes.js';
import { backupFile, putContent, runValidate } from './copy-remote.js';
import { realPath } from './fs.js';
import { compilePyRegex, PyRegexError, pySearch, pySubn } from '../../../template/python/regex.js';
import { Target } from './target.js';

interface ReplaceArgs extends FileCommonArgs {
  path: string;
  regexp: string;
  replace: string;
  after?: string | null;
  before?: string | null;
  backup: boolean;
  validate?: string | null;
  encoding: string;
  follow: boolean;
}

function compile(pattern: string, options: Parameters<typeof compilePyRegex>[1]): RegExp {
  try {
    return compilePyRegex(pattern, options);
  } catch (error) {
    if (error instanceof PyRegexError) throw new ModuleFailure(`Invalid regular expression ${pattern}: ${error.message}`);
    throw error;
  }
}

function nodeEncoding(encoding: string): BufferEncoding {
  const name = encoding.toLowerCase().replace(/[-_]/g, '');
  if (name === 'utf8') return 'utf8';
  if (name === 'latin1' || name === 'iso88591') return 'latin1';
  if (name === 'ascii') return 'ascii';
  if (name === 'utf16le' || name === 'utf16') return 'utf16le';
  throw new ModuleFailure(`unknown encoding: ${encoding}`);
}

export const replaceModule: ModuleDefinition<ReplaceArgs> = {
  name: 'ansible.builtin.replace',
  argSpec: {
    path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
    regexp: { type: 'str', required: true },
    replace: { type: 'str', default: '' },
    after: { type: 'str' },
    before: { type: 'str' },
    backup: { type: 'bool', default: false },
    validate: { type: 'str' },
    encoding: { type: 'str', default: 'utf-8' },
    ...fileCommonArgSpec,
  },
  supportsCheckMode: true,
  async run(args, ctx) {
    const target = new Target(ctx);
    const path = await target.expandPath(args.path);
    const encoding = nodeEncoding(args.encoding);
    const result: ModuleResult = { rc: 0 };
    const stat = await target.stat(path, { follow: true });
    if (stat?.type === 'directory') throw new ModuleFailure(`Path ${path} is a directory !`, { rc: 256 });
    if (!stat) throw new ModuleFailure(`Path ${path} does not exist !`, { rc: 257 });
    const contents = (await target.readFile(path)).toString(encoding);

    let pattern = '';
    if (args.after && args.before) pattern = `${args.after}(?P<subsection>.*?)${args.before}`;
    else if (args.after) pattern = `${args.after}(?P<subsection>.*)`;
    else if (args.before) pattern = `(?P<subsection>.*)${args.before}`;
    let section = contents;
    let bounds: [number, number] | undefined;
    if (pattern) {
      const match = pySearch(compile(pattern, { dotall: true, indices: true }), contents);
      if (!match) return { ...result, msg: `Pattern for before/after params did not match the given file: ${pattern}`, changed: false };
      section = match.groups!.subsection!;
      bounds = match.indices!.groups!.subsection!;
    }
    const [replaced, count] = pySubn(compile(args.regexp, { multiline: true }), args.replace, section);
    let msg = '';
    let changed = false;
    let after = replaced;
    if (count > 0 && section !== replaced) {
      if (bounds) after = contents.slice(0, bounds[0]) + replaced + contents.slice(bounds[1]);
      msg = `${count} replacements made`;
      changed = true;
      if (ctx.diffMode) result.diff = { before_header: path, before: contents, after_header: path, after };
    }
    if (changed && !ctx.checkMode) {
      if (args.backup) result.backup_file = await backupFile(target, path);
      const validate = args.validate;
      if (validate && !validate.includes('%s')) throw new ModuleFailure(`validate must contain %s: ${validate}`);
      await putContent(
        target,
        await realPath(target, path),
        Buffer.from(after, encoding),
        validate
          ? async (staged) => {
              const run = await runValidate(target, validate, staged);
              if (run.rc !== 0) throw new ModuleFailure(`failed to validate: rc:${run.rc} error:${run.stderr}`);
            }
          : undefined,
      );
    }
    const attrPath = args.follow && (await target.stat(path))?.type === 'link' ? await realPath(target, path) : path;
    if (await setAttributesIfDifferent(target, attrPath, args, false, undefined, ctx.checkMode)) {
      if (changed) msg += ' and ';
      changed = true;
      msg += 'ownership, perms or SE linux context changed';
    }
    return { ...result, msg, changed };
  },
};
