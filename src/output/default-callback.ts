// The `default` stdout callback: ansible-playbook's screen output, line for line.
import type { AggregateStats } from '../executor/stats.js';
import { colorize, type ColorName } from './colors.js';
import { formatDiff } from './diff-format.js';
import type { Display } from './display.js';
import type { OutputCallback, PlayInfo, ResultData, ResultEvent, TaskInfo, TaskPrefix } from './events.js';
import { cleanResult, dumpResult, itemLabel } from './result-format.js';
import { pyJsonDumps } from '../template/python/json.js';

export interface DefaultCallbackOptions {
  displaySkippedHosts: boolean;
  displayOkHosts: boolean;
  displayFailedStderr: boolean;
  showCustomStats: boolean;
  checkModeMarkers: boolean;
  showTaskPathOnFailure: boolean;
  diffContext: number;
}

export const DEFAULT_CALLBACK_OPTIONS: DefaultCallbackOptions = {
  displaySkippedHosts: true,
  displayOkHosts: true,
  displayFailedStderr: false,
  showCustomStats: false,
  checkModeMarkers: false,
  showTaskPathOnFailure: false,
  diffContext: 3,
};

export class DefaultCallback implements OutputCallback {
  private play: PlayInfo | undefined;
  private lastBannerTask: number | undefined;
  private lastTaskName: string | undefined;
  private readonly prefixes = new Map<number, TaskPrefix>();

  constructor(
    private readonly display: Display,
    private readonly options: DefaultCallbackOptions = DEFAULT_CALLBACK_OPTIONS,
  ) {}

  private get verbosity(): number {
    return this.display.verbosity;
  }

  private hostLabel(event: ResultEvent): string {
    let label = event.host;
    const delegate = event.task.delegateTo;
    if (delegate && delegate !== event.host) {
      label += ` -> ${delegate}`;
      const delegated = event.result._ansible_delegated_vars as Record<string, unknown> | undefined;
      const address = delegated?.ansible_host ?? delegate;
      if (address !== delegate) label += `(${String(address)})`;
    }
    return label;
  }

  private verbose(result: ResultData, level = 0): boolean {
    return (this.verbosity > level || result._ansible_verbose_always === true) && result._ansible_verbose_override !== true;
  }

  private dump(result: ResultData): string {
    return dumpResult(result, { verbosity: this.verbosity });
  }

  private ensureBanner(task: TaskInfo): void {
    if (this.lastBannerTask !== task.id) this.printTaskBanner(task);
  }

  private printTaskBanner(task: TaskInfo): void {
    const prefix = this.prefixes.get(task.id) ?? 'TASK';
    const name = this.lastTaskName ?? task.name.trim();
    const check = task.checkMode && this.options.checkModeMarkers ? ' [CHECK MODE]' : '';
    this.display.banner(`${prefix} [${name}]${check}`);
    if (this.verbosity >= 2 && task.path) this.display.display(`task path: ${task.path}`, { color: 'debug' });
    this.lastBannerTask = task.id;
  }

  private handleWarnings(result: ResultData): void {
    const warnings = result.warnings;
    if (Array.isArray(warnings) && warnings.length) {
      for (const warning of warnings) this.display.warning(String(warning));
      delete result.warnings;
    }
    const deprecations = result.deprecations;
    if (Array.isArray(deprecations) && deprecations.length) {
      for (const d of deprecations) {
        const entry = d as Record<string, unknown>;
        this.display.deprecated(String(entry.msg ?? d), entry.version === undefined ? undefined : String(entry.version));
      }
      delete result.deprecations;
    }
  }

  private handleException(result: ResultData): void {
    if (!('exception' in result)) return;
    const text = String(result.exception);
    if (this.verbosity < 3) {
      const last = text.trim().split('\n').pop() ?? '';
      this.display.display(
        `An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${last}`,
        { color: 'error', stderr: this.options.displayFailedStderr },
      );
    } else {
      this.display.display(`The full traceback is:\n${text}`, { color: 'error', stderr: this.options.displayFailedStderr });
      delete result.exception;
    }
  }

  playbookStart(file: string, checkMode: boolean): void {
    if (this.verbosity > 1) this.display.banner(`PLAYBOOK: ${file.split('/').pop() ?? file}`);
    if (checkMode && this.options.checkModeMarkers) this.display.banner('DRY RUN');
  }

