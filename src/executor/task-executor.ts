// Runs one task on one host, as Ansible's TaskExecutor: loop items, `when` per item,
// arguments templated, the module run through the host's (or delegate's) connection,
// until/retries, changed_when/failed_when, and the per-item callbacks. The caller (a
// strategy) processes the final result: counters, handlers, register, facts.
import { UnreachableError } from '../connection/connection.js';
import { TsplayError } from '../errors.js';
import { findModule } from '../modules/registry.js';
import { ModuleFailure, type ModuleContext, type ModuleDefinition } from '../modules/module.js';
import type { ResultEvent, TaskInfo } from '../output/events.js';
import { DEBUG_ACTIONS, INCLUDE_ROLE_ACTIONS, INCLUDE_TASKS_ACTIONS, INCLUDE_VARS_ACTIONS, INVENTORY_ACTIONS, SET_FACT_ACTIONS } from '../playbook/keywords.js';
import type { Play } from '../playbook/play.js';
import type { Task } from '../playbook/task.js';
import { TemplateError } from '../template/templar.js';
import type { LayeredScope, VarLayer } from '../vars/scope.js';
import type { PlayVariables } from '../vars/variable-manager.js';
import { expandVariableParams, maskValues, prepareModuleArgs, removeOmit, type PreparedArgs } from './module-args.js';
import type { RunContext } from './run-context.js';
import { findInSearchPath, taskSearchPath } from '../playbook/search-path.js';
import { cleanCopy, isFailed, isSkipped, isUnreachable, type Result } from './task-result.js';
import { resolveTaskSettings, type TaskSettings } from './task-settings.js';
import { resultsFile } from './async-jobs.js';
import { connectionFor } from './delegation.js';
import { moduleCrash, pythonExceptionFor } from './module-crash.js';
import { registerName } from './register-name.js';
import { pyStr } from '../template/runtime/repr.js';

export interface TaskJob {
  host: string;
  task: Task;
  info: TaskInfo;
  play: Play;
  playVars: PlayVariables;
  run: RunContext;
}

export interface TaskRun {
  result: Result;
  /** The task's settings for this host (undefined when they could not be resolved). */
  settings: TaskSettings | undefined;
  /** Variables the task ran with (for post-processing add_host/group_by items). */
  scope: LayeredScope;
  durationMs: number;
}

function errorResult(error: unknown, noLog: boolean): Result {
  if (error instanceof UnreachableError) return { unreachable: true, msg: error.message, changed: false };
  if (error instanceof TsplayError || error instanceof TemplateError || error instanceof ModuleFailure) {
    const extra = error instanceof ModuleFailure ? error.extra : {};
    const msg = error instanceof TsplayError ? error.describe() : error.message;
    return { failed: true, msg, ...extra, _ansible_no_log: noLog };
  }
  const python = pythonExceptionFor(error);
  if (python !== undefined) return { ...moduleCrash(python), _ansible_no_log: noLog };
  const message = error instanceof Error ? error.message : String(error);
  return {
    failed: true,
    msg: `Unexpected failure during module execution: ${message}`,
    exception: error instanceof Error ? (error.stack ?? message) : message,
    stdout: '',
    _ansible_no_log: noLog,
  };
}

interface LoopControl {
  loopVar: string;
  indexVar: string | undefined;
  label: unknown;
  pause: number;
  extended: boolean;
  extendedAllitems: boolean;
}

function loopControlOf(task: Task, scope: LayeredScope, job: TaskJob): LoopControl {
  const raw = (task.keywords.loop_control ?? {}) as Record<string, unknown>;
  const t = job.run.templar;
  const value = (v: unknown) => (typeof v === 'string' && t.isTemplate(v) ? t.template(v, scope) : v);
  return {
    loopVar: String(value(raw.loop_var) ?? 'item'),
    indexVar: raw.index_var === undefined ? undefined : String(value(raw.index_var)),
    label: raw.label,
    pause: Number(value(raw.pause) ?? 0) || 0,
    extended: Boolean(value(raw.extended) ?? false),
    extendedAllitems: value(raw.extended_allitems) === undefined ? true : Boolean(value(raw.extended_allitems)),
  };
}

