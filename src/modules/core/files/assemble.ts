// assemble: one file made of the fragments in a directory (sorted by name, optionally
// filtered by a regexp, with a delimiter between them), from the target's directory
// (remote_src, the default) or a controller one, written only when it differs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { validateModuleArgs } from '../../arguments.js';
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { actionFailure, actionFailureFrom } from './action-failure.js';
import { fileCommonArgSpec, setAttributesIfDifferent, type FileCommonArgs } from './attributes.js';
import { findOnController, notFoundMessage } from './controller-files.js';
import { afterSideFromFile, beforeSide, hideDiffContent, MAX_FILE_SIZE_FOR_DIFF } from '../../diff.js';
import { backupFile, md5, placeFile, putContent, runValidate, sha1 } from './copy-remote.js';
import { fileModule, runFile, type FileArgs } from './file.js';
import { withPathInfo } from './fs.js';
import { compilePyRegex, PyRegexError, pySearch } from '../../../template/python/regex.js';
import { decodePythonEscapes } from './python-escapes.js';
import { withLocalTempFile } from './controller-temp.js';
import { Target } from './target.js';

interface AssembleArgs extends FileCommonArgs {
  src?: string | null;
  dest?: string | null;
  delimiter?: string | null;
  backup: boolean;
  remote_src?: unknown;
  regexp?: string | null;
  ignore_hidden: boolean;
  validate?: string | null;
  decrypt: boolean;
  follow: boolean;
  unsafe_writes: boolean;
}

interface Fragment {
  name: string;
  data: Buffer;
}

