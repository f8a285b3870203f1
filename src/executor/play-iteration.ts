// The work shared by the strategies: running a task on a group of hosts (bounded by
// forks), processing each result (counters, handlers, register, facts, callbacks),
// includes, meta tasks and handler flushes. Strategies only decide the order.
import pLimit from 'p-limit';
import { TsplayError } from '../errors.js';
import { pyStr } from '../template/runtime/repr.js';
import type { ResultEvent, TaskInfo, TaskPrefix } from '../output/events.js';
import type { Block } from '../playbook/block.js';
import { DEBUG_ACTIONS, INCLUDE_ROLE_ACTIONS, INCLUDE_TASKS_ACTIONS, INCLUDE_VARS_ACTIONS, INVENTORY_ACTIONS, META_ACTIONS, SET_FACT_ACTIONS } from '../playbook/keywords.js';
import type { LoadOptions } from '../playbook/loader/load-context.js';
import type { Play } from '../playbook/play.js';
import type { RoleDefinition } from '../playbook/role.js';
import type { Task } from '../playbook/task.js';
import { findModule } from '../modules/registry.js';
import { markUnsafe } from '../template/index.js';
import type { PlayVariables } from '../vars/variable-manager.js';
import type { HandlerRegistry } from './handlers.js';
import { HostIterator, type TaskOutcome } from './host-iterator.js';
import { IncludeDepthError } from '../playbook/loader/recursion.js';
import { collectIncludes, loadIncluded, type IncludedFile, type IncludeRequest } from './includes.js';
import type { RunContext } from './run-context.js';
import { taskInfo } from './task-info.js';
import { registerName } from './register-name.js';
import { integerProblem, pythonTruthy, toInteger } from '../playbook/field-conversion.js';
import { TemplateError } from '../template/templar.js';
import { TaskExecutor, type TaskRun } from './task-executor.js';
import { cleanCopy, isChanged, isFailed, isSkipped, isUnreachable, registeredCopy, type Result } from './task-result.js';

const CLEAN_FACTS_ACTIONS = new Set([...SET_FACT_ACTIONS, ...INCLUDE_VARS_ACTIONS]);

export class PlayIteration {
  readonly iterators = new Map<string, HostIterator>();
  readonly limit: ReturnType<typeof pLimit>;
  endPlay = false;
  broken = false;
  /** Hosts removed with meta: end_host (not failed). */
  readonly ended = new Set<string>();
  /** Tasks that ran on one host for all (any_errors_fatal applies to them). */
  readonly ranOnce = new WeakSet<Task>();
  private readonly throttles = new WeakMap<Task, ReturnType<typeof pLimit>>();

  constructor(
    readonly run: RunContext,
    readonly play: Play,
    readonly playVars: PlayVariables,
    readonly handlers: HandlerRegistry,
    readonly hosts: string[],
    blocks: readonly Block[],
    readonly loadOptions: LoadOptions,
    readonly roleDefinitions: Map<string, RoleDefinition>,
    /** Makes each host's task filter (tags, --start-at-task). */
    filterFor: () => (task: Task) => boolean,
    /** force_handlers (the play's, templated, or the command line's): failed hosts still run their handlers. */
    readonly forceHandlers = false,
  ) {
    this.limit = pLimit(Math.max(1, run.options.forks));
    for (const host of hosts) this.iterators.set(host, new HostIterator(host, blocks, filterFor()));
  }

  /** Hosts still walking the play. */
  activeHosts(): string[] {
    return this.hosts.filter((h) => !this.iterators.get(h)!.done);
  }

  private info(task: Task, host: string): TaskInfo {
    return taskInfo(task, this.run.templar, this.playVars.scope(host, task), this.run.options.checkMode);
  }

  /** A host's walk ended: remember it failed when it did. */
  finishHost(host: string): void {
    const iterator = this.iterators.get(host)!;
    if (iterator.done && iterator.failed) this.run.failedHosts.add(host);
  }

  /** Stop hosts (unreachable, any_errors_fatal, end_play). */
  stopHost(host: string, failed: boolean): void {
    const iterator = this.iterators.get(host);
    if (!iterator || iterator.done) return;
    iterator.stop(failed);
    if (failed) this.run.failedHosts.add(host);
  }

  private updatePlayHosts(): void {
    const lists = this.playVars.hostLists;
    const gone = (h: string) => this.run.failedHosts.has(h) || this.run.unreachableHosts.has(h) || this.ended.has(h);
    lists.active = lists.all.filter((h) => !gone(h));
    lists.batch = this.hosts.filter((h) => !gone(h));
  }