/** The loop items, or undefined for a task without a loop. */
function loopItems(task: Task, scope: LayeredScope, job: TaskJob): unknown[] | undefined {
  const loop = task.loop;
  if (!loop) return undefined;
  const templar = job.run.templar;
  if (loop.lookup !== undefined) {
    return templar.lookup(loop.lookup, loop.terms, scope, { searchPath: taskSearchPath(task, job.play.basedir) });
  }
  const items = typeof loop.items === 'string' ? templar.template(loop.items, scope) : templar.templateData(loop.items, scope);
  if (!Array.isArray(items)) {
    throw new TsplayError(
      `Invalid data passed to 'loop', it requires a list, got this instead: ${pyStr(items)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`,
    );
  }
  return items;
}

/** Errors of a task's conditions point at the task, as Ansible's do. */
function atTask<T>(task: Task, evaluate: () => T): T {
  try {
    return evaluate();
  } catch (error) {
    if (error instanceof TemplateError) throw new TsplayError(error.message, { pos: task.pos });
    throw error;
  }
}

function evaluateWhen(task: Task, scope: LayeredScope, job: TaskJob): boolean {
  return atTask(task, () => task.conditionals().every((condition) => job.run.templar.evaluateConditional(condition, scope)));
}

function evaluateConditions(conditions: unknown, scope: LayeredScope, job: TaskJob): boolean {
  const list = Array.isArray(conditions) ? conditions : [conditions];
  return atTask(job.task, () => list.every((c) => job.run.templar.evaluateConditional(c, scope)));
}

export class TaskExecutor {
  private settings: TaskSettings | undefined;
  /** ansible_host/port/user/connection of the delegate (the callbacks print `host -> delegate(address)`). */
  private delegatedConnectionVars: Record<string, unknown> = {};
  private settingsError: unknown;

  constructor(private readonly job: TaskJob) {}

