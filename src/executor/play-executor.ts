// Runs one play: selects its hosts, splits them into serial batches, adds fact
// gathering, loads vars_files per host, and runs each batch with the play's strategy.
import { join } from 'node:path';
import { ParserError, TsplayError } from '../errors.js';
import { Block } from '../playbook/block.js';
import { isFile, loadDataFile } from '../playbook/loader/files.js';
import type { LoadOptions } from '../playbook/loader/load-context.js';
import { compilePlay } from '../playbook/loader/play-loader.js';
import type { Play } from '../playbook/play.js';
import type { RoleDefinition } from '../playbook/role.js';
import { shouldRunTags } from '../playbook/tags.js';
import { Task } from '../playbook/task.js';
import { toBoolean } from '../parsing/boolean.js';
import { booleanProblem, conversionMessage, undefinedFieldMessage } from '../playbook/field-conversion.js';
import { TemplateError } from '../template/templar.js';
import { LayeredScope } from '../vars/scope.js';
import { fnmatch } from '../parsing/fnmatch.js';
import type { PlayVariables } from '../vars/variable-manager.js';
import { serialBatches } from './batches.js';
import { HandlerRegistry } from './handlers.js';
import { PlayIteration } from './play-iteration.js';
import type { RunContext } from './run-context.js';
import { runFree } from './strategies/free.js';
import { runLinear } from './strategies/linear.js';

export interface PlayResult {
  /** The whole batch failed, or any_errors_fatal broke the play: later plays do not run. */
  breakPlaybook: boolean;
}

let nextPlayId = 0;

/** The implicit "Gathering Facts" task at the start of a play. */
function gatherFactsBlock(play: Play): Block {
  const block = new Block({}, play, play.pos, undefined, true);
  const args: Record<string, unknown> = {};
  for (const option of ['gather_subset', 'gather_timeout', 'fact_path']) {
    if (play.keywords[option] !== undefined) args[option] = play.keywords[option];
  }
  const keywords: Record<string, unknown> = { name: 'Gathering Facts' };
  if (play.keywords.tags === undefined) keywords.tags = ['always'];
  block.block = [new Task(keywords, block, play.pos, undefined, 'gather_facts', args, undefined)];
  return block;
}

/**
 * A boolean play keyword, templated as Ansible's play validation does: without a host, so
 * with the extra vars and the play's vars only. A value that is no boolean, or uses an
 * undefined variable, is a parser error naming the keyword as written.
 */
function playBoolean(play: Play, run: RunContext, keyword: string): boolean | undefined {
  const raw = play.keywords[keyword];
  let value = raw;
  if (typeof raw === 'string' && run.templar.isTemplate(raw)) {
    const scope = new LayeredScope([run.variables.extraVars, (play.keywords.vars as Record<string, unknown> | undefined) ?? {}, { playbook_dir: play.basedir, omit: run.variables.omit }]);
    try {
      value = run.templar.template(raw, scope);
    } catch (error) {
      if (error instanceof TemplateError && error.isUndefinedVariable) throw new ParserError(undefinedFieldMessage(keyword, error.message), play.pos);
      throw error instanceof TemplateError ? new TsplayError(error.message) : error;
    }
  }
  if (value === undefined || value === null) return undefined;
  const problem = booleanProblem(value);
  if (problem !== undefined) throw new ParserError(conversionMessage(keyword, raw, 'bool', problem), play.pos);
  return toBoolean(value);
}

function wantsFacts(gatherFacts: boolean | undefined, run: RunContext): boolean {
  switch (run.options.gathering) {
    case 'explicit':
      return gatherFacts === true;
    case 'smart':
    case 'implicit':
    default:
      return gatherFacts !== false;
  }
}

/** vars_files for one host: each entry a file, or a list of which the first found wins. */
function varsFilesLoader(play: Play, playVars: PlayVariables, run: RunContext): (host: string, into: Record<string, unknown>) => void {
  const entries = (play.keywords.vars_files as unknown[] | undefined) ?? [];
  return (host, into) => {
    if (entries.length === 0) return;
    const scope = playVars.scope(host);
    for (const entry of entries) {
      const candidates = Array.isArray(entry) ? entry : [entry];
      let found: string | undefined;
      for (const candidate of candidates) {
        const name = String(run.templar.template(String(candidate), scope, { convertData: false }));
        for (const path of [join(play.basedir, 'vars', name), join(play.basedir, name), name]) {
          if (isFile(path)) {
            found = path;
            break;
          }
        }
        if (found) break;
      }
      if (!found) throw new TsplayError(`vars file ${Array.isArray(entry) ? JSON.stringify(entry) : String(entry)} was not found`, { pos: play.pos });
      const data = loadDataFile(found);
      if (data === null || data === undefined) continue;
      if (typeof data !== 'object' || Array.isArray(data)) throw new TsplayError(`vars file ${found} must contain a dictionary of variables`);
      Object.assign(into, data);
    }
  };
}