  /**
   * Run a (non-meta) task on hosts and process the results. Returns each host's outcome
   * for its iterator. Hosts whose role already ran are passed over silently.
   */
  async runTask(task: Task, hosts: string[], prefix: TaskPrefix): Promise<Map<string, TaskOutcome>> {
    const outcomes = new Map<string, TaskOutcome>();
    const targets = hosts.filter((h) => {
      const skip = !task.isHandler && task.role !== undefined && !task.role.allowDuplicates && task.role.ranOn.has(h);
      if (skip) outcomes.set(h, { failed: false });
      return !skip;
    });
    if (targets.length === 0) return outcomes;
    const once = this.runsOnce(task, targets[0]!);
    const runOnce = once !== undefined;
    // Only the run_once keyword shares the result (register, facts, a failure) with every
    // host; an action that bypasses the host loop (pause, add_host) reports for the first.
    const sharers = (host: string) => (once === 'keyword' ? targets : [host]);
    if (runOnce) this.ranOnce.add(task);
    const info = this.info(task, targets[0]!);
    this.run.callbacks.taskStart(info, prefix);
    const throttled = this.throttleFor(task, targets[0]!, runOnce);

    const runOn = runOnce ? [targets[0]!] : targets;
    this.run.callbacks.taskHosts(info, runOn);
    const includeRequests: IncludeRequest[] = [];
    await Promise.all(
      runOn.map((host) =>
        throttled(async () => {
          if (this.run.signal.aborted) return;
          this.run.callbacks.hostTaskStart(host, info);
          const taskRun = await new TaskExecutor({ host, task, info, play: this.play, playVars: this.playVars, run: this.run }).run();
          // An interrupted run reports nothing about the commands it stopped.
          if (this.run.signal.aborted) return;
          const outcome = this.processResult(host, task, info, taskRun, sharers(host));
          outcomes.set(host, outcome);
          if ((INCLUDE_TASKS_ACTIONS.has(task.action) || INCLUDE_ROLE_ACTIONS.has(task.action)) && !outcome.failed && !isSkipped(taskRun.result)) {
            includeRequests.push({ host, task, result: taskRun.result });
          }
        }),
      ),
    );
    if (once === 'keyword') {
      // A run_once result stands for every host of the group, failure included.
      const first = outcomes.get(targets[0]!) ?? { failed: false };
      for (const host of targets.slice(1)) outcomes.set(host, { failed: first.failed });
    }
    if (includeRequests.length > 0) this.applyIncludes(includeRequests, outcomes);
    this.updatePlayHosts();
    return outcomes;
  }

  /**
   * Whether the task runs for the first host only, as Ansible's strategy reads it: the
   * truth of the templated run_once keyword (an undefined variable ends the run), or an
   * action that bypasses the host loop.
   */
  private runsOnce(task: Task, host: string): 'keyword' | 'bypass' | undefined {
    const raw = task.inherited('run_once');
    if (raw !== undefined) {
      try {
        if (pythonTruthy(typeof raw === 'string' ? this.run.templar.template(raw, this.playVars.scope(host, task)) : raw)) return 'keyword';
      } catch (error) {
        throw error instanceof TemplateError ? new TsplayError(error.message) : error;
      }
    }
    return findModule(task.action)?.bypassHostLoop === true ? 'bypass' : undefined;
  }

  /**
   * The forks limit, narrowed by the task's throttle (shared by all runs of the task, so
   * the free strategy counts every host's). Ansible ends the run on a throttle that is
   * no integer.
   */
  private throttleFor(task: Task, host: string, runOnce: boolean): <T>(run: () => Promise<T>) => Promise<T> {
    const failure = () => new TsplayError('Failed to convert the throttle value to an integer.', { pos: task.pos });
    const raw = task.inherited('throttle');
    let value: unknown;
    try {
      value = typeof raw === 'string' ? this.run.templar.template(raw, this.playVars.scope(host, task)) : raw;
    } catch (error) {
      throw error instanceof TemplateError ? failure() : error;
    }
    if (value !== undefined && integerProblem(value) !== undefined) throw failure();
    const throttle = value === undefined ? 0 : toInteger(value);
    if (throttle <= 0 || runOnce || throttle >= this.run.options.forks) return this.limit;
    let taskLimit = this.throttles.get(task);
    if (!taskLimit) {
      taskLimit = pLimit(throttle);
      this.throttles.set(task, taskLimit);
    }
    const limit = taskLimit;
    return (run) => limit(() => this.limit(run));
  }

