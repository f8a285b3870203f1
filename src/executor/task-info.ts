// The callbacks' view of a task (TaskInfo), with its name templated as the banner shows it.
import type { TaskInfo } from '../output/events.js';
import { INCLUDE_ROLE_ACTIONS, INCLUDE_TASKS_ACTIONS } from '../playbook/keywords.js';
import type { Task } from '../playbook/task.js';
import type { Templar } from '../template/templar.js';
import type { VarScope } from '../vars/scope.js';

export function taskInfo(task: Task, templar: Templar, scope: VarScope | undefined, checkMode: boolean): TaskInfo {
  let name = typeof task.keywords.name === 'string' ? task.keywords.name : '';
  if (name && scope && templar.isTemplate(name)) {
    try {
      name = String(templar.template(name, scope, { failOnUndefined: false, convertData: false }));
    } catch {
      // Ansible shows the raw name when it cannot be templated.
    }
  }
  const delegate = task.inherited('delegate_to');
  const noLog = task.inherited('no_log');
  return {
    id: task.id,
    name: task.displayName(name),
    action: task.action,
    hasLoop: task.loop !== undefined,
    checkMode,
    noLog: noLog === true,
    path: task.pos ? `${task.pos.file}:${task.pos.line}` : undefined,
    delegateTo: typeof delegate === 'string' ? delegate : undefined,
    ignoreUnreachable: task.inherited('ignore_unreachable') === true,
    isHandler: task.isHandler,
    isInclude: INCLUDE_TASKS_ACTIONS.has(task.action) || INCLUDE_ROLE_ACTIONS.has(task.action),
  };
}