/** assemble_from_fragments: the fragments joined, a newline after one that lacks it, the delimiter between. */
export function joinFragments(fragments: Fragment[], delimiter: string | null | undefined): Buffer {
  const parts: Buffer[] = [];
  let delimit = false;
  let addNewline = false;
  for (const { data } of fragments) {
    if (addNewline) parts.push(Buffer.from('\n'));
    if (delimit && delimiter) {
      const bytes = Buffer.from(decodePythonEscapes(delimiter), 'latin1');
      parts.push(bytes);
      if (bytes[bytes.length - 1] !== 10) parts.push(Buffer.from('\n'));
    }
    parts.push(data);
    delimit = true;
    addNewline = !data.subarray(-1).equals(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** Python's sorted() of names: by code point. */
const byCodePoint = (a: string, b: string) => {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
};

function compileRegexp(regexp: string | null | undefined): RegExp | undefined {
  if (regexp == null) return undefined;
  try {
    return compilePyRegex(regexp);
  } catch (error) {
    if (error instanceof PyRegexError) throw new ModuleFailure(`Invalid Regexp (${error.message}) in "${regexp}"`);
    throw error;
  }
}

// $1 directory, then fragment names: one line each, the content in base64 ('-' for what is not a regular file).
const READ_FRAGMENTS = `d=$1; shift
for n do f="$d/$n"
  if [ -f "$f" ]; then base64 -w0 < "$f" || exit 1; echo; else echo -; fi
done`;

async function remoteFragments(target: Target, dir: string, regexp: RegExp | undefined, ignoreHidden: boolean): Promise<Fragment[]> {
  const listing = await target.sh('cd -- "$1" && ls -A', [dir]);
  const names = listing.stdout
    .split('\n')
    .filter(Boolean)
    .sort(byCodePoint)
    .filter((name) => !regexp || pySearch(regexp, name))
    .filter((name) => !(ignoreHidden && name.startsWith('.')));
  if (!names.length) return [];
  const read = await target.run(['/bin/sh', '-c', READ_FRAGMENTS, 'sh', dir, ...names]);
  if (read.rc !== 0) throw new ModuleFailure(`could not read the fragments in ${dir}: ${read.stderr.trim()}`);
  const lines = read.stdout.split('\n');
  return names.flatMap((name, i) => (lines[i] === '-' ? [] : [{ name, data: Buffer.from(lines[i] ?? '', 'base64') }]));
}

function controllerFragments(dir: string, regexp: RegExp | undefined, ignoreHidden: boolean): Fragment[] {
  const out: Fragment[] = [];
  for (const name of readdirSync(dir).sort(byCodePoint)) {
    if (regexp && !pySearch(regexp, name)) continue;
    const path = join(dir, name);
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile || (ignoreHidden && name.startsWith('.'))) continue;
    out.push({ name, data: readFileSync(path) });
  }
  return out;
}

/** The module on the target (remote_src). */
async function assembleOnTarget(target: Target, args: AssembleArgs, check: boolean): Promise<ModuleResult> {
  const src = await target.expandPath(args.src!);
  const dest = await target.expandPath(args.dest!);
  const result: ModuleResult = { src, dest };
  const srcStat = await target.stat(src, { follow: true });
  if (!srcStat) throw new ModuleFailure(`Source (${src}) does not exist`);
  if (srcStat.type !== 'directory') throw new ModuleFailure(`Source (${src}) is not a directory`);
  const regexp = compileRegexp(args.regexp);
  const validate = args.validate;
  if (validate && !validate.includes('%s')) throw new ModuleFailure(`validate must contain %s: ${validate}`);
  const data = joinFragments(await remoteFragments(target, src, regexp, args.ignore_hidden), args.delimiter);
  result.checksum = sha1(data);
  result.md5sum = md5(data);
  const destHash = (await target.stat(dest, { follow: true })) ? await target.checksum(dest) : undefined;
  let changed = false;
  if (result.checksum !== destHash) {
    if (!check) {
      if (args.backup && destHash !== undefined) result.backup_file = await backupFile(target, dest);
      await putContent(
        target,
        dest,
        data,
        validate
          ? async (staged) => {
              const run = await runValidate(target, validate, staged);
              result.validation = { rc: run.rc, stdout: run.stdout, stderr: run.stderr };
              if (run.rc !== 0) throw new ModuleFailure(`failed to validate: rc:${run.rc} error:${run.stderr}`);
            }
          : undefined,
      );
    }
    changed = true;
  }
  result.changed = await setAttributesIfDifferent(target, dest, args, changed, undefined, check);
  result.msg = 'OK';
  return withPathInfo(target, result);
}

async function assembleFromController(ctx: ModuleContext, target: Target, args: AssembleArgs): Promise<ModuleResult> {
  const found = findOnController(ctx, 'files', args.src!, { directories: true });
  if (found === undefined) {
    const message = notFoundMessage(ctx, 'files', args.src!);
    throw actionFailureFrom(message, 'ansible.errors.AnsibleFileNotFound', message);
  }
  if (!statSync(found).isDirectory()) throw actionFailure(`Source (${found}) is not a directory`);
  const data = joinFragments(controllerFragments(found, compileRegexp(args.regexp), args.ignore_hidden), args.delimiter);
  const dest = await target.expandHome(args.dest!);
  const destStat = await target.stat(dest, { follow: args.follow, checksum: true });
  const destChecksum = destStat ? (destStat.checksum ?? '') : '1';
  const moduleArgs: Record<string, unknown> = { ...args, dest };
  for (const option of ['remote_src', 'regexp', 'delimiter', 'ignore_hidden', 'decrypt']) delete moduleArgs[option];
  if (sha1(data) !== destChecksum) {
    return withLocalTempFile(data, async (localPath) => {
      const diff: Record<string, unknown> = {};
      if (ctx.diffMode) {
        let current;
        if (destStat) {
          const whole = destStat.size <= MAX_FILE_SIZE_FOR_DIFF;
          current = { size: destStat.size, data: whole ? await target.readFile(dest) : Buffer.from((await target.sh('head -c 8192 -- "$1"', [dest])).stdout) };
        }
        beforeSide(diff, dest, current);
        afterSideFromFile(diff, localPath, data);
      }
      const result = await placeFile(target, { kind: 'data', data }, { ...args, dest, srcLabel: localPath, follow: args.follow, force: true, backup: args.backup, stagedName: 'src' }, false);
      if (!Object.keys(diff).length) return result;
      return { ...result, diff: ctx.noLog ? hideDiffContent(diff) : diff };
    });
  }
  // As Ansible: the file module gets the task's arguments (src included) to settle attributes.
  const params = validateModuleArgs(fileModule as unknown as ModuleDefinition, Object.fromEntries(Object.entries(moduleArgs).filter(([k, v]) => v !== undefined && v !== null && k in fileModule.argSpec)), 'ansible.legacy.file');
  return runFile(params as unknown as FileArgs, target, false);
}

const looseBoolean = (value: unknown, fallback: boolean) =>
  value === undefined || value === null ? fallback : typeof value === 'boolean' ? value : ['y', 'yes', 'on', '1', 'true', 't'].includes(String(value).trim().toLowerCase());

export const assembleModule: ModuleDefinition<AssembleArgs> = {
  name: 'ansible.builtin.assemble',
  argSpec: {
    src: { type: 'path' },
    delimiter: { type: 'str' },
    dest: { type: 'path' },
    backup: { type: 'bool', default: false },
    remote_src: { type: 'raw' },
    regexp: { type: 'str' },
    ignore_hidden: { type: 'bool', default: false },
    validate: { type: 'str' },
    decrypt: { type: 'bool', default: true, unlisted: true },
    ...fileCommonArgSpec,
  },
  // The action plugin itself skips in check mode (with its own message).
  supportsCheckMode: true,
  async run(args, ctx) {
    if (ctx.checkMode) return { changed: false, skipped: true, msg: 'check mode is not supported for this task.' };
    if (args.src == null || args.dest == null) throw actionFailure('src and dest are required');
    const target = new Target(ctx);
    if (looseBoolean(args.remote_src, true)) return assembleOnTarget(target, args, ctx.checkMode);
    return assembleFromController(ctx, target, args);
  },
};
