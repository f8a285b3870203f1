// lineinfile: make sure one line is in a file (replacing the line a regexp or search
// string matches, or inserted after/before a match), or that matching lines are gone,
// with Ansible's placement rules, messages, backup, validate and content diff. The file
// is handled as bytes (one character per byte) as the Python module does.
import { posix } from 'node:path';
import { ModuleFailure, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { fileCommonArgSpec, setAttributesIfDifferent, type DiffSides, type FileCommonArgs } from './attributes.js';
import { backupFile, putContent, runValidate } from './copy-remote.js';
import { makeDirectories, realPath } from './fs.js';
import { pyExpand, compilePyRegex, PyRegexError, pySearch } from '../../../template/python/regex.js';
import { Target } from './target.js';

interface LineinfileArgs extends FileCommonArgs {
  path: string;
  state: 'absent' | 'present';
  regexp?: string | null;
  search_string?: string | null;
  line?: string | null;
  insertafter?: string | null;
  insertbefore?: string | null;
  backrefs: boolean;
  create: boolean;
  backup: boolean;
  firstmatch: boolean;
  validate?: string | null;
  follow: boolean;
  unsafe_writes: boolean;
}

/** Text as bytes: each UTF-8 byte one character, as Python's bytes patterns see it. */
export const toBytesText = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
export const fromBytesText = (bytes: string) => Buffer.from(bytes, 'latin1').toString('utf8');

/** readlines() of a binary file: split after each \n, the newline kept. */
export function readLines(content: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', start)) {
    lines.push(content.slice(start, i + 1));
    start = i + 1;
  }
  if (start < content.length) lines.push(content.slice(start));
  return lines;
}

const stripEol = (line: string) => line.replace(/[\r\n]+$/, '');

function compile(pattern: string): RegExp {
  try {
    return compilePyRegex(toBytesText(pattern));
  } catch (error) {
    if (error instanceof PyRegexError) throw new ModuleFailure(`Invalid regular expression ${pattern}: ${error.message}`);
    throw error;
  }
}

interface FileState {
  exists: boolean;
  lines: string[];
}

async function readState(target: Target, path: string): Promise<FileState> {
  const stat = await target.stat(path, { follow: true });
  if (!stat) return { exists: false, lines: [] };
  return { exists: true, lines: readLines((await target.readFile(path)).toString('latin1')) };
}

/** write_changes: validated in a temporary file when asked, then moved over the file (its link resolved). */
async function writeChanges(target: Target, path: string, lines: string[], validate: string | null | undefined): Promise<void> {
  const data = Buffer.from(lines.join(''), 'latin1');
  const dest = await realPath(target, path);
  if (!validate) {
    await putContent(target, dest, data);
    return;
  }
  if (!validate.includes('%s')) throw new ModuleFailure(`validate must contain %s: ${validate}`);
  await putContent(target, dest, data, async (staged) => {
    const result = await runValidate(target, validate, staged);
    if (result.rc !== 0) throw new ModuleFailure(`failed to validate: rc:${result.rc} error:${result.stderr}`);
  });
}

/** check_file_attrs: the attribute changes, joined to the message. */
async function fileAttributes(target: Target, args: LineinfileArgs, path: string, check: boolean, changed: boolean, msg: string, diff: DiffSides): Promise<[string, boolean]> {
  const attrPath = args.follow && (await target.stat(path))?.type === 'link' ? await realPath(target, path) : path;
  if (await setAttributesIfDifferent(target, attrPath, args, false, diff, check)) {
    if (changed) msg += ' and ';
    changed = true;
    msg += 'ownership, perms or SE linux context changed';
  }
  return [msg, changed];
}

function attributesDiff(path: string, sides: DiffSides): Record<string, unknown> {
  const diff: Record<string, unknown> = {};
  if (Object.keys(sides.before).length) diff.before = sides.before;
  if (Object.keys(sides.after).length) diff.after = sides.after;
  return { ...diff, before_header: `${path} (file attributes)`, after_header: `${path} (file attributes)` };
}

