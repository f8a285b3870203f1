// Builds a Play from its YAML mapping: keywords, roles, the task sections compiled into
// one block list (with the implicit handler flushes between sections), and handlers.
import { ParserError, TsplayError } from '../../errors.js';
import { pyRepr, pyStr } from '../../template/runtime/repr.js';
import { keyPositionOf, positionOf } from '../../yaml/positions.js';
import { Block } from '../block.js';
import { PLAY_KEYWORDS } from '../keywords.js';
import { Play } from '../play.js';
import type { RoleDefinition } from '../role.js';
import { Task } from '../task.js';
import { PlayLoadContext, type LoadOptions } from './load-context.js';
import { loadRoleInstance, roleRequestFromEntry } from './role-loader.js';
import { normalizeVars, validateKeywordTypes } from './keyword-types.js';
import { loadBlocks } from './task-loader.js';

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A one-task block running `meta: <action>`, added by the engine (not in the playbook). */
export function implicitMetaBlock(action: string, parent: Play): Block {
  const block = new Block({}, parent, undefined, undefined, true);
  block.block = [new Task({}, block, undefined, undefined, 'meta', { _raw_params: action }, undefined, false, undefined, true)];
  return block;
}

/**
 * The play's block list: pre_tasks, roles and tasks, post_tasks, each followed by a handler
 * flush. With force_handlers each section is a block whose `always` flushes, so handlers run
 * even on hosts that failed (as Ansible compiles it).
 */
export function compilePlay(play: Play, forceHandlers: boolean): Block[] {
  const { pre, main, post } = play.sections;
  if (!forceHandlers) {
    return [...pre, implicitMetaBlock('flush_handlers', play), ...main, implicitMetaBlock('flush_handlers', play), ...post, implicitMetaBlock('flush_handlers', play)];
  }
  return [pre, main, post].map((section) => {
    const block = new Block({}, play, undefined, undefined, true);
    block.block = section.length > 0 ? section : implicitMetaBlock('noop', play).block;
    block.always = implicitMetaBlock('flush_handlers', play).block;
    return block;
  });
}

function normalizeHosts(data: Record<string, unknown>): string[] {
  const value = data.hosts;
  const pos = keyPositionOf(data, 'hosts') ?? positionOf(data);
  if (!('hosts' in data)) throw new ParserError("the field 'hosts' is required but was not set", positionOf(data));
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    throw new ParserError('Hosts list cannot be empty. Please check your playbook', pos);
  }
  if (Array.isArray(value)) {
    for (const entry of value) {
      if (entry === null) throw new ParserError("Hosts list cannot contain values of 'None'. Please check your playbook", pos);
      if (typeof entry !== 'string') throw new ParserError(`Hosts list contains an invalid host value: '${pyStr(entry)}'`, pos);
    }
    return value as string[];
  }
  if (typeof value !== 'string') throw new ParserError('Hosts list must be a sequence or string. Please check your playbook.', pos);
  return [value];
}

/** vars_files entries are file names, or lists of file names of which the first found is read. */
function checkVarsFiles(entries: readonly unknown[], data: Record<string, unknown>): void {
  for (const entry of entries) {
    for (const candidate of Array.isArray(entry) ? entry : [entry]) {
      if (typeof candidate !== 'string' && !Array.isArray(candidate)) {
        throw new TsplayError(
          `Invalid vars_files entry found: ${pyRepr(candidate)}\nvars_files entries should be either a string type or a list of string types after template expansion`,
          { pos: keyPositionOf(data, 'vars_files') ?? positionOf(data) },
        );
      }
    }
  }
}

export function loadPlay(
  data: unknown,
  file: string,
  basedir: string,
  options: LoadOptions,
  roleDefinitions: Map<string, RoleDefinition>,
): Play {
  if (!isMapping(data)) {
    throw new ParserError('A playbook must be a list of plays, got a ' + (Array.isArray(data) ? 'list' : typeof data) + ' instead', positionOf(data));
  }
  for (const key of Object.keys(data)) {
    if (!PLAY_KEYWORDS.has(key)) throw new ParserError(`'${key}' is not a valid attribute for a Play`, positionOf(data));
  }
  if ('user' in data && 'remote_user' in data) {
    throw new ParserError('both \'user\' and \'remote_user\' are set for this play. The use of \'user\' is deprecated, and should be removed', positionOf(data));
  }
  validateKeywordTypes(data, 'Play');
  const { tasks, pre_tasks: preTasks, post_tasks: postTasks, handlers, roles, user, ...rest } = data;
  const keywords: Record<string, unknown> = {
    ...rest,
    hosts: normalizeHosts(data),
    vars: normalizeVars(data, 'Play'),
  };
  if (user !== undefined) keywords.remote_user = user;
  if (keywords.vars_files !== undefined && keywords.vars_files !== null) {
    const vf = keywords.vars_files;
    keywords.vars_files = Array.isArray(vf) ? vf : [vf];
    checkVarsFiles(keywords.vars_files as unknown[], data);
  }

  const play = new Play(keywords, positionOf(data), basedir, file);
  const ctx = new PlayLoadContext(options, play, roleDefinitions);

  if (roles !== undefined && roles !== null && !Array.isArray(roles)) {
    throw new ParserError('A malformed role declaration was encountered.', keyPositionOf(data, 'roles'));
  }
  for (const entry of (roles as unknown[] | null | undefined) ?? []) {
    const request = roleRequestFromEntry(entry, play, undefined, positionOf(entry) ?? keyPositionOf(data, 'roles'));
    play.roles.push(loadRoleInstance(request, ctx));
  }

  const source = { file, role: undefined };
  const pre = loadBlocks(preTasks, play, source, ctx, { section: 'pre_tasks' });
  const main = loadBlocks(tasks, play, source, ctx, { section: 'tasks' });
  const post = loadBlocks(postTasks, play, source, ctx, { section: 'post_tasks' });
  const playHandlers = loadBlocks(handlers, play, { ...source, handlers: true }, ctx, { section: 'handlers' });

  const roleBlocks = play.roles.flatMap((role) => [...role.blocksWithDependencies()]);
  play.sections = { pre, main: [...roleBlocks, ...main], post };
  play.blocks = compilePlay(play, false);
  // Role handlers come before the play's own (imported roles' handlers were added while loading tasks).
  const roleHandlers = [...new Set(play.roles)].flatMap((role) => [...role.handlersWithDependencies()]);
  play.handlers = [...roleHandlers, ...play.handlers, ...playHandlers];
  return play;
}