/**
 * Read the vars_files that name a file literally before the play starts, as Ansible does
 * when it validates the play: a file that cannot be parsed or decrypted stops the run
 * before the PLAY banner. Missing or templated names are resolved per host later.
 */
function preloadVarsFiles(play: Play, run: RunContext): void {
  for (const entry of (play.keywords.vars_files as unknown[] | undefined) ?? []) {
    for (const candidate of Array.isArray(entry) ? entry : [entry]) {
      const name = String(candidate);
      if (run.templar.isTemplate(name)) continue;
      const path = [join(play.basedir, 'vars', name), join(play.basedir, name), name].find(isFile);
      if (path) {
        loadDataFile(path);
        break;
      }
    }
  }
}

/** The first task (in play order) whose name matches --start-at-task, exactly or as a glob. */
function startAtTask(play: Play, pattern: string, filter: (task: Task) => boolean): Task | undefined {
  for (const block of play.blocks) {
    for (const task of block.tasks()) {
      if (task.implicit || !filter(task)) continue;
      const own = typeof task.keywords.name === 'string' ? task.keywords.name : '';
      const names = [own, task.displayName()].filter(Boolean);
      if (names.some((n) => n === pattern || fnmatch(n, pattern))) return task;
    }
  }
  return undefined;
}

export async function runPlay(
  play: Play,
  run: RunContext,
  loadOptions: LoadOptions,
  roleDefinitions: Map<string, RoleDefinition>,
): Promise<PlayResult> {
  const playVars = run.variables.forPlay(play);
  playVars.varsFilesLoader = varsFilesLoader(play, playVars, run);
  const patterns = play.keywords.hosts as string[];
  const resolvedPatterns = patterns.map((p) => (run.templar.isTemplate(p) ? String(run.templar.template(p, run.variables.extraVars, { convertData: false })) : p));
  const hosts = run.inventory.selectHosts(resolvedPatterns, play.keywords.order as string | undefined);
  const playInfo = {
    name: play.name,
    hosts: resolvedPatterns,
    checkMode: run.options.checkMode,
    strategy: String(play.keywords.strategy ?? run.options.strategy),
    id: nextPlayId++,
    path: play.pos ? `${play.pos.file}:${play.pos.line}` : undefined,
  };
  playVars.hostLists.all = hosts;
  playVars.hostLists.active = hosts.filter((h) => !run.failedHosts.has(h) && !run.unreachableHosts.has(h));

  preloadVarsFiles(play, run);
  const gatherFacts = playBoolean(play, run, 'gather_facts');
  const forceHandlers = run.options.forceHandlers || playBoolean(play, run, 'force_handlers') === true;
  const batches = serialBatches(hosts, play.keywords.serial);
  if (batches.length === 0) {
    run.callbacks.playStart(playInfo);
    run.callbacks.noHostsMatched();
    return { breakPlaybook: false };
  }

  const gather = wantsFacts(gatherFacts, run) ? gatherFactsBlock(play) : undefined;
  const compiled = forceHandlers ? compilePlay(play, true) : play.blocks;
  const blocks = gather ? [gather, ...compiled] : compiled;
  const handlers = new HandlerRegistry(play.handlers);
  const tagFilter = (task: Task) => task.implicit || shouldRunTags(task.tags(), run.options.tags);
  const startAt = run.startAt && !run.startAt.matched ? startAtTask(play, run.startAt.pattern, tagFilter) : undefined;
  if (startAt) run.startAt!.matched = true;
  /** Each host skips the tasks before --start-at-task (fact gathering still runs). */
  const filterFor = (): ((task: Task) => boolean) => {
    if (!run.startAt || (run.startAt.matched && !startAt)) return tagFilter;
    let started = false;
    return (task) => {
      // A play without the task runs nothing at all, not even fact gathering.
      if (gather && task.parent === gather) return startAt !== undefined && tagFilter(task);
      if (!started && startAt && task === startAt) started = true;
      return started && tagFilter(task);
    };
  };

  for (const batch of batches) {
    run.callbacks.playStart(playInfo);
    const previouslyFailed = new Set([...run.failedHosts, ...run.unreachableHosts]);
    const live = batch.filter((h) => !previouslyFailed.has(h));
    playVars.hostLists.batch = live;
    const iteration = new PlayIteration(run, play, playVars, handlers, live, blocks, loadOptions, roleDefinitions, filterFor, forceHandlers);
    if (playInfo.strategy === 'free' || playInfo.strategy.endsWith('.free')) await runFree(iteration);
    else await runLinear(iteration);
    if (iteration.broken) return { breakPlaybook: true };
    const failedNow = batch.filter((h) => !previouslyFailed.has(h) && (run.failedHosts.has(h) || run.unreachableHosts.has(h))).length;
    if (failedNow === batch.length) return { breakPlaybook: true };
    if (iteration.endPlay) break;
  }
  return { breakPlaybook: false };
}
