// Loading that would never end: a tasks file that imports itself (directly or through
// other files or roles), a role that depends on itself, includes nested without end.
// Ansible runs into Python's recursion limit on these (a "recursion loop" error for
// roles, a crash for imports); tsplay finds the loop and names it.
import { relative } from 'node:path';
import { TsplayError, type SourcePosition } from '../../errors.js';
import { IncludedBlock } from '../block.js';
import type { PlaybookNode } from '../node.js';
import type { PlayLoadContext } from './load-context.js';

export const ROLE_RECURSION_MESSAGE =
  'A recursion loop was detected with the roles specified. Make sure child roles do not have dependencies on parent roles';

/** Nested dynamic includes beyond this depth are taken for an include loop. */
export const MAX_INCLUDE_DEPTH = 200;

/** Load `file` (a tasks file) with `load`, refusing a file that is already being loaded. */
export function loadingTaskFile<T>(ctx: PlayLoadContext, file: string, pos: SourcePosition | undefined, load: () => T, viaRole = false): T {
  const stack = ctx.taskFilesLoading;
  const start = stack.indexOf(file);
  if (start !== -1) {
    const chain = [...stack.slice(start), file].map((f) => relative(ctx.basedir, f) || f).join(' -> ');
    throw new TsplayError(viaRole ? `${ROLE_RECURSION_MESSAGE} (${chain})` : `A recursion loop was detected with the tasks files imported: ${chain}`, { pos });
  }
  stack.push(file);
  try {
    return load();
  } finally {
    stack.pop();
  }
}

/**
 * Includes nested without end. Ansible runs out of Python's recursion depth and stops
 * the run (exit 1) with this message; it is no failure of the host that included.
 */
export class IncludeDepthError extends TsplayError {
  constructor() {
    super('Exceeded maximum object depth. This may have been caused by excessive role recursion. maximum recursion depth exceeded');
    this.name = 'IncludeDepthError';
  }
}

/** Refuse a task list nested in more dynamic includes than any real playbook has. */
export function checkIncludeDepth(parent: PlaybookNode): void {
  let depth = 0;
  for (let node: PlaybookNode | undefined = parent; node; node = node.parent) {
    if (node instanceof IncludedBlock && ++depth > MAX_INCLUDE_DEPTH) throw new IncludeDepthError();
  }
}
