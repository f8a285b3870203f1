// After each task: any_errors_fatal and max_fail_percentage can end the batch for all hosts.
import type { TaskOutcome } from '../host-iterator.js';
import type { PlayIteration } from '../play-iteration.js';
import { pythonTruthy } from '../../playbook/field-conversion.js';
import type { Task } from '../../playbook/task.js';

function percentOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' ? parseFloat(value.replace('%', '')) : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** True when the batch must stop (hosts are marked failed and "NO MORE HOSTS LEFT" shown). */
export function anyErrorsFatalCheck(iteration: PlayIteration, task: Task, group: string[], outcomes: Map<string, TaskOutcome>): boolean {
  const { run } = iteration;
  // A failure that a rescue or always section handles (the host walks on) is none yet.
  const failedNow = group.filter((h) => outcomes.get(h)?.failed && !run.unreachableHosts.has(h) && iteration.iterators.get(h)?.done);
  const unreachableNow = group.filter((h) => run.unreachableHosts.has(h));
  // Ansible's linear strategy reads these keywords as written (their truth, untemplated),
  // and a task that ran once for all hosts counts as any_errors_fatal.
  const fatal = task.inherited('any_errors_fatal');
  const anyErrorsFatal = (fatal === undefined ? run.options.anyErrorsFatal : pythonTruthy(fatal)) || iteration.ranOnce.has(task);
  const ignoreErrors = pythonTruthy(task.inherited('ignore_errors'));
  if (anyErrorsFatal && !ignoreErrors && (failedNow.length > 0 || unreachableNow.length > 0)) {
    for (const host of iteration.activeHosts()) iteration.stopHost(host, true);
    iteration.broken = true;
    run.callbacks.noHostsRemaining();
    return true;
  }
  const maxFail = percentOf(iteration.play.keywords.max_fail_percentage);
  if (maxFail !== undefined && group.length > 0) {
    const failed = iteration.hosts.filter((h) => run.failedHosts.has(h) || iteration.iterators.get(h)!.failed).length;
    if (failed / iteration.hosts.length > maxFail / 100) {
      for (const host of iteration.activeHosts()) iteration.stopHost(host, true);
      iteration.broken = true;
      // Ansible announces it twice here: once for the percentage, once because no host is left.
      run.callbacks.noHostsRemaining();
      run.callbacks.noHostsRemaining();
      return true;
    }
  }
  return false;
}
