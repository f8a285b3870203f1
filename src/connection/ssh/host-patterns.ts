// ssh's host patterns (ssh_config Host lines, known_hosts host fields): `*` and `?`
// wildcards, `!` negation, comma- or space-separated lists, case-insensitive.

export function wildcardMatch(pattern: string, text: string): boolean {
  const source = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(text.toLowerCase());
}

/** True when some positive pattern matches and no negated one does. */
export function matchPatternList(patterns: readonly string[], text: string): boolean {
  let matched = false;
  for (const raw of patterns) {
    if (raw.startsWith('!')) {
      if (wildcardMatch(raw.slice(1), text)) return false;
    } else if (wildcardMatch(raw, text)) {
      matched = true;
    }
  }
  return matched;
}
