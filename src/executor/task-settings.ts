// A task's keywords as they apply to one host: inherited from blocks, roles and the
// play, templated with the host's variables, converted to their types, and overridden
// by connection variables (ansible_become_user beats become_user, ansible_user beats
// remote_user), as Ansible's play context does.
//
// Ansible converts in two steps, both only once `when` let the task run: the play
// context (connection, remote_user, no_log, check_mode, diff, become...), whose errors
// carry no position and repeat their cause, then the task's own fields (port,
// environment, ignore_errors, timeout, retries...), whose errors point at the task;
// includes skip the second step. Each step stops at its first error, and a field it did
// not convert is used afterwards as written, for its truth value: `ignore_errors: {a: 1}`
// ignores the failure it causes, `no_log: abc` hides it.
import type { BecomeOptions } from '../connection/connection.js';
import { TsplayError } from '../errors.js';
import { toBoolean } from '../parsing/boolean.js';
import {
  booleanProblem,
  conversionMessage,
  integerProblem,
  pythonTruthy,
  toInteger,
  undefinedFieldMessage,
} from '../playbook/field-conversion.js';
import type { Task } from '../playbook/task.js';
import { pyStr } from '../template/runtime/repr.js';
import { TemplateError, type Templar } from '../template/templar.js';
import type { VarScope } from '../vars/scope.js';
import { UnsafeText, VaultText } from '../yaml/tagged.js';
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
  /** until's retries; null when set to null (Ansible then makes 3 attempts, not 4). */
  retries: number | null;
  /** Seconds between until attempts. */
  delay: number;
  /** async: seconds the job may run (0: not async). */
  asyncSeconds: number;
  /** poll: seconds between async status checks. */
  poll: number;
  /** A play context field that did not convert: the task fails with it once `when` passes. */
  contextError: TsplayError | undefined;
  /** A task field that did not convert: the task (not an include) fails with it. */
  fieldError: TsplayError | undefined;
  /** Warnings of the task field conversion, shown when the task (not an include) runs. */
  warnings: string[];
}

const FACT_GATHERING_ACTIONS = new Set(['setup', 'gather_facts'].flatMap((n) => [n, `ansible.builtin.${n}`, `ansible.legacy.${n}`]));

/** str() of a value; vaulted and unsafe text is text. */
function text(value: unknown): string {
  return value instanceof VaultText || value instanceof UnsafeText ? value.toString() : pyStr(value);
}

/** Ansible's default poll interval (DEFAULT_POLL_INTERVAL). */
const DEFAULT_POLL = 15;

type Step = 'context' | 'task';

/** Converts keywords one after the other, as Ansible's post_validate; stops converting at the first error. */
class FieldConverter {
  error: TsplayError | undefined;

  constructor(
    private readonly step: Step,
    private readonly task: Task,
    private readonly scope: VarScope,
    private readonly templar: Templar,
  ) {}

  /** The templated value of `raw`; undefined (with `error` set) when templating fails. */
  private templated(field: string, raw: unknown): { value: unknown } | undefined {
    try {
      return { value: typeof raw === 'string' && this.templar.isTemplate(raw) ? this.templar.template(raw, this.scope) : raw };
    } catch (error) {
      this.templateFailed(field, error);
      return undefined;
    }
  }

  /** An undefined variable names the field; other template errors stand as they are. */
  templateFailed(field: string, error: unknown): void {
    if (!(error instanceof TemplateError)) throw error;
    this.error = error.isUndefinedVariable ? this.failure(undefinedFieldMessage(field, error.message), error.message) : new TsplayError(error.message);
  }

  /** The error for `message`: a play context error repeats its cause, a task field error points at the task. */
  failure(message: string, cause: string): TsplayError {
    return this.step === 'context' ? new TsplayError(`${message}. ${cause}`) : new TsplayError(message, { pos: this.task.pos });
  }

  /** A bool field; `fallback` when unset, the raw value's truth when it could not be converted. */
  bool(field: string, raw: unknown, fallback: boolean): boolean {
    if (raw === undefined || raw === null) return fallback;
    if (this.error) return pythonTruthy(raw);
    const templated = this.templated(field, raw);
    if (!templated) return pythonTruthy(raw);
    const { value } = templated;
    if (value === undefined || value === null) return fallback;
    const problem = booleanProblem(value);
    if (problem === undefined) return toBoolean(value);
    this.error = this.failure(conversionMessage(field, raw, 'bool', problem), problem);
    return pythonTruthy(raw);
  }

  /** An int field (Python's int()); `fallback` when unset or not converted. */
  int(field: string, raw: unknown, fallback: number): number {
    if (raw === undefined || raw === null || this.error) return fallback;
    const templated = this.templated(field, raw);
    if (!templated || templated.value === undefined || templated.value === null) return fallback;
    const problem = integerProblem(templated.value);
    if (problem === undefined) return toInteger(templated.value);
    this.error = this.failure(conversionMessage(field, raw, 'int', problem), problem);
    return fallback;
  }

  /** A string field (str() of the templated value); the raw text when it could not be templated. */
  string(field: string, raw: unknown): string | undefined {
    if (raw === undefined || raw === null) return undefined;
    if (this.error) return text(raw);
    const templated = this.templated(field, raw);
    if (!templated) return text(raw);
    return templated.value === undefined || templated.value === null ? undefined : text(templated.value);
  }

