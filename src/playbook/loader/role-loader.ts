// Finds roles on the roles path, reads their directories once, and builds the role
// instances a play uses (dependencies first, deduplicated by name and parameters).
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { ParserError, TsplayError, type SourcePosition } from '../../errors.js';
import { pyStr } from '../../template/runtime/repr.js';
import { positionOf } from '../../yaml/positions.js';
import { Block } from '../block.js';
import { ROLE_ENTRY_KEYWORDS } from '../keywords.js';
import type { PlaybookNode } from '../node.js';
import { RoleEntry, RoleInstance, type RoleDefinition, type RoleMeta } from '../role.js';
import { Task } from '../task.js';
import { findRoleFile, isDirectory, loadDataFile } from './files.js';
import type { PlayLoadContext } from './load-context.js';
import { templateWhileLoading } from './load-template.js';
import { loadingTaskFile, ROLE_RECURSION_MESSAGE } from './recursion.js';
import { loadBlocks } from './task-loader.js';

export interface RoleRequest {
  name: string;
  params: Record<string, unknown>;
  entry: RoleEntry;
  fromInclude: boolean;
  isPublic: boolean;
  tasksFrom?: string | undefined;
  varsFrom?: string | undefined;
  defaultsFrom?: string | undefined;
  handlersFrom?: string | undefined;
  allowDuplicates?: boolean | undefined;
  pos: SourcePosition | undefined;
  /** Directory holding the role that asks for this one (dependencies, nested imports). */
  roleBasedir?: string | undefined;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where a role name resolves: <playbook>/roles, roles_path, the requesting role's dir, the playbook dir, then as a path. */
export function resolveRolePath(name: string, ctx: PlayLoadContext, roleBasedir?: string): { name: string; path: string } {
  const searchPaths = [join(ctx.basedir, 'roles'), ...ctx.options.rolesPath, ...(roleBasedir ? [roleBasedir] : []), ctx.basedir];
  for (const dir of searchPaths) {
    const candidate = resolve(dir, name);
    if (isDirectory(candidate)) return { name, path: candidate };
  }
  const asPath = resolve(ctx.basedir, name);
  if ((isAbsolute(name) || name.includes('/')) && isDirectory(asPath)) return { name: basename(asPath), path: asPath };
  throw new TsplayError(`the role '${name}' was not found in ${searchPaths.join(':')}`);
}

function readMeta(path: string): RoleMeta {
  const file = findRoleFile(path, 'meta', 'main');
  if (!file) return { dependencies: [], allowDuplicates: false };
  const data = loadDataFile(file);
  if (data === null || data === undefined) return { dependencies: [], allowDuplicates: false };
  if (!isMapping(data)) throw new ParserError('the role meta data should be a dictionary', positionOf(data));
  const deps = data.dependencies ?? [];
  if (!Array.isArray(deps)) throw new ParserError('Expected role dependencies to be a list.', positionOf(data));
  // Dependencies given by name have no position of their own: errors point at their list.
  return { dependencies: deps, allowDuplicates: data.allow_duplicates === true, pos: positionOf(deps) ?? positionOf(data) };
}

function roleDefinition(name: string, path: string, ctx: PlayLoadContext): RoleDefinition {
  let definition = ctx.roleDefinitions.get(path);
  if (!definition) {
    definition = { name, path, meta: readMeta(path) };
    ctx.roleDefinitions.set(path, definition);
  }
  return definition;
}

function readVarsFile(rolePath: string, folder: string, name: string, required: boolean, pos: SourcePosition | undefined): Record<string, unknown> {
  const file = findRoleFile(rolePath, folder, name);
  if (!file) {
    if (required) throw new TsplayError(`Could not find specified file in role: ${folder}/${name}`, { pos });
    return {};
  }
  const data = loadDataFile(file);
  if (data === null || data === undefined) return {};
  if (!isMapping(data)) {
    throw new ParserError(`The vars file ${file} should contain a dictionary of variables.`, positionOf(data));
  }
  return data;
}

/** Parse a role entry of `roles:` or of a role's dependencies into a request. */
export function roleRequestFromEntry(
  entry: unknown,
  parent: PlaybookNode,
  roleBasedir: string | undefined,
  pos: SourcePosition | undefined,
): RoleRequest {
  if (typeof entry === 'string') {
    return { name: entry, params: {}, entry: new RoleEntry({}, parent, pos, undefined), fromInclude: false, isPublic: true, pos, roleBasedir };
  }
  if (!isMapping(entry)) throw new ParserError(`Invalid role definition: ${pyStr(entry)}`, positionOf(entry) ?? pos);
  const entryPos = positionOf(entry) ?? pos;
  const name = entry.role ?? entry.name;
  if (typeof name !== 'string' || !name) throw new TsplayError('role definitions must contain a role name', { pos: entryPos });
  const keywords: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'role' || key === 'name') continue;
    if (key === 'vars' && isMapping(value)) Object.assign(params, value);
    else if (ROLE_ENTRY_KEYWORDS.has(key)) keywords[key] = value;
    else params[key] = value;
  }
  return {
    name,
    params,
    entry: new RoleEntry(keywords, parent, entryPos, undefined),
    fromInclude: false,
    isPublic: true,
    pos: entryPos,
    roleBasedir,
  };
}

