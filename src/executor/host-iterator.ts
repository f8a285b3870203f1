// Walks a play's blocks for one host: tasks, then rescue when a task failed, then always;
// included tasks are spliced in right after their include. The walk is a generator that
// yields the next task and receives its outcome, so block/rescue/always semantics read as
// straight-line code. Each yielded task carries a position key (its path in the block
// tree), which the linear strategy uses to keep hosts in lockstep.
import type { Block, BlockItem } from '../playbook/block.js';
import type { Task } from '../playbook/task.js';

export interface TaskOutcome {
  /** The task failed for this host (not ignored): the walk moves to rescue/always. */
  failed: boolean;
  /** Blocks an include brought in for this host, run right after the include. */
  included?: Block[] | undefined;
}

export interface NextTask {
  task: Task;
  /** Position in the play (block tree path); equal keys mean the same spot. */
  key: readonly number[];
  /** The host is inside a block that has a rescue section (a failure is rescued). */
  rescuable: boolean;
}

type Walk = Generator<NextTask, boolean, TaskOutcome>;

export type TaskFilter = (task: Task) => boolean;

function* walkItems(items: readonly BlockItem[], key: readonly number[], rescuable: boolean, filter: TaskFilter): Walk {
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const itemKey = [...key, i];
    if (item.kind === 'block') {
      if (yield* walkBlock(item, itemKey, rescuable, filter)) return true;
      continue;
    }
    if (!filter(item)) continue;
    const outcome = yield { task: item, key: itemKey, rescuable };
    if (outcome.failed) return true;
    if (outcome.included) {
      const failed = yield* walkBlocks(outcome.included, [...itemKey, 0], rescuable, filter);
      if (failed) return true;
    }
  }
  return false;
}

function* walkBlock(block: Block, key: readonly number[], rescuable: boolean, filter: TaskFilter): Walk {
  let failed = yield* walkItems(block.block, [...key, 0], rescuable || block.rescue.length > 0, filter);
  if (failed && block.rescue.length > 0) failed = yield* walkItems(block.rescue, [...key, 1], rescuable, filter);
  const alwaysFailed = yield* walkItems(block.always, [...key, 2], rescuable, filter);
  return failed || alwaysFailed;
}

function* walkBlocks(blocks: readonly Block[], key: readonly number[], rescuable: boolean, filter: TaskFilter): Walk {
  for (let i = 0; i < blocks.length; i++) {
    if (yield* walkBlock(blocks[i]!, [...key, i], rescuable, filter)) return true;
  }
  return false;
}

/** One host's position in the play. */
export class HostIterator {
  private readonly walk: Walk;
  private pending: NextTask | undefined;
  private finished = false;
  /** The walk ended because a task failed (and nothing rescued it). */
  failed = false;

  constructor(
    readonly host: string,
    blocks: readonly Block[],
    filter: TaskFilter,
  ) {
    this.walk = walkBlocks(blocks, [], false, filter);
    this.step(undefined);
  }

  private step(outcome: TaskOutcome | undefined): void {
    const next = outcome === undefined ? this.walk.next() : this.walk.next(outcome);
    if (next.done) {
      this.pending = undefined;
      this.finished = true;
      this.failed = next.value;
    } else {
      this.pending = next.value;
    }
  }

  /** The task this host runs next, or undefined when it is done. */
  peek(): NextTask | undefined {
    return this.pending;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Report the outcome of the task peek() returned and move on. */
  advance(outcome: TaskOutcome): void {
    if (this.finished) return;
    this.step(outcome);
  }

  /** Stop walking (end_host, end_play, unreachable, any_errors_fatal). */
  stop(failed: boolean): void {
    if (this.finished) return;
    this.walk.return(failed);
    this.pending = undefined;
    this.finished = true;
    this.failed = failed;
  }
}

/** Compare position keys in document order. */
export function compareKeys(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
