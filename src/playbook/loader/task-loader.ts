// Turns a YAML task list into blocks and tasks: finds each task's action and arguments in
// all of Ansible's forms (`mod: k=v`, `mod: {..}`, `action:`, `local_action:`, `args:`,
// `with_*`), expands the static imports (import_tasks, import_role) and validates keywords.
import { dirname } from 'node:path';
import { ParserError, TsplayError, type SourcePosition } from '../../errors.js';
import { parseKv, splitArgs } from '../../parsing/split-args.js';
import { pyStr } from '../../template/runtime/repr.js';
import { pyTypeRepr } from '../../yaml/python-types.js';
import { positionOf } from '../../yaml/positions.js';
import { Block, type BlockItem } from '../block.js';
import {
  BLOCK_KEYWORDS,
  FREE_FORM_ACTIONS,
  HANDLER_KEYWORDS,
  IMPORT_ROLE_ACTIONS,
  IMPORT_TASKS_ACTIONS,
  INCLUDE_ROLE_ACTIONS,
  INCLUDE_TASKS_ACTIONS,
  LOOP_CONTROL_KEYWORDS,
  RAW_PARAM_ACTIONS,
  TASK_KEYWORDS,
} from '../keywords.js';
import type { PlaybookNode } from '../node.js';
import { RoleEntry, type RoleInstance } from '../role.js';
import { Task, type LoopSpec } from '../task.js';
import type { PlayLoadContext } from './load-context.js';
import { findTaskFile, loadDataFile } from './files.js';
import { normalizeVars, validateKeywordTypes, type KeywordOwner } from './keyword-types.js';
import { templateWhileLoading } from './load-template.js';
import { checkIncludeDepth, loadingTaskFile } from './recursion.js';
import { loadRoleInstance } from './role-loader.js';

export interface TaskListSource {
  /** The file the list was read from (relative includes start from its directory). */
  file: string;
  /** The role the list belongs to, if any. */
  role: RoleInstance | undefined;
  /** Loading a handlers list. */
  handlers?: boolean;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where a task list comes from, for Ansible's messages about a malformed one. */
export type TaskListOrigin =
  | { section: 'tasks' | 'pre_tasks' | 'post_tasks' | 'handlers' }
  | { section: 'block' | 'rescue' | 'always' }
  | { section: 'file' }
  | { section: 'role-file'; role: string; file: string };

function malformedList(origin: TaskListOrigin, data: unknown): string {
  const detail = `${pyStr(data)} should be a list or None but is ${pyTypeRepr(data)}`;
  switch (origin.section) {
    case 'tasks':
      return `A malformed block was encountered while loading tasks: ${detail}`;
    case 'pre_tasks':
    case 'post_tasks':
    case 'handlers':
      return `A malformed block was encountered while loading ${origin.section}`;
    case 'block':
      return 'A malformed block was encountered while loading a block';
    case 'rescue':
      return 'A malformed block was encountered while loading rescue.';
    case 'always':
      return 'A malformed block was encountered while loading always';
    case 'role-file':
      return `The ${origin.file} file for role '${origin.role}' must contain a list of tasks${isMapping(data) ? '' : `. ${detail}`}`;
    default:
      return 'included task files must contain a list of tasks';
  }
}

/** Load a task list (tasks:, block:, a tasks file) under `parent`. */
export function loadTaskList(
  data: unknown,
  parent: PlaybookNode,
  source: TaskListSource,
  ctx: PlayLoadContext,
  origin: TaskListOrigin = { section: 'file' },
): BlockItem[] {
  checkIncludeDepth(parent);
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw new ParserError(malformedList(origin, data), positionOf(data) ?? parent.pos);
  const items: BlockItem[] = [];
  for (const entry of data) {
    if (!isMapping(entry)) {
      throw new ParserError(
        `A malformed block was encountered while loading a block. The ds (${pyStr(data)}) should be a dict but was a <class 'list'>`,
        positionOf(entry) ?? positionOf(data) ?? parent.pos,
      );
    }
    if ('block' in entry || 'rescue' in entry || 'always' in entry) {
      items.push(loadBlock(entry, parent, source, ctx));
    } else {
      items.push(...loadTask(entry, parent, source, ctx));
    }
  }
  return items;
}

/** Load a list of blocks the way a play section or a tasks file is loaded: bare tasks are grouped into implicit blocks. */
export function loadBlocks(data: unknown, parent: PlaybookNode, source: TaskListSource, ctx: PlayLoadContext, origin?: TaskListOrigin): Block[] {
  const items = loadTaskList(data, parent, source, ctx, origin);
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const item of items) {
    if (item.kind === 'block') {
      blocks.push(item);
      current = undefined;
      continue;
    }
    if (!current) {
      current = new Block({}, parent, item.pos, source.role, true);
      blocks.push(current);
    }
    current.block.push(item);
  }
  return blocks;
}

