// The keywords each playbook object accepts, as Ansible 2.14 defines them. Anything else
// in a play, block or role entry is an error; in a task it is taken as the action.

const BASE = [
  'name', 'connection', 'port', 'remote_user', 'vars', 'module_defaults', 'environment', 'no_log',
  'run_once', 'ignore_errors', 'ignore_unreachable', 'check_mode', 'diff', 'any_errors_fatal',
  'throttle', 'timeout', 'debugger', 'become', 'become_method', 'become_user', 'become_flags',
  'become_exe', 'collections', 'tags',
] as const;

const CONDITIONAL = ['when'] as const;
const NOTIFIABLE = ['notify'] as const;
const DELEGATABLE = ['delegate_to', 'delegate_facts'] as const;

export const PLAY_KEYWORDS: ReadonlySet<string> = new Set([
  ...BASE,
  'hosts', 'gather_facts', 'gather_subset', 'gather_timeout', 'fact_path', 'vars_files', 'vars_prompt',
  'roles', 'handlers', 'pre_tasks', 'post_tasks', 'tasks', 'force_handlers', 'max_fail_percentage',
  'serial', 'strategy', 'order',
  // `user` is the old spelling of remote_user.
  'user',
]);

export const BLOCK_KEYWORDS: ReadonlySet<string> = new Set([
  ...BASE, ...CONDITIONAL, ...NOTIFIABLE, ...DELEGATABLE, 'block', 'rescue', 'always',
]);

export const TASK_KEYWORDS: ReadonlySet<string> = new Set([
  ...BASE, ...CONDITIONAL, ...NOTIFIABLE, ...DELEGATABLE,
  'args', 'action', 'local_action', 'async', 'changed_when', 'delay', 'failed_when', 'loop',
  'loop_control', 'poll', 'register', 'retries', 'until', 'static',
]);

export const HANDLER_KEYWORDS: ReadonlySet<string> = new Set([...TASK_KEYWORDS, 'listen']);

/** Keywords of a role entry in `roles:`; every other key is a role parameter. */
export const ROLE_ENTRY_KEYWORDS: ReadonlySet<string> = new Set([
  ...BASE, ...CONDITIONAL, ...DELEGATABLE, 'role',
]);

export const LOOP_CONTROL_KEYWORDS: ReadonlySet<string> = new Set([
  'loop_var', 'index_var', 'label', 'pause', 'extended', 'extended_allitems',
]);

/**
 * Keywords whose value a child inherits from its parent block, role and play when it
 * does not set its own. `when` and `tags` accumulate instead (see Task.conditionals/tags).
 */
export const INHERITED_KEYWORDS: ReadonlySet<string> = new Set([
  'connection', 'port', 'remote_user', 'no_log', 'run_once', 'ignore_errors', 'ignore_unreachable',
  'check_mode', 'diff', 'any_errors_fatal', 'throttle', 'timeout', 'become', 'become_method',
  'become_user', 'become_flags', 'become_exe', 'delegate_to', 'delegate_facts', 'module_defaults',
  'collections',
]);

/** Actions the executor implements itself rather than dispatching to a module. */
export const INCLUDE_TASKS_ACTIONS = new Set(['include_tasks', 'ansible.builtin.include_tasks', 'ansible.legacy.include_tasks', 'include', 'ansible.builtin.include']);
export const IMPORT_TASKS_ACTIONS = new Set(['import_tasks', 'ansible.builtin.import_tasks', 'ansible.legacy.import_tasks']);
export const INCLUDE_ROLE_ACTIONS = new Set(['include_role', 'ansible.builtin.include_role', 'ansible.legacy.include_role']);
export const IMPORT_ROLE_ACTIONS = new Set(['import_role', 'ansible.builtin.import_role', 'ansible.legacy.import_role']);
export const IMPORT_PLAYBOOK_ACTIONS = new Set(['import_playbook', 'ansible.builtin.import_playbook', 'ansible.legacy.import_playbook']);
export const META_ACTIONS = new Set(['meta', 'ansible.builtin.meta', 'ansible.legacy.meta']);
export const SET_FACT_ACTIONS = new Set(['set_fact', 'ansible.builtin.set_fact', 'ansible.legacy.set_fact']);
export const INCLUDE_VARS_ACTIONS = new Set(['include_vars', 'ansible.builtin.include_vars', 'ansible.legacy.include_vars']);
export const DEBUG_ACTIONS = new Set(['debug', 'ansible.builtin.debug', 'ansible.legacy.debug']);

/** Actions whose free text is kept whole as `_raw_params` instead of being split into k=v. */
export const FREE_FORM_ACTIONS = new Set([
  'command', 'shell', 'raw', 'script', 'win_command', 'win_shell',
  'ansible.builtin.command', 'ansible.builtin.shell', 'ansible.builtin.raw', 'ansible.builtin.script',
  'ansible.legacy.command', 'ansible.legacy.shell', 'ansible.legacy.raw', 'ansible.legacy.script',
]);

/** Actions that may take free text (`_raw_params`) besides the free-form ones. */
export const RAW_PARAM_ACTIONS = new Set([
  ...FREE_FORM_ACTIONS,
  ...INCLUDE_TASKS_ACTIONS, ...IMPORT_TASKS_ACTIONS, ...INCLUDE_VARS_ACTIONS, ...META_ACTIONS,
  'set_fact', 'ansible.builtin.set_fact', 'ansible.legacy.set_fact', 'add_host', 'ansible.builtin.add_host',
  'ansible.legacy.add_host', 'group_by', 'ansible.builtin.group_by', 'ansible.legacy.group_by',
  'import_playbook', 'ansible.builtin.import_playbook',
]);

/** add_host and group_by: their loop items are reported after the inventory changed. */
export const INVENTORY_ACTIONS = new Set(['add_host', 'group_by'].flatMap((n) => [n, `ansible.builtin.${n}`, `ansible.legacy.${n}`]));