async function present(target: Target, args: LineinfileArgs, path: string, check: boolean, diffMode: boolean, insertAfterIn: string | undefined, insertBefore: string | undefined): Promise<ModuleResult> {
  const diff = { before: '', after: '', before_header: `${path} (content)`, after_header: `${path} (content)` };
  const state = await readState(target, path);
  if (!state.exists) {
    if (!args.create) throw new ModuleFailure(`Destination ${path} does not exist !`, { rc: 257 });
    const dir = posix.dirname(path);
    if (dir && dir !== '.' && !check && !(await target.stat(dir, { follow: true }))) {
      const made = await makeDirectories(target, dir);
      if (made.error !== undefined) throw new ModuleFailure(`Error creating ${dir} (${made.error})`);
    }
  }
  const lines = state.lines;
  if (diffMode) diff.before = fromBytesText(lines.join(''));
  const regexp = args.regexp ?? undefined;
  const searchString = args.search_string ?? undefined;
  const insertAfter = insertAfterIn;
  const bre = regexp !== undefined ? compile(regexp) : undefined;
  const insertPattern = insertAfter !== undefined && insertAfter !== 'BOF' && insertAfter !== 'EOF' ? compile(insertAfter) : insertBefore !== undefined && insertBefore !== 'BOF' ? compile(insertBefore) : undefined;
  const index = [-1, -1];
  let match: RegExpExecArray | boolean | undefined;
  let exactLineMatch = false;
  const line = toBytesText(args.line!);

  if (bre) {
    for (let n = 0; n < lines.length; n++) {
      const found = pySearch(bre, lines[n]!);
      if (found) {
        index[0] = n;
        match = found;
        if (args.firstmatch) break;
      }
    }
  }
  if (searchString !== undefined) {
    const needle = toBytesText(searchString);
    for (let n = 0; n < lines.length; n++) {
      if (lines[n]!.includes(needle)) {
        index[0] = n;
        match = true;
        if (args.firstmatch) break;
      }
    }
  }
  if (!match) {
    for (let n = 0; n < lines.length; n++) {
      const current = lines[n]!;
      if (line === stripEol(current)) {
        index[0] = n;
        exactLineMatch = true;
      } else if (insertPattern && pySearch(insertPattern, current)) {
        if (insertAfter) {
          index[1] = n + 1;
          if (args.firstmatch) break;
        }
        if (insertBefore) {
          index[1] = n;
          if (args.firstmatch) break;
        }
      }
    }
  }

  let msg = '';
  let changed = false;
  const add = (at: number) => {
    lines.splice(at, 0, `${line}\n`);
    msg = 'line added';
    changed = true;
  };
  if (index[0] !== -1) {
    let newLine = args.backrefs && match && typeof match !== 'boolean' ? pyExpand(match, line) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (regexp === undefined && searchString === undefined && !match && !exactLineMatch) {
      // Only reachable through an insert position (kept for parity with the module's branches).
      if (insertAfter && insertAfter !== 'EOF') {
        if (lines.length && !/[\n\r]$/.test(lines[lines.length - 1]!)) lines[lines.length - 1] += '\n';
        if (lines.length === index[1]) {
          if (stripEol(lines[index[1] - 1]!) !== line) add(lines.length);
        } else if (stripEol(lines[index[1]]!) !== line) add(index[1]!);
      } else if (insertBefore && insertBefore !== 'BOF') {
        if (index[1]! <= 0) {
          if (stripEol(lines.at(index[1]!)!) !== line) add(index[1]!);
        } else if (stripEol(lines[index[1]! - 1]!) !== line) add(index[1]!);
      }
    } else if (lines[index[0]!] !== newLine) {
      lines[index[0]!] = newLine;
      msg = 'line replaced';
      changed = true;
    }
  } else if (args.backrefs) {
    // Nothing: without a match the backreferences cannot be filled in.
  } else if (insertBefore === 'BOF' || insertAfter === 'BOF') {
    add(0);
  } else if (insertAfter === 'EOF' || index[1] === -1) {
    if (lines.length && !/[\n\r]$/.test(lines[lines.length - 1]!)) lines.push('\n');
    add(lines.length);
  } else if (insertAfter && index[1] !== -1) {
    if (lines.length === index[1]) {
      if (stripEol(lines[index[1] - 1]!) !== line) add(lines.length);
    } else if (line !== stripEol(lines[index[1]!]!)) add(index[1]!);
  } else add(index[1]!);

  if (diffMode) diff.after = fromBytesText(lines.join(''));
  let backup = '';
  if (changed && !check) {
    if (args.backup && state.exists) backup = await backupFile(target, path);
    await writeChanges(target, path, lines, args.validate);
  }
  if (check && !(await target.stat(path, { follow: true }))) return { changed, msg, backup, diff };
  const sides: DiffSides = { before: {}, after: {} };
  [msg, changed] = await fileAttributes(target, args, path, check, changed, msg, sides);
  return { changed, msg, backup, diff: [diff, attributesDiff(path, sides)] };
}