  playStart(play: PlayInfo): void {
    const check = play.checkMode && this.options.checkModeMarkers ? ' [CHECK MODE]' : '';
    const name = play.name.trim();
    this.play = play;
    this.display.banner(name ? `PLAY [${name}]${check}` : `PLAY${check}`);
  }

  taskStart(task: TaskInfo, prefix: TaskPrefix): void {
    this.prefixes.set(task.id, prefix);
    if (this.play && (this.play.strategy === 'free' || this.play.strategy === 'host_pinned' || this.play.strategy.endsWith('.free'))) {
      this.lastTaskName = undefined;
    } else {
      this.lastTaskName = task.name.trim();
      if (this.options.displaySkippedHosts && this.options.displayOkHosts) this.printTaskBanner(task);
    }
  }

  noHostsMatched(): void {
    this.display.display('skipping: no hosts matched', { color: 'skip' });
  }

  noHostsRemaining(): void {
    this.display.banner('NO MORE HOSTS LEFT');
  }

  runnerFailed(event: ResultEvent, ignoreErrors: boolean): void {
    const result = cleanResult({ ...event.result }, event.task.action);
    this.ensureBanner(event.task);
    this.handleException(result);
    this.handleWarnings(result);
    if (!(event.task.hasLoop && 'results' in result)) {
      if (this.verbosity < 2 && this.options.showTaskPathOnFailure && event.task.path) {
        this.display.display(`task path: ${event.task.path}`, { color: 'debug' });
      }
      this.display.display(`fatal: [${this.hostLabel(event)}]: FAILED! => ${this.dump(result)}`, {
        color: 'error',
        stderr: this.options.displayFailedStderr,
      });
    }
    if (ignoreErrors) this.display.display('...ignoring', { color: 'skip' });
  }

  runnerOk(event: ResultEvent): void {
    if (event.task.isInclude) {
      this.ensureBanner(event.task);
      return;
    }
    const result = { ...event.result };
    let msg: string;
    let color: ColorName;
    if (result.changed === true) {
      this.ensureBanner(event.task);
      msg = `changed: [${this.hostLabel(event)}]`;
      color = 'changed';
    } else {
      if (!this.options.displayOkHosts) return;
      this.ensureBanner(event.task);
      msg = `ok: [${this.hostLabel(event)}]`;
      color = 'ok';
    }
    this.handleWarnings(result);
    if (event.task.hasLoop && 'results' in result) return;
    const cleaned = cleanResult(result, event.task.action);
    if (this.verbose(cleaned)) msg += ` => ${this.dump(cleaned)}`;
    this.display.display(msg, { color });
  }

  runnerSkipped(event: ResultEvent): void {
    if (!this.options.displaySkippedHosts) return;
    const result = cleanResult({ ...event.result }, event.task.action);
    this.ensureBanner(event.task);
    let msg = `skipping: [${event.host}]`;
    if (this.verbose(result)) msg += ` => ${this.dump(result)}`;
    this.display.display(msg, { color: 'skip' });
  }

  runnerUnreachable(event: ResultEvent): void {
    this.ensureBanner(event.task);
    this.display.display(`fatal: [${this.hostLabel(event)}]: UNREACHABLE! => ${this.dump(event.result)}`, {
      color: 'unreachable',
      stderr: this.options.displayFailedStderr,
    });
    if (event.task.ignoreUnreachable) this.display.display('...ignoring', { color: 'skip' });
  }

  itemOk(event: ResultEvent): void {
    if (event.task.isInclude) return;
    const result = { ...event.result };
    let status: string;
    let color: ColorName;
    if (result.changed === true) {
      this.ensureBanner(event.task);
      status = 'changed';
      color = 'changed';
    } else {
      if (!this.options.displayOkHosts) return;
      this.ensureBanner(event.task);
      status = 'ok';
      color = 'ok';
    }
    let msg = `${status}: [${this.hostLabel(event)}] => (item=${itemLabel(result)})`;
    const cleaned = cleanResult(result, event.task.action);
    if (this.verbose(cleaned)) msg += ` => ${this.dump(cleaned)}`;
    this.display.display(msg, { color });
  }

  itemFailed(event: ResultEvent): void {
    this.ensureBanner(event.task);
    const result = cleanResult({ ...event.result }, event.task.action);
    this.handleException(result);
    this.handleWarnings(result);
    this.display.display(`failed: [${this.hostLabel(event)}] (item=${itemLabel(result)}) => ${this.dump(result)}`, {
      color: 'error',
      stderr: this.options.displayFailedStderr,
    });
  }