/** Build (or reuse) the role instance for a request, loading its dependencies, tasks and handlers. */
export function loadRoleInstance(request: RoleRequest, ctx: PlayLoadContext): RoleInstance {
  const name = templateWhileLoading(ctx.options, request.name, request.pos);
  let resolved;
  try {
    resolved = resolveRolePath(name, ctx, request.roleBasedir);
  } catch (error) {
    if (error instanceof TsplayError) throw new TsplayError(error.message, { pos: request.pos });
    throw error;
  }
  const definition = roleDefinition(resolved.name, resolved.path, ctx);
  const identity = JSON.stringify([
    definition.path,
    request.params,
    request.tasksFrom,
    request.varsFrom,
    request.defaultsFrom,
    request.handlersFrom,
  ]);
  if (!request.fromInclude) {
    const existing = ctx.roleInstances.get(identity);
    if (existing) return existing;
  }
  const role = new RoleInstance(definition, request.params, request.entry, request.fromInclude, request.isPublic);
  if (!request.fromInclude) ctx.roleInstances.set(identity, role);
  if (request.allowDuplicates !== undefined) role.allowDuplicatesOverride = request.allowDuplicates;

  role.defaults = readVarsFile(definition.path, 'defaults', request.defaultsFrom ?? 'main', request.defaultsFrom !== undefined, request.pos);
  role.vars = readVarsFile(definition.path, 'vars', request.varsFrom ?? 'main', request.varsFrom !== undefined, request.pos);

  ctx.rolesLoading.add(role);
  try {
    for (const dep of definition.meta.dependencies) {
      const depRequest = roleRequestFromEntry(dep, role.entry, dirname(definition.path), definition.meta.pos);
      const dependency = loadRoleInstance(depRequest, ctx);
      // The same instance, still loading its own dependencies: the roles depend on each other.
      if (ctx.rolesLoading.has(dependency)) throw new TsplayError(ROLE_RECURSION_MESSAGE, { pos: depRequest.pos });
      role.dependencies.push(dependency);
    }
  } finally {
    ctx.rolesLoading.delete(role);
  }

  const tasksName = request.tasksFrom ?? 'main';
  const tasksFile = findRoleFile(definition.path, 'tasks', tasksName);
  if (!tasksFile && request.tasksFrom !== undefined) {
    throw new TsplayError(`Could not find specified file in role: tasks/${tasksName}`, { pos: request.pos });
  }
  if (tasksFile) {
    const origin = { section: 'role-file', role: definition.name, file: `tasks/${basename(tasksFile)}` } as const;
    role.blocks = loadingTaskFile(ctx, tasksFile, request.pos, () => loadBlocks(loadDataFile(tasksFile), role.entry, { file: tasksFile, role }, ctx, origin), true);
  }
  // The iterator marks the role as run on a host when it reaches this task.
  const done = new Block({}, role.entry, request.pos, role, true);
  done.block = [new Task({}, done, request.pos, role, 'meta', { _raw_params: 'role_complete' }, undefined, false, undefined, true)];
  role.blocks.push(done);

  const handlersFile = findRoleFile(definition.path, 'handlers', request.handlersFrom ?? 'main');
  if (handlersFile) {
    role.handlerBlocks = loadingTaskFile(
      ctx,
      handlersFile,
      request.pos,
      () =>
        loadBlocks(loadDataFile(handlersFile), role.entry, { file: handlersFile, role, handlers: true }, ctx, {
          section: 'role-file',
          role: definition.name,
          file: `handlers/${basename(handlersFile)}`,
        }),
      true,
    );
  }
  return role;
}