  private applyIncludes(requests: IncludeRequest[], outcomes: Map<string, TaskOutcome>): void {
    // Order the requests as the hosts are ordered, so shared includes list hosts in play order.
    requests.sort((a, b) => this.hosts.indexOf(a.host) - this.hosts.indexOf(b.host));
    const files = collectIncludes(requests, this.play);
    for (const file of files) {
      try {
        loadIncluded(file, this.play, this.loadOptions, this.roleDefinitions);
      } catch (error) {
        // Ansible announces the file, then runs out of recursion depth expanding it.
        if (error instanceof IncludeDepthError && !file.isRole) this.announceInclude(file);
        throw error;
      }
      if (file.error) {
        for (const host of file.hosts) {
          const info = this.info(file.task, host);
          const result = { failed: true, reason: file.error.message };
          this.run.stats.increment('failures', host);
          this.run.callbacks.runnerFailed({ host, task: info, result: cleanCopy(result, { noLog: false, isDebug: false }) }, false);
          outcomes.set(host, { failed: true });
        }
        continue;
      }
      if (!file.isRole) this.announceInclude(file);
      if (file.role) {
        this.handlers.addHandlers([...file.role.handlersWithDependencies()]);
        if (file.role.isPublic) this.playVars.publishRole(file.role);
      }
      for (const host of file.hosts) {
        if (!file.isRole) this.run.stats.increment('ok', host);
        const outcome = outcomes.get(host) ?? { failed: false };
        outcome.included = [...(outcome.included ?? []), ...(file.blocks ?? [])];
        outcomes.set(host, outcome);
      }
    }
  }

  private announceInclude(file: IncludedFile): void {
    this.run.callbacks.include(file.name, file.hosts, Object.keys(file.itemVars).length ? file.itemVars : undefined);
  }

  /** Ansible's result processing: counters, callbacks, handlers, register, facts. */
  private processResult(host: string, task: Task, baseInfo: TaskInfo, taskRun: TaskRun, hostsForRunOnce: string[]): TaskOutcome {
    const { run } = this;
    const { result, settings } = taskRun;
    const info: TaskInfo = settings?.delegateTo !== baseInfo.delegateTo ? { ...baseInfo, delegateTo: settings?.delegateTo } : baseInfo;
    const noLog = settings?.noLog ?? false;
    const event = (): ResultEvent => ({
      host,
      task: info,
      result: cleanCopy(result, { noLog, isDebug: DEBUG_ACTIONS.has(task.action) }),
      durationMs: taskRun.durationMs,
    });
    const iterator = this.iterators.get(host);
    const rescuable = iterator?.peek()?.task === task ? iterator.peek()!.rescuable : false;
    let outcome: TaskOutcome = { failed: false };
    let roleRan = false;

    if (isFailed(result)) {
      roleRan = true;
      const ignore = settings?.ignoreErrors ?? false;
      if (!ignore) {
        outcome = { failed: true };
        if (rescuable) {
          run.stats.increment('rescued', host);
          run.hostStore.setNonPersistent(host, { ansible_failed_task: { name: info.name, action: task.action }, ansible_failed_result: result });
        } else {
          run.stats.increment('failures', host);
        }
      } else {
        run.stats.increment('ok', host);
        run.stats.increment('ignored', host);
        if (result.changed === true) run.stats.increment('changed', host);
      }
      run.callbacks.runnerFailed(event(), ignore);
    } else if (isUnreachable(result)) {
      if (!(settings?.ignoreUnreachable ?? false)) {
        run.unreachableHosts.add(host);
        run.stats.increment('unreachable', host);
        outcome = { failed: true };
        this.stopHost(host, false);
        this.handlers.clearHost(host);
      } else {
        run.stats.increment('ok', host);
        run.stats.increment('ignored', host);
      }
      run.callbacks.runnerUnreachable(event());
    } else if (isSkipped(result)) {
      run.stats.increment('skipped', host);
      run.callbacks.runnerSkipped(event());
    } else {
      roleRan = true;
      const items = task.loop ? ((result.results as Result[] | undefined) ?? []) : [result];
      for (const item of items) this.applyItemEffects(host, task, item, isChanged(result), hostsForRunOnce, settings?.delegateTo, settings?.delegateFacts ?? false);
      if (items.some((item) => item.changed === true)) result.changed = true;
      if (task.loop && INVENTORY_ACTIONS.has(task.action)) {
        for (const item of items) {
          if (isFailed(item) || isSkipped(item)) continue;
          run.callbacks.itemOk({ host, task: info, result: cleanCopy(item, { noLog, isDebug: false }) });
        }
      }
      if ('diff' in result || task.loop) {
        if (settings?.diff && !task.loop) run.callbacks.fileDiff(event());
      }
      const isInclude = INCLUDE_TASKS_ACTIONS.has(task.action) || INCLUDE_ROLE_ACTIONS.has(task.action);
      if (!isInclude) {
        run.stats.increment('ok', host);
        if (result.changed === true) run.stats.increment('changed', host);
      }
      run.callbacks.runnerOk(event());
    }

    // A register name that is no variable name stops the run here, whatever the result.
    const register = registerName(task);
    if (register) {
      // Module output is data, never a template (Ansible wraps it as unsafe); set_fact and
      // include_vars results are the playbook's own values.
      const copy = CLEAN_FACTS_ACTIONS.has(task.action) ? registeredCopy(result) : markUnsafe(registeredCopy(result));
      for (const target of hostsForRunOnce) run.hostStore.setNonPersistent(target, { [register]: copy });
    }
    if (task.role && roleRan) task.role.hadTaskRun.add(host);
    return outcome;
  }

