// Host patterns as plays, --limit and ad-hoc commands write them: `a:b`, `a,b`, `a:&b`,
// `a:!b`, shell globs, `~regex`, subscripts `g[0]`, `g[-1]`, `g[0:2]`. These are the pure
// parts; matching against an inventory is in inventory.ts.
import { TsplayError } from '../errors.js';
import { parseAddress } from './address.js';

/**
 * Split a pattern string (or list of them) into single patterns. Commas separate; without
 * a comma, colons do, unless the whole string is one address (IPv6, host:port, ranges).
 */
export function splitHostPattern(pattern: string | readonly string[]): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap((p) => splitHostPattern(p));
  const text = String(pattern);
  let parts: string[];
  if (text.includes(',')) {
    parts = text.split(',');
  } else {
    try {
      parseAddress(text, true);
      parts = [text];
    } catch {
      parts = text.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
    }
  }
  return parts.map((p) => p.trim()).filter((p) => p);
}

/** Plain patterns first, then intersections (&), then exclusions (!); `all` if only those. */
export function orderPatterns(patterns: readonly string[]): string[] {
  const regular: string[] = [];
  const intersection: string[] = [];
  const exclude: string[] = [];
  for (const p of patterns) {
    if (!p) continue;
    if (p[0] === '!') exclude.push(p);
    else if (p[0] === '&') intersection.push(p);
    else regular.push(p);
  }
  if (regular.length === 0) regular.push('all');
  return [...regular, ...intersection, ...exclude];
}

export type Subscript = { start: number; end: number | undefined };

const WITH_SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

/** `web[0:2]` -> `web` and the subscript; regex patterns never take one. */
export function splitSubscript(pattern: string, warn: (message: string) => void = () => {}): { pattern: string; subscript: Subscript | undefined } {
  if (pattern[0] === '~') return { pattern, subscript: undefined };
  const m = WITH_SUBSCRIPT.exec(pattern);
  if (!m) return { pattern, subscript: undefined };
  const [, base, idx, start, sep, end] = m;
  if (idx !== undefined) return { pattern: base!, subscript: { start: Number.parseInt(idx, 10), end: undefined } };
  if (sep === '-') warn('Use [x:y] inclusive subscripts instead of [x-y] which has been removed');
  return { pattern: base!, subscript: { start: Number.parseInt(start!, 10), end: end ? Number.parseInt(end, 10) : -1 } };
}

/** Hosts selected by a subscript, with Ansible's (Python's) indexing; throws when out of range. */
export function applySubscript<T>(hosts: readonly T[], subscript: Subscript | undefined, pattern: string): T[] {
  if (hosts.length === 0 || !subscript) return [...hosts];
  let { start, end } = subscript;
  if (end) {
    if (end === -1) end = hosts.length - 1;
    return pySlice(hosts, start, end + 1);
  }
  const index = start < 0 ? hosts.length + start : start;
  if (index < 0 || index >= hosts.length) throw new TsplayError(`No hosts matched the subscripted pattern '${pattern}'`);
  return [hosts[index]!];
}

function pySlice<T>(items: readonly T[], start: number, stop: number): T[] {
  const n = items.length;
  const norm = (i: number) => (i < 0 ? Math.max(0, n + i) : Math.min(i, n));
  return items.slice(norm(start), norm(stop));
}

function escapeRegex(ch: string): string {
  return ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** fnmatch.translate: a shell glob as an anchored regular expression source. */
export function globToRegexSource(glob: string): string {
  let out = '';
  let i = 0;
  const n = glob.length;
  while (i < n) {
    const c = glob[i++]!;
    if (c === '*') {
      if (!out.endsWith('.*')) out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (j < n && glob[j] === '!') j++;
      if (j < n && glob[j] === ']') j++;
      while (j < n && glob[j] !== ']') j++;
      if (j >= n) {
        out += '\\[';
        continue;
      }
      out += charClass(glob.slice(i, j));
      i = j + 1;
    } else {
      out += escapeRegex(c);
    }
  }
  return `^(?:${out})$`;
}

function charClass(stuff: string): string {
  let negate = false;
  if (stuff[0] === '!') {
    negate = true;
    stuff = stuff.slice(1);
  }
  if (!stuff) return negate ? '.' : '(?!)';
  let body = '';
  for (let k = 0; k < stuff.length; k++) {
    const from = stuff[k]!;
    if (stuff[k + 1] === '-' && k + 2 < stuff.length) {
      const to = stuff[k + 2]!;
      if (from <= to) body += `${escapeRegex(from)}-${escapeRegex(to)}`;
      k += 2;
    } else {
      body += escapeRegex(from);
    }
  }
  if (!body) return negate ? '.' : '(?!)';
  return `[${negate ? '^' : ''}${body}]`;
}

/** A Python `re` pattern as a JS RegExp anchored at the start (re.match). */
function pythonRegex(source: string): RegExp {
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    for (const f of inline[1]!) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    source = source.slice(inline[0].length);
  }
  const js = source
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\Z/g, '$(?![\\s\\S])')
    .replace(/\\A/g, '^');
  return new RegExp(`^(?:${js})`, flags);
}

/** The matcher of one pattern (without &/! prefix): `~regex` or a glob. */
export function compileHostPattern(pattern: string): RegExp {
  try {
    return pattern[0] === '~' ? pythonRegex(pattern.slice(1)) : new RegExp(globToRegexSource(pattern), 's');
  } catch {
    throw new TsplayError(`Invalid host list pattern: ${pattern}`);
  }
}
