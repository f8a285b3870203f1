// template: a Jinja2 template from the role's templates/ (or beside the playbook)
// rendered on the controller with the task's variables, then put on the target by the
// copy action, as Ansible's template action plugin does (so results, check mode and diff
// are copy's).
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pythonTypeName } from '../../arguments.js';
import type { ArgSpec, ModuleDefinition } from '../../module.js';
import { actionFailure, actionFailureFrom } from './action-failure.js';
import { TemplateError, type JinjaSettings } from '../../../template/templar.js';
import { localTempName } from './controller-temp.js';
import { findOnController, notFoundMessage } from './controller-files.js';
import { copyArgSpec, runCopy, type CopyArgs } from './copy.js';
import { octalMode } from './fs.js';

interface TemplateArgs extends CopyArgs {
  state?: unknown;
  newline_sequence?: unknown;
  variable_start_string?: unknown;
  variable_end_string?: unknown;
  block_start_string?: unknown;
  block_end_string?: unknown;
  comment_start_string?: unknown;
  comment_end_string?: unknown;
  trim_blocks?: unknown;
  lstrip_blocks?: unknown;
  output_encoding?: string | null;
}

const STRING_OPTIONS = ['src', 'dest', 'state', 'newline_sequence', 'variable_start_string', 'variable_end_string', 'block_start_string', 'block_end_string', 'comment_start_string', 'comment_end_string'] as const;

/** Options only the template action reads; the rest goes to copy. */
const TEMPLATE_ONLY = ['newline_sequence', 'block_start_string', 'block_end_string', 'variable_start_string', 'variable_end_string', 'comment_start_string', 'comment_end_string', 'trim_blocks', 'lstrip_blocks', 'output_encoding'];

// Template-only options are unlisted: unknown arguments are reported by the copy module.
const templateArgSpec: ArgSpec = {
  ...copyArgSpec,
  content: { ...copyArgSpec.content, unlisted: true },
  state: { type: 'raw', unlisted: true },
  newline_sequence: { type: 'raw', unlisted: true },
  variable_start_string: { type: 'raw', unlisted: true },
  variable_end_string: { type: 'raw', unlisted: true },
  block_start_string: { type: 'raw', unlisted: true },
  block_end_string: { type: 'raw', unlisted: true },
  comment_start_string: { type: 'raw', unlisted: true },
  comment_end_string: { type: 'raw', unlisted: true },
  trim_blocks: { type: 'raw', unlisted: true },
  lstrip_blocks: { type: 'raw', unlisted: true },
  output_encoding: { type: 'str', unlisted: true },
};

/** Ansible's non-strict boolean(): anything not a true spelling is false. */
function looseBoolean(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  return ['y', 'yes', 'on', '1', 'true', 't'].includes(String(value).trim().toLowerCase());
}

const NEWLINES: Record<string, string> = { '\\n': '\n', '\\r': '\r', '\\r\\n': '\r\n' };

export const templateModule: ModuleDefinition<TemplateArgs> = {
  name: 'ansible.builtin.template',
  reportedName: 'ansible.legacy.copy',
  argSpec: templateArgSpec,
  supportsCheckMode: true,
  async run(args, ctx) {
    for (const option of STRING_OPTIONS) {
      const value = args[option];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        throw actionFailure(`${option} is expected to be a string, but got <class '${pythonTypeName(value)}'> instead`);
      }
    }
    const follow = looseBoolean(args.follow, false);
    const jinja: JinjaSettings = {
      trimBlocks: looseBoolean(args.trim_blocks, true),
      lstripBlocks: looseBoolean(args.lstrip_blocks, false),
    };
    let newline = (args.newline_sequence as string | undefined) ?? '\n';
    newline = NEWLINES[newline] ?? newline;
    const strings: [keyof JinjaSettings, unknown][] = [
      ['variableStartString', args.variable_start_string],
      ['variableEndString', args.variable_end_string],
      ['blockStartString', args.block_start_string],
      ['blockEndString', args.block_end_string],
      ['commentStartString', args.comment_start_string],
      ['commentEndString', args.comment_end_string],
    ];
    for (const [key, value] of strings) if (typeof value === 'string') Object.assign(jinja, { [key]: value });
    if (args.state !== undefined && args.state !== null) throw actionFailure("'state' cannot be specified on a template");
    if (!args.src || !args.dest) throw actionFailure('src and dest are required');
    if (!['\n', '\r', '\r\n'].includes(newline)) throw actionFailure('newline_sequence needs to be one of: \n, \r or \r\n');
    jinja.newlineSequence = newline;
    const source = findOnController(ctx, 'templates', args.src);
    if (source === undefined) {
      const message = notFoundMessage(ctx, 'templates', args.src);
      throw actionFailureFrom(message, 'ansible.errors.AnsibleFileNotFound', message);
    }
    const mode = args.mode === 'preserve' ? octalMode(statSync(source).mode & 0o7777) : args.mode;

    const bytes = readFileSync(source);
    const text = bytes.toString('utf8');
    if (Buffer.compare(Buffer.from(text, 'utf8'), bytes) !== 0) throw actionFailure('Template source files must be utf-8 encoded');
    const searchPath = [...ctx.searchPath, dirname(source)].flatMap((p) => [join(p, 'templates'), p]);
    let rendered: string;
    try {
      rendered = ctx.templar.renderFile(text, ctx.vars, { path: source, templatePath: args.src, destPath: args.dest, searchPath, jinja, escapeBackslashes: false, preserveTrailingNewlines: true });
    } catch (error) {
      if (error instanceof TemplateError) {
        const module = error.type.startsWith('Ansible') ? 'ansible.errors' : 'jinja2.exceptions';
        throw actionFailureFrom(error.describe(), `${module}.${error.type}`, error.message);
      }
      if (error instanceof Error) throw actionFailureFrom(`${error.name}: ${error.message}`, error.name, error.message);
      throw error;
    }
    const copyArgs: Record<string, unknown> = { ...args, mode };
    for (const option of [...TEMPLATE_ONLY, 'state']) delete copyArgs[option];
    const encoding = (args.output_encoding || 'utf-8').toLowerCase().replace(/[-_]/g, '');
    const data = encoding === 'utf8' ? Buffer.from(rendered, 'utf8') : Buffer.from(rendered, encoding === 'latin1' || encoding === 'iso88591' ? 'latin1' : 'utf8');
    // Ansible writes the result to <its temporary directory>/<template name> and copies that.
    const resultFile = join(localTempName(), basename(source));
    const memory = { path: resultFile, data, mode: 0o666 & ~process.umask() };
    return runCopy({ ...(copyArgs as unknown as CopyArgs), src: resultFile, dest: args.dest, follow }, ctx, { ...copyArgs, src: resultFile, dest: args.dest, follow }, memory);
  },
};