  /** What a successful result changes besides counters: handlers, inventory, facts, stats. */
  private applyItemEffects(
    host: string,
    task: Task,
    item: Result,
    changed: boolean,
    hosts: string[],
    delegateTo: string | undefined,
    delegateFacts: boolean,
  ): void {
    const { run } = this;
    const notify = item._ansible_notify;
    if (Array.isArray(notify) && changed) {
      for (const name of notify) {
        const handlers = this.handlers.resolve(String(name), (h) => (typeof h.keywords.name === 'string' ? h.keywords.name : ''));
        if (handlers.length === 0) {
          const message = `The requested handler '${pyStr(name)}' was not found in either the main handlers list nor in the listening handlers list`;
          // Ansible stops the run here (error_on_missing_handler, on by default).
          if (run.options.errorOnMissingHandler) throw new TsplayError(message);
          run.display.warning(message);
        }
        for (const handler of handlers) {
          if (this.handlers.notify(handler, host)) run.callbacks.handlerNotified(handler.displayName(), host);
        }
      }
    }
    // add_host and group_by report changed when the inventory actually changed, unless the
    // task's changed_when decided already.
    const decided = task.keywords.changed_when !== undefined && task.keywords.changed_when !== null;
    const addHost = item.add_host as { host_name?: string; groups?: string[]; host_vars?: Record<string, unknown> } | undefined;
    if (addHost?.host_name && run.inventory.addHost(addHost.host_name, addHost.groups ?? [], addHost.host_vars ?? {}) && !decided) item.changed = true;
    const addGroup = item.add_group as string | undefined;
    if (addGroup && run.inventory.addHostToGroup(host, addGroup, (item.parent_groups as string[] | undefined) ?? []) && !decided) item.changed = true;

    const facts = item.ansible_facts as Record<string, unknown> | undefined;
    if (facts && !DEBUG_ACTIONS.has(task.action)) {
      const targets = delegateTo && delegateFacts ? [delegateTo] : hosts;
      if (INCLUDE_VARS_ACTIONS.has(task.action)) {
        for (const target of targets) run.hostStore.setIncludeVars(target, facts);
      } else {
        const isSetFact = SET_FACT_ACTIONS.has(task.action);
        const cacheable = item._ansible_facts_cacheable === true;
        const values = isSetFact ? facts : markUnsafe(facts);
        for (const target of targets) {
          if (!isSetFact || cacheable) run.hostStore.setFacts(target, values);
          if (isSetFact) run.hostStore.setNonPersistent(target, values);
        }
      }
    }
    const stats = item.ansible_stats as { data?: Record<string, unknown>; per_host?: boolean; aggregate?: boolean } | undefined;
    if (stats?.data && Object.keys(stats.data).length) {
      const targets = stats.per_host === false ? ['_run'] : hosts;
      for (const target of targets) {
        const current = run.stats.custom.get(target) ?? {};
        for (const [key, value] of Object.entries(stats.data)) {
          current[key] = stats.aggregate !== false ? aggregateStat(current[key], value) : value;
        }
        run.stats.custom.set(target, current);
      }
    }
  }

