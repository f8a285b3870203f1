// Dynamic includes: include_tasks and include_role results become blocks spliced into
// the hosts' task lists. Hosts that included the same file with the same arguments and
// loop item share one set of blocks (and so run them in lockstep).
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { TsplayError } from '../errors.js';
import { IncludedBlock, type Block } from '../playbook/block.js';
import { isFile, loadDataFile } from '../playbook/loader/files.js';
import { PlayLoadContext, type LoadOptions } from '../playbook/loader/load-context.js';
import { IncludeDepthError } from '../playbook/loader/recursion.js';
import { loadRoleInstance } from '../playbook/loader/role-loader.js';
import { loadTaskList } from '../playbook/loader/task-loader.js';
import type { Play } from '../playbook/play.js';
import { RoleEntry, type RoleDefinition, type RoleInstance } from '../playbook/role.js';
import type { Task } from '../playbook/task.js';
import { INCLUDE_ROLE_ACTIONS } from '../playbook/keywords.js';
import type { Result } from './task-result.js';

export interface IncludeRequest {
  host: string;
  task: Task;
  /** One include_tasks/include_role result (a loop gives one per item). */
  result: Result;
}

export interface IncludedFile {
  /** Absolute path of the tasks file, or the role name. */
  name: string;
  isRole: boolean;
  task: Task;
  args: Record<string, unknown>;
  /** Loop variables of the item that included it (visible to the included tasks). */
  itemVars: Record<string, unknown>;
  hosts: string[];
  blocks?: Block[];
  role?: RoleInstance;
  error?: TsplayError;
}

const LOOP_KEYS = ['_ansible_item_label', 'ansible_loop'];

function itemVarsOf(result: Result): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  const loopVar = typeof result.ansible_loop_var === 'string' ? result.ansible_loop_var : 'item';
  if (loopVar in result) vars[loopVar] = result[loopVar];
  const indexVar = result.ansible_index_var;
  if (typeof indexVar === 'string' && indexVar in result) vars[indexVar] = result[indexVar];
  for (const key of LOOP_KEYS) if (key in result) vars[key] = result[key];
  return vars;
}

/** include_tasks outside a role is relative to the playbook; in a role, to its tasks/ folder. */
function resolveIncludePath(task: Task, name: string, play: Play): string {
  if (isAbsolute(name)) return name;
  const candidates: string[] = [];
  if (task.role) candidates.push(join(task.role.path, 'tasks', name), join(task.role.path, name));
  // Nested includes: relative to the including file's directory.
  for (let node = task.parent; node; node = node.parent) {
    if (node instanceof IncludedBlock && !node.file.startsWith('role:')) candidates.push(join(dirname(node.file), name));
  }
  candidates.push(join(play.basedir, name));
  if (task.pos) candidates.push(join(dirname(task.pos.file), name));
  return resolve(candidates.find(isFile) ?? candidates[0]!);
}

/** Group the include results of one task run across hosts into included files. */
export function collectIncludes(requests: IncludeRequest[], play: Play): IncludedFile[] {
  const files: IncludedFile[] = [];
  for (const { host, task, result } of requests) {
    const results = task.loop ? ((result.results as Result[] | undefined) ?? []) : [result];
    for (const include of results) {
      if (include.skipped === true || include.failed === true) continue;
      const args = { ...((include.include_args as Record<string, unknown> | undefined) ?? {}) };
      const itemVars = itemVarsOf(include);
      const isRole = INCLUDE_ROLE_ACTIONS.has(task.action);
      const name = isRole ? String(args.name ?? args.role ?? '') : resolveIncludePath(task, String(include.include), play);
      const key = JSON.stringify([name, args, itemVars]);
      const existing = files.find((f) => f.task === task && JSON.stringify([f.name, f.args, f.itemVars]) === key);
      if (existing) existing.hosts.push(host);
      else files.push({ name, isRole, task, args, itemVars, hosts: [host] });
    }
  }
  return files;
}

/** Load the blocks of an included file (once for all its hosts). */
export function loadIncluded(
  file: IncludedFile,
  play: Play,
  options: LoadOptions,
  roleDefinitions: Map<string, RoleDefinition>,
): void {
  const { task } = file;
  const ctx = new PlayLoadContext(options, play, roleDefinitions);
  const vars = (task.keywords.vars as Record<string, unknown> | undefined) ?? {};
  const apply = (file.args.apply as Record<string, unknown> | undefined) ?? {};
  try {
    if (!file.isRole) {
      if (!isFile(file.name)) throw new TsplayError(`Could not find or access '${file.name}' on the Ansible Controller.`);
      const holder = new IncludedBlock(apply, task.parent, task.pos, task.role, { ...vars, ...file.itemVars }, file.name);
      holder.block = loadTaskList(loadDataFile(file.name), holder, { file: file.name, role: task.role, handlers: task.isHandler }, ctx);
      file.blocks = [holder];
      return;
    }
    const { name, tasks_from: tasksFrom, vars_from: varsFrom, defaults_from: defaultsFrom, handlers_from: handlersFrom, public: isPublic, allow_duplicates: allowDuplicates } = file.args;
    const holder = new IncludedBlock(apply, task.parent, task.pos, task.role, { ...vars, ...file.itemVars }, `role:${String(name)}`);
    const entry = new RoleEntry({}, holder, task.pos, task.role);
    const role = loadRoleInstance(
      {
        name: String(name),
        params: {},
        entry,
        fromInclude: true,
        isPublic: isPublic === true || isPublic === 'yes' || isPublic === 'true',
        tasksFrom: tasksFrom as string | undefined,
        varsFrom: varsFrom as string | undefined,
        defaultsFrom: defaultsFrom as string | undefined,
        handlersFrom: handlersFrom as string | undefined,
        allowDuplicates: allowDuplicates === undefined ? undefined : Boolean(allowDuplicates),
        pos: task.pos,
        roleBasedir: task.role ? dirname(task.role.path) : undefined,
      },
      ctx,
    );
    holder.block = [...role.blocksWithDependencies()];
    file.role = role;
    file.blocks = [holder];
  } catch (error) {
    // A file that cannot be loaded fails the hosts that include it; includes without end stop the run.
    if (error instanceof TsplayError && !(error instanceof IncludeDepthError)) file.error = error;
    else throw error;
  }
}