  async run(): Promise<TaskRun> {
    const { job } = this;
    const started = Date.now();
    const scope = job.playVars.scope(job.host, job.task);
    try {
      this.settings = resolveTaskSettings(job.task, scope, job.run.templar, job.run.options);
    } catch (error) {
      this.settingsError = error;
    }
    const noLog = this.settings?.noLog ?? false;
    let result: Result;
    try {
      let items: unknown[] | undefined;
      let loopError: unknown;
      try {
        items = loopItems(job.task, scope, job);
      } catch (error) {
        loopError = error;
      }
      if (loopError !== undefined) {
        // As Ansible: a skipped task does not report its loop error.
        result = evaluateWhen(job.task, scope, job) ? errorResult(loopError, noLog) : this.skipped(noLog);
      } else if (items !== undefined) {
        result = items.length > 0 ? await this.runLoop(items, scope) : { changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] };
      } else {
        result = await this.execute(scope);
      }
      if (!('changed' in result)) result.changed = false;
    } catch (error) {
      result = errorResult(error, noLog);
    }
    return { result, settings: this.settings, scope, durationMs: Date.now() - started };
  }

  private skipped(noLog: boolean): Result {
    return { changed: false, skipped: true, skip_reason: 'Conditional result was False', _ansible_no_log: noLog };
  }

  private async runLoop(items: unknown[], scope: LayeredScope): Promise<Result> {
    const { job } = this;
    const control = loopControlOf(job.task, scope, job);
    const results: Result[] = [];
    const aggregate: Result = { results, skipped: true };
    // set_fact/include_vars results are visible to the following items, as in Ansible.
    const itemFacts: Record<string, unknown> = {};
    const factsForLater = SET_FACT_ACTIONS.has(job.task.action) || INCLUDE_VARS_ACTIONS.has(job.task.action);
    let ignoreErrors = this.settings?.ignoreErrors ?? false;
    for (let index = 0; index < items.length; index++) {
      if (job.run.signal.aborted) break;
      if (control.pause > 0 && index > 0) await new Promise((r) => setTimeout(r, control.pause * 1000));
      const item = items[index];
      const loopVars: Record<string, unknown> = { ansible_loop_var: control.loopVar, [control.loopVar]: item };
      if (control.indexVar) Object.assign(loopVars, { ansible_index_var: control.indexVar, [control.indexVar]: index });
      if (control.extended) {
        const loop: Record<string, unknown> = {
          index: index + 1,
          index0: index,
          first: index === 0,
          last: index + 1 === items.length,
          length: items.length,
          revindex: items.length - index,
          revindex0: items.length - index - 1,
        };
        if (control.extendedAllitems) loop.allitems = items;
        if (index + 1 < items.length) loop.nextitem = items[index + 1];
        if (index > 0) loop.previtem = items[index - 1];
        loopVars.ansible_loop = loop;
      }
      const itemScope = factsForLater ? scope.with(itemFacts).with(loopVars) : scope.with(loopVars);
      const started = Date.now();
      // An error (not a failed result) in one item fails the whole task, as in Ansible.
      const res = await this.execute(itemScope);
      if (factsForLater && res.ansible_facts && typeof res.ansible_facts === 'object') Object.assign(itemFacts, res.ansible_facts);
      res[control.loopVar] = item;
      res.ansible_loop_var = control.loopVar;
      if (control.indexVar) {
        res[control.indexVar] = index;
        res.ansible_index_var = control.indexVar;
      }
      if (control.extended) res.ansible_loop = loopVars.ansible_loop;
      res._ansible_item_result = true;
      res._ansible_ignore_errors = this.settings?.ignoreErrors ?? false;
      try {
        const label = control.label ?? `{{${control.loopVar}}}`;
        res._ansible_item_label = typeof label === 'string' ? job.run.templar.template(label, itemScope) : label;
      } catch (error) {
        res.failed = true;
        res.msg = `Failed to template loop_control.label: ${error instanceof Error ? error.message : String(error)}`;
      }
      this.itemCallback(res, Date.now() - started);
      results.push(res);

      if (res.changed === true) aggregate.changed = true;
      if (aggregate.skipped && res.skipped !== true) aggregate.skipped = false;
      if (res.failed === true) {
        const itemIgnore = Boolean(res._ansible_ignore_errors);
        if (aggregate.failed !== true) {
          aggregate.failed = true;
          aggregate.msg = 'One or more items failed';
          ignoreErrors = itemIgnore;
        } else if (ignoreErrors && !itemIgnore) ignoreErrors = itemIgnore;
      }
      for (const key of ['warnings', 'deprecations']) {
        const list = res[key];
        if (list && (!Array.isArray(list) || list.length)) {
          aggregate[key] = [...((aggregate[key] as unknown[]) ?? []), ...(Array.isArray(list) ? list : [list])];
          delete res[key];
        }
      }
    }
    if (aggregate.failed !== true) aggregate.msg = 'All items completed';
    if (aggregate.skipped === true) aggregate.msg = 'All items skipped';
    return aggregate;
  }

  private itemCallback(res: Result, durationMs: number): void {
    const { job } = this;
    const clean = cleanCopy(res, { noLog: this.settings?.noLog ?? false, isDebug: DEBUG_ACTIONS.has(job.task.action) });
    const event: ResultEvent = { host: job.host, task: job.info, result: clean, durationMs };
    const callbacks = job.run.callbacks;
    if (isFailed(res) || isUnreachable(res)) callbacks.itemFailed(event);
    else if (isSkipped(res)) callbacks.itemSkipped(event);
    else {
      if (this.settings?.diff) callbacks.fileDiff(event);
      // add_host/group_by items are reported once the inventory change is known (changed or not).
      if (!INVENTORY_ACTIONS.has(job.task.action)) callbacks.itemOk(event);
    }
  }

  /** Run the task once (for one loop item, or without a loop). */
  private async execute(scope: LayeredScope): Promise<Result> {
    const { job } = this;
    const { task, run } = job;
    const noLog = this.settings?.noLog ?? false;
    if (!evaluateWhen(task, scope, job)) return this.skipped(noLog);
    if (this.settingsError !== undefined) throw this.settingsError;
    const settings = this.settings!;
    if (settings.contextError) throw settings.contextError;

    if (INCLUDE_TASKS_ACTIONS.has(task.action)) {
      const { _raw_params: raw, file, ...rest } = task.args;
      const name = file ?? raw;
      if (!name) return { failed: true, msg: 'No include file was specified to the include' };
      return { include: run.templar.template(String(name), scope, { convertData: false }), include_args: rest };
    }
    if (INCLUDE_ROLE_ACTIONS.has(task.action)) {
      return { include_args: run.templar.templateData(task.args, scope) };
    }

    for (const warning of settings.warnings) run.display.warning(warning);
    if (settings.fieldError) throw settings.fieldError;

    const definition = findModule(task.action);
    if (!definition) {
      return { failed: true, msg: `The module ${task.action} was not found in configured module paths` };
    }
    let args: Record<string, unknown>;
    try {
      args = run.templar.templateData(task.args, scope) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof TemplateError && error.isUndefinedVariable) {
        throw new TsplayError(`The task includes an option with an undefined variable. The error was: ${error.message}`, { pos: task.pos });
      }
      throw error;
    }
    args = expandVariableParams(args);
    args = removeOmit(args, run.variables.omit) as Record<string, unknown>;

    if (settings.checkMode && !definition.supportsCheckMode) {
      return { changed: false, skipped: true, msg: `remote module (${task.action}) does not support check mode` };
    }

    const until = task.keywords.until;
    let retries = 1;
    if (until !== undefined && until !== null && !(Array.isArray(until) && until.length === 0)) {
      retries = settings.retries === null ? 3 : settings.retries <= 0 ? 1 : settings.retries + 1;
    }
    const delay = settings.delay < 0 ? 1 : settings.delay;
    const asyncSeconds = settings.asyncSeconds;
    let result: Result = {};
    let attempt = 1;
    for (; attempt <= retries; attempt++) {
      result = asyncSeconds > 0 ? await this.runAsync(definition, args, settings, scope, asyncSeconds) : await this.runModule(definition, args, settings, scope);
      result._ansible_no_log = Boolean(noLog || result._ansible_no_log);
      if (!('failed' in result)) result.failed = 'rc' in result && result.rc !== 0 && result.rc !== '0';
      if (retries > 1) result.attempts = attempt;
      if (!('changed' in result)) result.changed = false;
      // Checked once the module ran, as Ansible does.
      const register = registerName(task);
      const local: VarLayer = register ? { [register]: result } : {};
      const facts = result.ansible_facts as Record<string, unknown> | undefined;
      const resultScope = scope.with({ ...local, ...(facts && !DEBUG_ACTIONS.has(task.action) ? facts : {}) });
      if (result.skipped !== true) {
        let which = 'changed';
        try {
          const changedWhen = task.keywords.changed_when;
          if (changedWhen !== undefined && changedWhen !== null && !(Array.isArray(changedWhen) && changedWhen.length === 0)) {
            result.changed = evaluateConditions(changedWhen, resultScope, job);
          }
          which = 'failed';
          const failedWhen = task.keywords.failed_when;
          if (failedWhen !== undefined && failedWhen !== null && !(Array.isArray(failedWhen) && failedWhen.length === 0)) {
            const failed = evaluateConditions(failedWhen, resultScope, job);
            result.failed_when_result = failed;
            result.failed = failed;
          }
        } catch (error) {
          result.failed = true;
          result[`${which}_when_result`] = error instanceof Error ? error.message : String(error);
        }
      }
      if (retries > 1) {
        if (evaluateConditions(until, resultScope, job)) break;
        if (attempt < retries) {
          result._ansible_retry = true;
          result.retries = retries;
          run.callbacks.retry({ host: job.host, task: job.info, result: cleanCopy(result, { noLog, isDebug: false }) });
          await sleep(delay * 1000, run.signal);
        }
      }
    }
    if (retries > 1 && attempt > retries) {
      result.attempts = retries - 1;
      result.failed = true;
    }
    if (task.keywords.notify !== undefined && task.keywords.notify !== null) {
      const notify = task.keywords.notify;
      result._ansible_notify = Array.isArray(notify) ? notify : [notify];
    }
    if (settings.delegateTo) {
      result._ansible_delegated_vars = { ansible_delegated_host: settings.delegateTo, ...this.delegatedConnectionVars };
    }
    return result;
  }

  /** async: N. poll 0 starts a background job; poll > 0 waits with progress lines and a time limit. */
  private async runAsync(definition: ModuleDefinition, args: Record<string, unknown>, settings: TaskSettings, scope: LayeredScope, limit: number): Promise<Result> {
    const { job } = this;
    const { run } = job;
    const poll = settings.poll;
    // The job's own signal: a timed-out job is stopped, as Ansible's async wrapper kills it.
    const stop = new AbortController();
    const asyncJob = run.asyncJobs.start(job.host, this.runModule(definition, args, settings, scope, stop.signal));
    const ids = { ansible_job_id: asyncJob.jid, results_file: resultsFile(asyncJob.jid), started: 1 };
    if (!(poll > 0)) return { ...ids, finished: 0, changed: true, failed: 0 };
    const deadline = Date.now() + limit * 1000;
    for (;;) {
      await Promise.race([asyncJob.promise, sleep(poll * 1000, run.signal)]);
      if (asyncJob.done) {
        const result = { ...asyncJob.result!, ...ids, finished: 1 };
        if (isFailed(result)) run.callbacks.asyncFailed(job.host, asyncJob.jid);
        else run.callbacks.asyncOk(job.host, asyncJob.jid);
        return result;
      }
      if (Date.now() >= deadline || run.signal.aborted) {
        stop.abort();
        run.callbacks.asyncFailed(job.host, asyncJob.jid);
        return {
          failed: true,
          changed: false,
          msg: `async task did not complete within the requested time - ${limit}s`,
          async_result: { ...ids, finished: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] },
        };
      }
      run.callbacks.asyncPoll(job.host, asyncJob.jid);
    }
  }

  private async runModule(
    definition: ModuleDefinition,
    rawArgs: Record<string, unknown>,
    settings: TaskSettings,
    scope: LayeredScope,
    jobSignal?: AbortSignal,
  ): Promise<Result> {
    const { job } = this;
    const { run, task } = job;
    let prepared: PreparedArgs;
    try {
      prepared = prepareModuleArgs(definition, rawArgs, task.action);
    } catch (error) {
      return { failed: true, msg: error instanceof Error ? error.message : String(error) };
    }
    const args = prepared.params;
    const searchPath = taskSearchPath(task, job.play.basedir);
    const { connection, vars: connectionVars } = await connectionFor(job, settings, scope);
    if (settings.delegateTo) {
      for (const key of ['ansible_host', 'ansible_port', 'ansible_user', 'ansible_connection']) {
        if (connectionVars[key] !== undefined) this.delegatedConnectionVars[key] = connectionVars[key];
      }
    }
    const ctx: ModuleContext = {
      connection,
      inventoryHostname: job.host,
      taskName: job.info.name,
      checkMode: settings.checkMode,
      diffMode: settings.diff,
      become: settings.become,
      vars: scope,
      templar: run.templar,
      findFile: (kind, name) => findInSearchPath(searchPath, kind, name),
      searchPath,
      warn: (message) => run.display.warning(message),
      say: (message) => run.display.display(message),
      verbosity: run.options.verbosity,
      signal: jobSignal ? AbortSignal.any([run.signal, jobSignal]) : run.signal,
      environment: settings.environment,
      noLog: settings.noLog,
      asyncJobs: run.asyncJobs,
    };
    try {
      if (!definition.controllerOnly) await connection.connect();
      const run$ = definition.run(args as never, ctx);
      const result: Result = { ...(settings.timeout > 0 ? await withTimeout(run$, settings.timeout, task.action) : await run$) };
      if (prepared.warnings.length) result.warnings = [...prepared.warnings, ...((result.warnings as string[] | undefined) ?? [])];
      if (definition.invocation !== false && !('invocation' in result)) {
        result.invocation = { module_args: invocationArgs(definition, args) };
      }
      return maskValues(result, prepared.noLogValues);
    } catch (error) {
      // An action that cannot run (a template or playbook error) fails the whole task, loop
      // included, without `changed`; a module reporting failure is an ordinary result.
      if (error instanceof TemplateError || error instanceof TsplayError) throw error;
      return maskValues(errorResult(error, settings.noLog), prepared.noLogValues);
    }
  }
}

/** Every option of the module's spec, null when unset (Python's None), as module results report them. */
function invocationArgs(definition: ModuleDefinition, params: Record<string, unknown>): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  for (const name of Object.keys(definition.argSpec)) all[name] = params[name] ?? null;
  for (const [name, value] of Object.entries(params)) if (!(name in all)) all[name] = value;
  return typeof definition.invocation === 'function' ? definition.invocation(all) : all;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

function withTimeout<T>(promise: Promise<T>, seconds: number, action: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new TsplayError(`The ${action} action failed to execute in the expected time frame (${seconds}) and was terminated`)),
      seconds * 1000,
    );
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

