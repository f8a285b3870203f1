// Builds a Play from its YAML mapping: keywords, roles, the task sections compiled into
// one block list (with the implicit handler flushes between sections), and handlers.
import { ParserError } from '../../errors.js';
import { keyPositionOf, positionOf } from '../../yaml/positions.js';
import { Block } from '../block.js';
import { PLAY_KEYWORDS } from '../keywords.js';
import { Play } from '../play.js';
import type { RoleDefinition } from '../role.js';
import { Task } from '../task.js';
import { PlayLoadContext, type LoadOptions } from './load-context.js';
import { loadRoleInstance, roleRequestFromEntry } from './role-loader.js';
import { loadBlocks, validateKeywordTypes } from './task-loader.js';

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

function normalizeVars(value: unknown, data: Record<string, unknown>): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (isMapping(value)) return value;
  if (Array.isArray(value) && value.every(isMapping)) return Object.assign({}, ...value) as Record<string, unknown>;
  throw new ParserError(
    `Vars in a Play must be specified as a dictionary, or a list of dictionaries`,
    keyPositionOf(data, 'vars') ?? positionOf(data),
  );
}

function normalizeHosts(value: unknown, data: Record<string, unknown>): string[] {
  if (value === undefined || value === null || value === '') {
    throw new ParserError("the field 'hosts' is required but was not set", positionOf(data));
  }
  if (Array.isArray(value)) {
    if (value.some((h) => h === null || typeof h === 'object')) {
      throw new ParserError('Hosts list cannot contain values of None or empty', positionOf(data));
    }
    return value.map(String);
  }
  if (typeof value === 'object') throw new ParserError('Hosts list must be a sequence or string. Please check your playbook.', positionOf(data));
  return [String(value)];
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
  validateKeywordTypes(data);
  const { tasks, pre_tasks: preTasks, post_tasks: postTasks, handlers, roles, user, ...rest } = data;
  const keywords: Record<string, unknown> = {
    ...rest,
    hosts: normalizeHosts(data.hosts, data),
    vars: normalizeVars(data.vars, data),
  };
  if (user !== undefined) keywords.remote_user = user;
  if (keywords.vars_files !== undefined && keywords.vars_files !== null) {
    const vf = keywords.vars_files;
    keywords.vars_files = Array.isArray(vf) ? vf : [vf];
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
  const pre = loadBlocks(preTasks, play, source, ctx);
  const main = loadBlocks(tasks, play, source, ctx);
  const post = loadBlocks(postTasks, play, source, ctx);
  const playHandlers = loadBlocks(handlers, play, { ...source, handlers: true }, ctx);

  const roleBlocks = play.roles.flatMap((role) => [...role.blocksWithDependencies()]);
  play.sections = { pre, main: [...roleBlocks, ...main], post };
  play.blocks = compilePlay(play, false);
  // Role handlers come before the play's own (imported roles' handlers were added while loading tasks).
  const roleHandlers = [...new Set(play.roles)].flatMap((role) => [...role.handlersWithDependencies()]);
  play.handlers = [...roleHandlers, ...play.handlers, ...playHandlers];
  return play;
}
