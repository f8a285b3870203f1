// The linear strategy: every task runs on all hosts before the next starts. Hosts that
// are elsewhere in the play (rescue, an include only some hosts took) wait their turn:
// the next task is the first, in document order from the current position, that any
// host has next — Ansible's lockstep.
import { compareKeys, type NextTask } from '../host-iterator.js';
import type { PlayIteration } from '../play-iteration.js';
import { META_ACTIONS } from '../../playbook/keywords.js';
import { anyErrorsFatalCheck } from './failure-checks.js';

export async function runLinear(iteration: PlayIteration): Promise<void> {
  let position: readonly number[] = [];
  while (!iteration.run.signal.aborted) {
    const pending: [string, NextTask][] = [];
    for (const host of iteration.hosts) {
      const next = iteration.iterators.get(host)!.peek();
      if (next) pending.push([host, next]);
    }
    if (pending.length === 0) break;

    // First pending position at or after the current one; wrap around to the earliest.
    let chosen: NextTask | undefined;
    for (const [, next] of pending) {
      if (compareKeys(next.key, position) < 0) continue;
      if (!chosen || compareKeys(next.key, chosen.key) < 0) chosen = next;
    }
    if (!chosen) for (const [, next] of pending) if (!chosen || compareKeys(next.key, chosen.key) < 0) chosen = next;
    const { task, key } = chosen!;
    position = key;
    const group = pending.filter(([, next]) => next.task === task && compareKeys(next.key, key) === 0).map(([host]) => host);

    const outcomes = META_ACTIONS.has(task.action)
      ? await iteration.runMeta(task, group)
      : await iteration.runTask(task, group, 'TASK');
    for (const host of group) {
      const iterator = iteration.iterators.get(host)!;
      if (iterator.done) {
        iteration.finishHost(host);
        continue;
      }
      iterator.advance(outcomes.get(host) ?? { failed: false });
      iteration.finishHost(host);
    }
    if (anyErrorsFatalCheck(iteration, task, group, outcomes)) break;
  }
}
