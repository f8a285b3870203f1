// A block: tasks with optional rescue and always sections. Every task list is a block.
import type { SourcePosition } from '../errors.js';
import { PlaybookNode, type Keywords } from './node.js';
import type { RoleInstance } from './role.js';
import type { Task } from './task.js';

export type BlockItem = Task | Block;

export class Block extends PlaybookNode {
  readonly kind = 'block';
  block: BlockItem[] = [];
  rescue: BlockItem[] = [];
  always: BlockItem[] = [];

  constructor(
    keywords: Keywords,
    parent: PlaybookNode | undefined,
    pos: SourcePosition | undefined,
    role: RoleInstance | undefined,
    /** A block the loader made to hold a task list (not written by the user). */
    readonly implicit = false,
  ) {
    super(keywords, parent, pos, role);
  }

  /** Every task in document order: block, rescue, always, recursively. */
  *tasks(): Generator<Task> {
    for (const section of [this.block, this.rescue, this.always]) {
      for (const item of section) {
        if (item.kind === 'block') yield* item.tasks();
        else yield item;
      }
    }
  }
}

/**
 * The tasks an include_tasks/include_role brought in for some hosts. It carries the
 * include's `apply` keywords and its parameters (vars at the include-params level);
 * the include's own `when` and `tags` stay on the include and are not inherited.
 */
export class IncludedBlock extends Block {
  constructor(
    keywords: Keywords,
    parent: PlaybookNode | undefined,
    pos: SourcePosition | undefined,
    role: RoleInstance | undefined,
    readonly includeParams: Readonly<Record<string, unknown>>,
    /** The file the tasks came from (for the `included:` line). */
    readonly file: string,
  ) {
    super(keywords, parent, pos, role, true);
  }
}