function checkKeywords(data: Record<string, unknown>, allowed: ReadonlySet<string>, what: string): void {
  for (const key of Object.keys(data)) {
    if (!allowed.has(key)) {
      throw new ParserError(`'${key}' is not a valid attribute for a ${what}`, positionOf(data));
    }
  }
}

function loadBlock(data: Record<string, unknown>, parent: PlaybookNode, source: TaskListSource, ctx: PlayLoadContext): Block {
  checkKeywords(data, BLOCK_KEYWORDS, 'Block');
  validateTaskKeywords(data, 'Block');
  const { block: tasks, rescue, always, ...keywords } = data;
  if ('vars' in keywords) keywords.vars = normalizeVars(data, 'Block');
  const block = new Block(keywords, parent, positionOf(data), source.role);
  block.block = loadTaskList(tasks, block, source, ctx, { section: 'block' });
  block.rescue = loadTaskList(rescue, block, source, ctx, { section: 'rescue' });
  block.always = loadTaskList(always, block, source, ctx, { section: 'always' });
  return block;
}

interface ParsedAction {
  action: string;
  args: Record<string, unknown>;
  delegateTo?: string;
}

/** Normalise the arguments of an action given as a string, a mapping or nothing. */
function normalizeArgs(thing: unknown, action: string, pos: SourcePosition | undefined): Record<string, unknown> {
  if (thing === null || thing === undefined) return {};
  if (isMapping(thing)) return { ...thing };
  if (typeof thing === 'string') return parseKv(thing, FREE_FORM_ACTIONS.has(action));
  if (typeof thing === 'number' || typeof thing === 'boolean') return parseKv(String(thing), FREE_FORM_ACTIONS.has(action));
  throw new ParserError(`unexpected parameter type in action: ${Array.isArray(thing) ? 'list' : typeof thing}`, pos);
}

/** `action: copy src=a` or `action: {module: copy, src: a}`. */
function normalizeOldStyle(thing: unknown, pos: SourcePosition | undefined): { action: string; args: Record<string, unknown> } {
  if (isMapping(thing)) {
    const { module, ...rest } = thing;
    if (typeof module !== 'string') throw new ParserError('no module/action detected in task.', pos);
    const [action, text] = splitModuleString(module);
    return { action, args: { ...rest, ...parseKv(text, FREE_FORM_ACTIONS.has(action)) } };
  }
  if (typeof thing === 'string') {
    const [action, text] = splitModuleString(thing);
    const args: Record<string, unknown> = parseKv(text, FREE_FORM_ACTIONS.has(action));
    return { action, args };
  }
  throw new ParserError(`unexpected parameter type in action: ${typeof thing}`, pos);
}

function splitModuleString(text: string): [string, string] {
  const tokens = splitArgs(text);
  return [(tokens[0] ?? '').trim(), tokens.slice(1).join(' ')];
}

/** Actions whose `cmd` argument is their free text (Ansible's _ACTION_HAS_CMD). */
const CMD_ACTIONS = new Set(
  ['command', 'shell', 'script'].flatMap((name) => [name, `ansible.builtin.${name}`, `ansible.legacy.${name}`]),
);

