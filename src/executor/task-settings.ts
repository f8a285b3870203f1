// A task's keywords as they apply to one host: inherited from blocks, roles and the
// play, templated with the host's variables, and overridden by connection variables
// (ansible_become_user beats become_user, ansible_user beats remote_user), as Ansible's
// play context does.
import type { BecomeOptions } from '../connection/connection.js';
import { TsplayError } from '../errors.js';
import { toBoolean } from '../parsing/boolean.js';
import type { Task } from '../playbook/task.js';
import type { Templar } from '../template/templar.js';
import type { VarScope } from '../vars/scope.js';
import type { ExecutionOptions } from './run-context.js';

export interface TaskSettings {
  checkMode: boolean;
  diff: boolean;
  noLog: boolean;
  ignoreErrors: boolean;
  ignoreUnreachable: boolean;
  runOnce: boolean;
  anyErrorsFatal: boolean;
  delegateTo: string | undefined;
  delegateFacts: boolean;
  /** Privilege escalation, undefined when become is off. */
  become: BecomeOptions | undefined;
  remoteUser: string | undefined;
  connection: string;
  environment: Record<string, string>;
  /** Task timeout in seconds (0: none). */
  timeout: number;
  throttle: number;
}

export class TaskKeywords {
  constructor(
    private readonly task: Task,
    private readonly scope: VarScope,
    private readonly templar: Templar,
  ) {}

  /** The keyword's value after inheritance and templating. */
  value(keyword: string): unknown {
    const raw = this.task.inherited(keyword);
    return typeof raw === 'string' && this.templar.isTemplate(raw) ? this.templar.template(raw, this.scope) : raw;
  }

  bool(keyword: string, fallback: boolean): boolean {
    const value = this.value(keyword);
    if (value === undefined || value === null) return fallback;
    try {
      return toBoolean(value);
    } catch {
      throw new TsplayError(`The field '${keyword}' has an invalid value, which includes an undefined variable or is not a boolean: ${String(value)}`, { pos: this.task.pos });
    }
  }

  string(keyword: string): string | undefined {
    const value = this.value(keyword);
    return value === undefined || value === null ? undefined : String(value);
  }

  /** A connection variable of the host (ansible_become_user...), templated; the first name set wins. */
  variable(...names: string[]): unknown {
    for (const name of names) {
      if (this.scope.has(name)) {
        const raw = this.scope.get(name);
        return typeof raw === 'string' && this.templar.isTemplate(raw) ? this.templar.template(raw, this.scope) : raw;
      }
    }
    return undefined;
  }
}

function environmentOf(task: Task, scope: VarScope, templar: Templar): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of task.accumulated('environment')) {
    const value = typeof entry === 'string' ? templar.template(entry, scope) : templar.templateData(entry, scope);
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new TsplayError(`environment must be a dictionary, received ${String(value)} (${Array.isArray(value) ? 'list' : typeof value})`, { pos: task.pos });
    }
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) env[key] = v === true ? 'True' : v === false ? 'False' : String(v);
  }
  return env;
}

export function resolveTaskSettings(task: Task, scope: VarScope, templar: Templar, options: ExecutionOptions): TaskSettings {
  const k = new TaskKeywords(task, scope, templar);
  const asBool = (value: unknown, fallback: boolean) => (value === undefined || value === null ? fallback : toBoolean(value));

  const becomeOn = asBool(k.variable('ansible_become'), k.bool('become', options.become));
  let become: BecomeOptions | undefined;
  if (becomeOn) {
    const password = k.variable('ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass', 'ansible_sudo_password');
    become = {
      method: String(k.variable('ansible_become_method') ?? k.string('become_method') ?? options.becomeMethod),
      user: String(k.variable('ansible_become_user') ?? k.string('become_user') ?? options.becomeUser),
      password: password === undefined || password === null ? options.becomePassword : String(password),
      flags: (k.variable('ansible_become_flags') ?? k.string('become_flags')) as string | undefined,
      exe: (k.variable('ansible_become_exe') ?? k.string('become_exe')) as string | undefined,
    };
  }
  const delegate = k.string('delegate_to');
  return {
    checkMode: k.bool('check_mode', options.checkMode),
    diff: k.bool('diff', options.diffMode),
    noLog: k.bool('no_log', false),
    ignoreErrors: k.bool('ignore_errors', false),
    ignoreUnreachable: k.bool('ignore_unreachable', false),
    runOnce: k.bool('run_once', false),
    anyErrorsFatal: k.bool('any_errors_fatal', options.anyErrorsFatal),
    delegateTo: delegate === '' ? undefined : delegate,
    delegateFacts: k.bool('delegate_facts', false),
    become,
    remoteUser: (k.variable('ansible_user', 'ansible_ssh_user') ?? k.string('remote_user') ?? options.remoteUser) as string | undefined,
    connection: String(k.variable('ansible_connection') ?? k.string('connection') ?? options.connection ?? 'smart'),
    environment: environmentOf(task, scope, templar),
    timeout: Number(k.value('timeout') ?? 0) || 0,
    throttle: Number(k.value('throttle') ?? 0) || 0,
  };
}