  /** A meta task on a group of hosts (linear: all hosts at once; free: one host). */
  async runMeta(task: Task, hosts: string[]): Promise<Map<string, TaskOutcome>> {
    const outcomes = new Map<string, TaskOutcome>();
    const action = String(task.args._raw_params ?? '').trim();
    const runOnceActions = new Set(['end_play', 'end_batch', 'clear_facts', 'clear_host_errors', 'refresh_inventory']);
    const targets = runOnceActions.has(action) ? hosts.slice(0, 1) : hosts;
    const flushHosts: string[] = [];
    for (const host of hosts) outcomes.set(host, { failed: false });

    for (const host of targets) {
      const info = this.info(task, host);
      if (!task.implicit) this.run.callbacks.taskStart(info, task.isHandler ? 'RUNNING HANDLER' : 'TASK');
      const scope = this.playVars.scope(host, task);
      let conditionTrue: boolean;
      try {
        conditionTrue = task.conditionals().every((c) => this.run.templar.evaluateConditional(c, scope));
      } catch (error) {
        throw error instanceof TsplayError ? error : new TsplayError(error instanceof Error ? error.message : String(error), { pos: task.pos });
      }
      const skip = (reason: string, msg = action) => {
        const result = { msg, skipped: true, skip_reason: `${action} conditional evaluated to False${reason}` };
        this.run.callbacks.runnerSkipped({ host, task: info, result: cleanCopy(result, { noLog: false, isDebug: false }) });
      };
      switch (action) {
        case 'noop':
          break;
        case 'role_complete':
          if (task.role?.hadTaskRun.has(host)) task.role.ranOn.add(host);
          break;
        case 'flush_handlers':
          if (conditionTrue) {
            if (!this.run.unreachableHosts.has(host)) flushHosts.push(host);
          } else skip(`, not running handlers for ${host}`);
          break;
        case 'end_host':
          if (conditionTrue) {
            this.ended.add(host);
            this.stopHost(host, false);
          } else skip(`, continuing execution for ${host}`, `end_host conditional evaluated to false, continuing execution for ${host}`);
          break;
        case 'end_play':
        case 'end_batch':
          if (conditionTrue) {
            for (const h of this.hosts) if (!this.run.unreachableHosts.has(h)) this.stopHost(h, false);
            if (action === 'end_play') this.endPlay = true;
          } else skip(action === 'end_play' ? ', continuing play' : ', continuing current batch');
          break;
        case 'clear_facts':
          if (conditionTrue) for (const h of this.hosts) this.run.hostStore.clearFacts(h);
          else skip(`, not clearing facts and fact cache for ${host}`);
          break;
        case 'clear_host_errors':
          if (conditionTrue) {
            for (const h of this.hosts) {
              this.run.failedHosts.delete(h);
              this.run.unreachableHosts.delete(h);
            }
          } else skip(`, not clearing host error state for ${host}`);
          break;
        case 'refresh_inventory':
          break;
        case 'reset_connection':
          await this.run.connections.reset(host);
          break;
        default:
          throw new TsplayError(`invalid meta action requested: ${action}`, { pos: task.pos });
      }
    }
    if (flushHosts.length > 0) {
      const failed = await this.flushHandlers(flushHosts);
      for (const host of failed) outcomes.set(host, { failed: true });
    }
    this.updatePlayHosts();
    return outcomes;
  }

  /** Run the notified handlers for these hosts, in definition order. Returns hosts whose handler failed. */
  async flushHandlers(hosts: string[]): Promise<Set<string>> {
    const failed = new Set<string>();
    for (let i = 0; i < this.handlers.handlers.length; i++) {
      const handler = this.handlers.handlers[i]!;
      const targets = hosts.filter(
        (h) =>
          this.handlers.isNotified(handler, h) &&
          !failed.has(h) &&
          !this.run.unreachableHosts.has(h) &&
          (this.forceHandlers || !this.run.failedHosts.has(h)),
      );
      if (targets.length === 0) continue;
      for (const h of targets) this.handlers.clear(handler, h);
      if (META_ACTIONS.has(handler.action)) {
        await this.runMeta(handler, targets);
        continue;
      }
      const outcomes = await this.runTask(handler, targets, 'RUNNING HANDLER');
      for (const [host, outcome] of outcomes) {
        if (outcome.failed) failed.add(host);
      }
    }
    for (const host of failed) this.handlers.clearHost(host);
    return failed;
  }
}

/** set_stats aggregation: numbers add, lists concatenate, dicts merge, other values replace. */
function aggregateStat(current: unknown, value: unknown): unknown {
  if (current === undefined) return value;
  if (typeof current === 'number' && typeof value === 'number') return current + value;
  if (Array.isArray(current) && Array.isArray(value)) return [...current, ...value];
  if (current && value && typeof current === 'object' && typeof value === 'object') return { ...current, ...value };
  return value;
}
