// Which tasks run for --tags / --skip-tags, with Ansible's special tags: always, never,
// tagged, untagged, all.

export interface TagFilter {
  /** --tags; ['all'] when none given. */
  only: readonly string[];
  /** --skip-tags */
  skip: readonly string[];
}

export const ALL_TAGS: TagFilter = { only: ['all'], skip: [] };

const UNTAGGED = 'untagged';

export function shouldRunTags(taskTags: readonly string[], filter: TagFilter): boolean {
  const tags = new Set(taskTags.length > 0 ? taskTags : [UNTAGGED]);
  const untagged = tags.size === 1 && tags.has(UNTAGGED);
  const only = new Set(filter.only);
  const skip = new Set(filter.skip);
  const intersects = (set: Set<string>) => [...tags].some((t) => set.has(t));

  let run = true;
  if (only.size > 0) {
    if (tags.has('always')) run = true;
    else if (only.has('all') && !tags.has('never')) run = true;
    else if (intersects(only)) run = true;
    else if (only.has('tagged') && !untagged && !tags.has('never')) run = true;
    else if (only.has('untagged') && untagged) run = true;
    else run = false;
  }
  if (run && skip.size > 0) {
    if (skip.has('all')) {
      if (!tags.has('always') || skip.has('always')) run = false;
    } else if (intersects(skip)) run = false;
    else if (skip.has('tagged') && !untagged) run = false;
    else if (skip.has('untagged') && untagged) run = false;
  }
  return run;
}