  itemSkipped(event: ResultEvent): void {
    if (!this.options.displaySkippedHosts) return;
    this.ensureBanner(event.task);
    const result = cleanResult({ ...event.result }, event.task.action);
    let msg = `skipping: [${event.host}] => (item=${itemLabel(result)}) `;
    if (this.verbose(result)) msg += ` => ${this.dump(result)}`;
    this.display.display(msg, { color: 'skip' });
  }

  retry(event: ResultEvent): void {
    const result = event.result;
    const left = Number(result.retries) - Number(result.attempts);
    let msg = `FAILED - RETRYING: [${this.hostLabel(event)}]: ${event.task.name} (${left} retries left).`;
    if (this.verbose(result, 2)) msg += `Result was: ${this.dump(result)}`;
    this.display.display(msg, { color: 'debug' });
  }

  asyncPoll(host: string, jid: string): void {
    this.display.display(`ASYNC POLL on ${host}: jid=${jid} started=1 finished=0`, { color: 'debug' });
  }

  asyncOk(host: string, jid: string): void {
    this.display.display(`ASYNC OK on ${host}: jid=${jid}`, { color: 'debug' });
  }

  asyncFailed(host: string, jid: string): void {
    this.display.display(`ASYNC FAILED on ${host}: jid=${jid}`, { color: 'debug' });
  }

  fileDiff(event: ResultEvent): void {
    const paint = (text: string, color: ColorName) => colorize(text, color, this.display.color);
    const result = event.result;
    const entries = event.task.hasLoop && Array.isArray(result.results) ? (result.results as ResultData[]) : [result];
    for (const entry of entries) {
      if (!entry.diff || entry.changed !== true) continue;
      const text = formatDiff(entry.diff, paint, this.options.diffContext);
      if (text) {
        this.ensureBanner(event.task);
        this.display.display(text);
      }
    }
  }

  include(file: string, hosts: string[], itemVars: ResultData | undefined): void {
    let msg = `included: ${file} for ${hosts.join(', ')}`;
    if (itemVars) {
      const label = itemLabel(itemVars);
      if (label && label !== 'None') msg += ` => (item=${label})`;
    }
    this.display.display(msg, { color: 'skip' });
  }

  handlerNotified(handlerName: string, host: string): void {
    if (this.verbosity > 1) this.display.display(`NOTIFIED HANDLER ${handlerName} for ${host}`, { color: 'verbose' });
  }

  stats(stats: AggregateStats, checkMode: boolean): void {
    this.display.banner('PLAY RECAP');
    const color = this.display.color;
    for (const host of [...stats.processed.keys()].sort()) {
      const t = stats.summarize(host);
      const field = (lead: string, n: number, c: ColorName) => {
        const text = `${lead}=${String(n).padEnd(4)}`;
        return n !== 0 && color ? colorize(text, c, true) : text;
      };
      const hostColor: ColorName = t.failures || t.unreachable ? 'error' : t.changed ? 'changed' : 'ok';
      const hostText = color ? colorize(host, hostColor, true).padEnd(37) : host.padEnd(26);
      this.display.display(
        `${hostText} : ${field('ok', t.ok, 'ok')} ${field('changed', t.changed, 'changed')} ${field('unreachable', t.unreachable, 'unreachable')} ${field('failed', t.failures, 'error')} ${field('skipped', t.skipped, 'skip')} ${field('rescued', t.rescued, 'ok')} ${field('ignored', t.ignored, 'warn')}`,
      );
    }
    this.display.display('');
    if (stats.custom.size > 0 && this.options.showCustomStats) {
      this.display.banner('CUSTOM STATS: ');
      for (const host of [...stats.custom.keys()].sort()) {
        if (host === '_run') continue;
        this.display.display(`\t${host}: ${pyJsonDumps(stats.custom.get(host), { sortKeys: true, indent: 1, ensureAscii: false }).replace(/\n/g, '')}`);
      }
      if (stats.custom.has('_run')) {
        this.display.display('');
        this.display.display(`\tRUN: ${pyJsonDumps(stats.custom.get('_run'), { sortKeys: true, indent: 1, ensureAscii: false }).replace(/\n/g, '')}`);
      }
      this.display.display('');
    }
    if (checkMode && this.options.checkModeMarkers) this.display.banner('DRY RUN');
  }

  close(): Promise<void> {
    return this.display.drain();
  }
}