async function absent(target: Target, args: LineinfileArgs, path: string, check: boolean, diffMode: boolean): Promise<ModuleResult> {
  const state = await readState(target, path);
  if (!state.exists) return { changed: false, msg: 'file not present' };
  const diff = { before: '', after: '', before_header: `${path} (content)`, after_header: `${path} (content)` };
  if (diffMode) diff.before = fromBytesText(state.lines.join(''));
  const bre = args.regexp != null ? compile(args.regexp) : undefined;
  const needle = args.search_string != null ? toBytesText(args.search_string) : undefined;
  const line = args.line != null ? toBytesText(args.line) : undefined;
  const found: string[] = [];
  const kept = state.lines.filter((current) => {
    const matched = bre ? pySearch(bre, current) !== null : needle !== undefined ? current.includes(needle) : line === stripEol(current);
    if (matched) found.push(current);
    return !matched;
  });
  let changed = found.length > 0;
  if (diffMode) diff.after = fromBytesText(kept.join(''));
  let backup = '';
  if (changed && !check) {
    if (args.backup) backup = await backupFile(target, path);
    await writeChanges(target, path, kept, args.validate);
  }
  let msg = changed ? `${found.length} line(s) removed` : '';
  const sides: DiffSides = { before: {}, after: {} };
  [msg, changed] = await fileAttributes(target, args, path, check, changed, msg, sides);
  return { changed, found: found.length, msg, backup, diff: [diff, attributesDiff(path, sides)] };
}

export const lineinfileModule: ModuleDefinition<LineinfileArgs> = {
  name: 'ansible.builtin.lineinfile',
  argSpec: {
    path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    regexp: { type: 'str', aliases: ['regex'] },
    search_string: { type: 'str' },
    line: { type: 'str', aliases: ['value'] },
    insertafter: { type: 'str' },
    insertbefore: { type: 'str' },
    backrefs: { type: 'bool', default: false },
    create: { type: 'bool', default: false },
    backup: { type: 'bool', default: false },
    firstmatch: { type: 'bool', default: false },
    validate: { type: 'str' },
    ...fileCommonArgSpec,
  },
  constraints: { mutuallyExclusive: [['insertbefore', 'insertafter'], ['regexp', 'search_string'], ['backrefs', 'search_string']] },
  supportsCheckMode: true,
  async run(args, ctx) {
    const target = new Target(ctx);
    const warnings: string[] = [];
    if (args.regexp === '' || args.search_string === '') {
      const name = args.regexp === '' ? 'regular expression' : 'search string';
      let message = `The ${name} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.`;
      if (args.regexp === '') message += " If this is desired, use '^' to match every line in the file and avoid this warning.";
      warnings.push(message);
    }
    const path = await target.expandPath(args.path);
    const withWarnings = (result: ModuleResult) => (warnings.length ? { ...result, warnings } : result);
    try {
      if ((await target.stat(path, { follow: true }))?.type === 'directory') throw new ModuleFailure(`Path ${path} is a directory !`, { rc: 256 });
      if (args.state === 'present') {
        if (args.backrefs && args.regexp == null) throw new ModuleFailure('regexp is required with backrefs=true');
        if (args.line == null) throw new ModuleFailure('line is required with state=present');
        let insertAfter = args.insertafter ?? undefined;
        const insertBefore = args.insertbefore ?? undefined;
        if (insertBefore === undefined && insertAfter === undefined) insertAfter = 'EOF';
        return withWarnings(await present(target, args, path, ctx.checkMode, ctx.diffMode, insertAfter, insertBefore));
      }
      if (args.regexp == null && args.search_string == null && args.line == null) {
        throw new ModuleFailure('one of line, search_string, or regexp is required with state=absent');
      }
      return withWarnings(await absent(target, args, path, ctx.checkMode, ctx.diffMode));
    } catch (error) {
      if (error instanceof ModuleFailure && warnings.length) throw new ModuleFailure(error.message, { ...error.extra, warnings });
      throw error;
    }
  },
};