function parseAction(data: Record<string, unknown>, keywords: ReadonlySet<string>, ctx: PlayLoadContext): ParsedAction {
  const pos = positionOf(data);
  let extra: Record<string, unknown> = {};
  const rawArgs = data.args;
  if (rawArgs !== undefined && rawArgs !== null) {
    if (isMapping(rawArgs)) extra = { ...rawArgs };
    else if (typeof rawArgs === 'string' && ctx.options.templar.isTemplate(rawArgs)) extra = { _variable_params: rawArgs };
    else if (typeof rawArgs === 'string') {
      throw new ParserError(
        'Complex args containing variables cannot use bare variables (without Jinja2 delimiters), and must use the full variable style (\'{{var_name}}\')',
        pos,
      );
    } else throw new ParserError('Complex args must be a dictionary or variable string ("{{var}}").', pos);
  }

  let parsed: ParsedAction | undefined;
  if ('action' in data) {
    const { action, args } = normalizeOldStyle(data.action, pos);
    parsed = { action, args: { ...extra, ...args } };
  }
  if ('local_action' in data) {
    if (parsed) throw new ParserError('action and local_action are mutually exclusive', pos);
    const { action, args } = normalizeOldStyle(data.local_action, pos);
    parsed = { action, args: { ...extra, ...args }, delegateTo: 'localhost' };
  }
  for (const [key, value] of Object.entries(data)) {
    if (keywords.has(key) || key.startsWith('with_')) continue;
    if (parsed) throw new ParserError(`conflicting action statements: ${parsed.action}, ${key}`, pos);
    parsed = { action: key, args: { ...extra, ...normalizeArgs(value, key, pos) } };
  }
  if (!parsed) throw new ParserError('no module/action detected in task.', pos);

  const { action, args } = parsed;
  if (CMD_ACTIONS.has(action) && 'cmd' in args) {
    if (args._raw_params !== undefined && args._raw_params !== '') {
      throw new TsplayError(
        "The 'cmd' argument cannot be used when other raw parameters are specified. Please put everything in one or the other place.",
        { pos },
      );
    }
    args._raw_params = args.cmd;
    delete args.cmd;
  }
  if (args._raw_params !== undefined && args._raw_params !== '' && !RAW_PARAM_ACTIONS.has(action)) {
    const raw = args._raw_params;
    delete args._raw_params;
    if (typeof raw === 'string' && ctx.options.templar.isTemplate(raw)) {
      args._variable_params = raw;
    } else {
      throw new ParserError(
        `this task '${action}' has extra params, which is only allowed in the following modules: ${[...RAW_PARAM_ACTIONS].filter((a) => !a.includes('.')).join(', ')}`,
        pos,
      );
    }
  }
  return parsed;
}

function parseLoop(data: Record<string, unknown>): LoopSpec | undefined {
  const pos = positionOf(data);
  let spec: LoopSpec | undefined;
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith('with_')) continue;
    if (spec) throw new TsplayError(`duplicate loop in task: ${key.slice(5)}`, { pos });
    if (value === null || value === undefined) throw new TsplayError(`you must specify a value when using ${key}`, { pos });
    spec = { lookup: key.slice(5), terms: value };
  }
  if (data.loop !== undefined) {
    if (spec) throw new TsplayError(`duplicate loop in task: ${spec.lookup}`, { pos });
    spec = { items: data.loop };
  }
  return spec;
}

/** Ansible's load-time keyword checks, and the LoopControl attributes. */
function validateTaskKeywords(data: Record<string, unknown>, owner: KeywordOwner): void {
  validateKeywordTypes(data, owner);
  const loopControl = data.loop_control;
  if (isMapping(loopControl)) {
    for (const key of Object.keys(loopControl)) {
      if (!LOOP_CONTROL_KEYWORDS.has(key)) {
        throw new ParserError(`'${key}' is not a valid attribute for a LoopControl`, positionOf(loopControl));
      }
    }
  }
}