  /**
   * environment: each entry a mapping, or a template that gives one; any other entry is
   * skipped with a warning naming the whole list. A value that needs the target's
   * environment facts (ansible_env) before they are gathered is left out.
   */
  environment(entries: unknown[], warnings: string[]): Record<string, string> {
    const env: Record<string, string> = {};
    if (entries.length === 0 || this.error) return env;
    const set = (key: string, value: unknown) => {
      env[key] = text(value);
    };
    for (const entry of entries) {
      if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
        for (const [key, raw] of Object.entries(entry as Record<string, unknown>)) {
          try {
            set(key, this.templar.templateData(raw, this.scope));
          } catch (error) {
            if (error instanceof TemplateError && error.isUndefinedVariable && needsEnvFacts(error.message, this.task)) continue;
            this.templateFailed('environment', error);
            return env;
          }
        }
        continue;
      }
      const templated = this.templated('environment', entry);
      if (!templated) return env;
      const value = templated.value;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [key, v] of Object.entries(value as Record<string, unknown>)) set(key, v);
      } else {
        warnings.push(`could not parse environment value, skipping: ${pyStr(entries)}`);
      }
    }
    return env;
  }
}

/** Undefined environment facts are no error: fact gathering is what sets them. */
function needsEnvFacts(message: string, task: Task): boolean {
  return message.includes('ansible_env') || (FACT_GATHERING_ACTIONS.has(task.action) && message.includes('ansible_facts.env'));
}

/** A connection variable of the host (ansible_become_user...), raw; the first name set wins. */
function variable(scope: VarScope, ...names: string[]): unknown {
  for (const name of names) if (scope.has(name)) return scope.get(name);
  return undefined;
}

export function resolveTaskSettings(task: Task, scope: VarScope, templar: Templar, options: ExecutionOptions): TaskSettings {
  const keyword = (name: string) => task.inherited(name);
  const byVariable = (names: string[], name: string) => {
    const value = variable(scope, ...names);
    return value === undefined ? keyword(name) : value;
  };

  // The play context, in the order Ansible validates its fields.
  const context = new FieldConverter('context', task, scope, templar);
  const connection = context.string('connection', byVariable(['ansible_connection'], 'connection'));
  const remoteUser = context.string('remote_user', byVariable(['ansible_user', 'ansible_ssh_user'], 'remote_user'));
  const noLog = context.bool('no_log', keyword('no_log'), false);
  const checkMode = context.bool('check_mode', keyword('check_mode'), options.checkMode);
  const diff = context.bool('diff', keyword('diff'), options.diffMode);
  const becomeOn = context.bool('become', byVariable(['ansible_become'], 'become'), options.become);
  const becomeMethod = context.string('become_method', byVariable(['ansible_become_method'], 'become_method'));
  const becomeUser = context.string('become_user', byVariable(['ansible_become_user'], 'become_user'));
  const becomeFlags = context.string('become_flags', byVariable(['ansible_become_flags'], 'become_flags'));
  const becomeExe = context.string('become_exe', byVariable(['ansible_become_exe'], 'become_exe'));
  let become: BecomeOptions | undefined;
  if (becomeOn) {
    const password = context.string('become_pass', variable(scope, 'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass', 'ansible_sudo_password'));
    become = {
      method: becomeMethod ?? options.becomeMethod,
      user: becomeUser ?? options.becomeUser,
      password: password ?? options.becomePassword,
      flags: becomeFlags,
      exe: becomeExe,
    };
  }

  // The task's own fields; a play context error means Ansible never got to them.
  const fields = new FieldConverter('task', task, scope, templar);
  fields.error = context.error;
  const warnings: string[] = [];
  fields.int('port', keyword('port'), 0);
  const environment = fields.environment(task.accumulated('environment'), warnings);
  const runOnce = fields.bool('run_once', keyword('run_once'), false);
  const ignoreErrors = fields.bool('ignore_errors', keyword('ignore_errors'), false);
  const ignoreUnreachable = fields.bool('ignore_unreachable', keyword('ignore_unreachable'), false);
  const anyErrorsFatal = fields.bool('any_errors_fatal', keyword('any_errors_fatal'), options.anyErrorsFatal);
  const timeout = fields.int('timeout', keyword('timeout'), 0);
  const asyncSeconds = fields.int('async_val', task.keywords.async, 0);
  const delay = fields.int('delay', task.keywords.delay, 5);
  const delegate = fields.string('delegate_to', keyword('delegate_to'));
  const delegateFacts = fields.bool('delegate_facts', keyword('delegate_facts'), false);
  const poll = fields.int('poll', task.keywords.poll, DEFAULT_POLL);
  const retries = task.keywords.retries === null ? null : fields.int('retries', task.keywords.retries, 3);

  return {
    checkMode,
    diff,
    noLog,
    ignoreErrors,
    ignoreUnreachable,
    runOnce,
    anyErrorsFatal,
    delegateTo: delegate === '' ? undefined : delegate,
    delegateFacts,
    become,
    remoteUser: remoteUser ?? options.remoteUser,
    connection: connection ?? options.connection ?? 'smart',
    environment,
    timeout,
    retries,
    delay,
    asyncSeconds,
    poll,
    contextError: context.error,
    fieldError: context.error ? undefined : fields.error,
    warnings,
  };
}
