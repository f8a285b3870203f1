// Checks a loaded playbook before any host is touched: every action resolves to a
// module tsplay implements, meta actions exist, and literal module arguments are ones
// the module accepts. The first problem is reported with its file:line:column.
import { ParserError, TsplayError } from '../errors.js';
import { isKnownAnsibleModule } from '../modules/known-ansible-modules.js';
import type { ModuleDefinition } from '../modules/module.js';
import { findModule } from '../modules/registry.js';
import { checkLiteralArgs } from '../modules/arguments.js';
import { Block, type BlockItem } from './block.js';
import {
  IMPORT_ROLE_ACTIONS,
  IMPORT_TASKS_ACTIONS,
  INCLUDE_ROLE_ACTIONS,
  INCLUDE_TASKS_ACTIONS,
  META_ACTIONS,
} from './keywords.js';
import type { Play } from './play.js';
import { findDirectoryInSearchPath, findInSearchPath, taskSearchPath } from './search-path.js';
import { ALL_TAGS, shouldRunTags, type TagFilter } from './tags.js';
import type { Task } from './task.js';

const META = new Set([
  'noop', 'flush_handlers', 'refresh_inventory', 'clear_facts', 'clear_host_errors', 'end_play', 'end_host',
  'end_batch', 'reset_connection', 'role_complete',
]);

function* tasksOf(items: readonly BlockItem[]): Generator<Task> {
  for (const item of items) {
    if (item.kind === 'block') yield* tasksOfBlock(item);
    else yield item;
  }
}

function* tasksOfBlock(block: Block): Generator<Task> {
  yield* tasksOf(block.block);
  yield* tasksOf(block.rescue);
  yield* tasksOf(block.always);
}

function validateTask(task: Task, playbookDir: string): void {
  const action = task.action;
  if (INCLUDE_TASKS_ACTIONS.has(action) || INCLUDE_ROLE_ACTIONS.has(action) || IMPORT_TASKS_ACTIONS.has(action) || IMPORT_ROLE_ACTIONS.has(action)) {
    return;
  }
  if (META_ACTIONS.has(action)) {
    const raw = task.args._raw_params;
    if (typeof raw === 'string' && !raw.includes('{{') && !META.has(raw.trim())) {
      throw new TsplayError(`invalid meta action requested: ${raw}`, { pos: task.pos });
    }
    return;
  }
  const definition: ModuleDefinition | undefined = findModule(action);
  if (!definition) {
    if (isKnownAnsibleModule(action)) {
      throw new TsplayError(
        `module ${action} is not available: Ansible knows this module but tsplay does not implement it, so the task cannot run.`,
        { pos: task.pos },
      );
    }
    throw new ParserError(
      `couldn't resolve module/action '${action}'. This often indicates a misspelling, missing collection, or incorrect module path.`,
      task.pos,
    );
  }
  if ('_variable_params' in task.args) return;
  const problem = checkLiteralArgs(definition, task.args, action);
  if (problem) throw new TsplayError(problem, { pos: task.pos });
  checkSourceFile(task, definition, playbookDir);
}

/** Modules that read a controller-side file named by `src` (unless remote_src), and where they look. */
const CONTROLLER_SOURCES: Record<string, string> = {
  'ansible.builtin.copy': 'files',
  'ansible.builtin.template': 'templates',
  'ansible.builtin.unarchive': 'files',
  'ansible.builtin.script': 'files',
};

/**
 * A task whose failure the playbook plans for (ignore_errors, failed_when, a `when`, a block
 * with rescue) may legitimately name a file that is not there: leave it to run time.
 */
function mayFailOnPurpose(task: Task): boolean {
  if (task.inherited('ignore_errors') !== undefined || task.keywords.failed_when !== undefined) return true;
  if (task.conditionals().length > 0) return true;
  for (let node = task.parent; node; node = node.parent) {
    if (node instanceof Block && node.rescue.length > 0) return true;
  }
  return false;
}

/** A literal controller file that does not exist fails before the run, not on every host. */
function checkSourceFile(task: Task, definition: ModuleDefinition, playbookDir: string): void {
  const kind = CONTROLLER_SOURCES[definition.name];
  if (!kind || mayFailOnPurpose(task)) return;
  const remote = task.args.remote_src;
  if (remote === true || remote === 'yes' || remote === 'true' || remote === 'True') return;
  let src = task.args.src;
  if (definition.name === 'ansible.builtin.script' && src === undefined) {
    const raw = task.args._raw_params ?? task.args.cmd;
    src = typeof raw === 'string' ? raw.trim().split(/\s+/)[0] : undefined;
  }
  // Only relative names: they resolve inside the role and playbook folders, which no task
  // creates at run time; an absolute path may well be written by an earlier task.
  if (typeof src !== 'string' || src === '' || src.startsWith('/') || src.startsWith('~') || src.includes('{{') || src.includes('{%')) return;
  if (definition.name === 'ansible.builtin.copy' && src.endsWith('/')) return;
  const searchPath = taskSearchPath(task, playbookDir);
  if (findInSearchPath(searchPath, kind, src) || findDirectoryInSearchPath(searchPath, kind, src)) return;
  throw new TsplayError(`Could not find or access '${src}' on the Ansible Controller.`, { pos: task.pos });
}

/**
 * Validate every task, handler and role task of the plays that the tag selection keeps
 * (a task `--tags` leaves out cannot run, so it cannot fail the run either).
 */
export function validatePlays(plays: readonly Play[], tags: TagFilter = ALL_TAGS): void {
  for (const play of plays) {
    for (const block of [...play.blocks, ...play.handlers]) {
      for (const task of tasksOfBlock(block)) {
        if (task.implicit || task.isHandler || shouldRunTags(task.tags(), tags)) validateTask(task, play.basedir);
      }
    }
  }
}