function loadTask(data: Record<string, unknown>, parent: PlaybookNode, source: TaskListSource, ctx: PlayLoadContext): BlockItem[] {
  const pos = positionOf(data);
  const allowed = source.handlers ? HANDLER_KEYWORDS : TASK_KEYWORDS;
  const { action, args, delegateTo } = parseAction(data, allowed, ctx);
  const owner: KeywordOwner = source.handlers ? 'Handler' : 'Task';
  validateTaskKeywords(data, owner);
  const loop = parseLoop(data);

  const keywords: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === action || key === 'action' || key === 'local_action' || key === 'args' || key.startsWith('with_') || key === 'loop') continue;
    keywords[key] = value;
  }
  if (delegateTo !== undefined) keywords.delegate_to = delegateTo;
  if ('vars' in keywords) keywords.vars = normalizeVars(data, owner);

  if (IMPORT_TASKS_ACTIONS.has(action)) return [importTasks(action, args, keywords, loop, pos, parent, source, ctx)];
  if (IMPORT_ROLE_ACTIONS.has(action)) return [importRole(args, keywords, loop, pos, parent, source, ctx)];

  if (!ctx.options.moduleExists(action) && !INCLUDE_TASKS_ACTIONS.has(action) && !INCLUDE_ROLE_ACTIONS.has(action)) {
    if (!ctx.options.moduleKnownToAnsible(action)) {
      throw new ParserError(
        `couldn't resolve module/action '${action}'. This often indicates a misspelling, missing collection, or incorrect module path.`,
        pos,
      );
    }
  }

  let includeParams: Record<string, unknown> | undefined;
  if (INCLUDE_TASKS_ACTIONS.has(action) || INCLUDE_ROLE_ACTIONS.has(action)) {
    includeParams = includeParamsOf(action, args);
  }
  return [
    new Task(keywords, parent, pos, source.role, action, args, loop, !!source.handlers, includeParams),
  ];
}

/** include_tasks: `file` (or free text) names the file; other args are include params. */
function includeParamsOf(action: string, args: Record<string, unknown>): Record<string, unknown> {
  const known = INCLUDE_TASKS_ACTIONS.has(action)
    ? ['file', '_raw_params', 'apply']
    : ['name', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'public', 'allow_duplicates', 'apply', 'rolespec_validate'];
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) if (!known.includes(key)) params[key] = value;
  return params;
}

function staticName(value: unknown, what: string, pos: SourcePosition | undefined, ctx: PlayLoadContext): string {
  if (typeof value !== 'string' || value === '') throw new ParserError(`No file specified for ${what}`, pos);
  return templateWhileLoading(ctx.options, value, pos);
}

function importTasks(
  action: string,
  args: Record<string, unknown>,
  keywords: Record<string, unknown>,
  loop: LoopSpec | undefined,
  pos: SourcePosition | undefined,
  parent: PlaybookNode,
  source: TaskListSource,
  ctx: PlayLoadContext,
): Block {
  if (loop) throw new ParserError(`You cannot use loops on '${action}' statements. You should use 'include_tasks' instead.`, pos);
  const { file, _raw_params: raw, ...params } = args;
  const name = staticName(file ?? raw, action, pos, ctx);
  const path = findTaskFile(name, source.role, dirname(source.file), ctx.basedir);
  if (!path) throw new TsplayError(`Could not find or access '${name}' on the Ansible Controller.`, { pos });
  const vars = { ...(isMapping(keywords.vars) ? keywords.vars : {}), ...params };
  const holder = new Block({ ...keywords, vars }, parent, pos, source.role, true);
  holder.block = loadingTaskFile(ctx, path, pos, () => loadTaskList(loadDataFile(path), holder, { ...source, file: path }, ctx));
  return holder;
}

function importRole(
  args: Record<string, unknown>,
  keywords: Record<string, unknown>,
  loop: LoopSpec | undefined,
  pos: SourcePosition | undefined,
  parent: PlaybookNode,
  source: TaskListSource,
  ctx: PlayLoadContext,
): Block {
  if (loop) throw new ParserError("You cannot use loops on 'import_role' statements. You should use 'include_role' instead.", pos);
  const name = staticName(args.name, 'import_role', pos, ctx);
  const { vars, ...entryKeywords } = keywords;
  const entry = new RoleEntry(entryKeywords, parent, pos, source.role);
  const role = loadRoleInstance(
    {
      name,
      params: isMapping(vars) ? vars : {},
      entry,
      fromInclude: true,
      isPublic: true,
      tasksFrom: args.tasks_from as string | undefined,
      varsFrom: args.vars_from as string | undefined,
      defaultsFrom: args.defaults_from as string | undefined,
      handlersFrom: args.handlers_from as string | undefined,
      allowDuplicates: args.allow_duplicates as boolean | undefined,
      pos,
      roleBasedir: source.role ? dirname(source.role.path) : undefined,
    },
    ctx,
  );
  ctx.play.includedRoles.push(role);
  const holder = new Block({}, entry, pos, role, true);
  holder.block = [...role.blocksWithDependencies()];
  ctx.play.handlers.push(...role.handlersWithDependencies());
  return holder;
}
