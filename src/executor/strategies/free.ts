// The free strategy: each host runs through the play as fast as it can, bounded by forks;
// no host waits for another.
import { META_ACTIONS } from '../../playbook/keywords.js';
import type { PlayIteration } from '../play-iteration.js';

export async function runFree(iteration: PlayIteration): Promise<void> {
  await Promise.all(
    iteration.hosts.map(async (host) => {
      const iterator = iteration.iterators.get(host)!;
      for (let next = iterator.peek(); next && !iteration.run.signal.aborted; next = iterator.peek()) {
        const { task } = next;
        const outcomes = META_ACTIONS.has(task.action)
          ? await iteration.runMeta(task, [host])
          : await iteration.runTask(task, [host], task.isHandler ? 'RUNNING HANDLER' : 'TASK');
        if (iterator.done) break;
        iterator.advance(outcomes.get(host) ?? { failed: false });
      }
      iteration.finishHost(host);
    }),
  );
}
