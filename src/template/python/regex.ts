// Python `re` patterns and replacement templates on JS RegExp: named groups (?P<n>),
// backreferences (?P=n), inline flags, \A \Z, Python's `$` (also before a final newline),
// and `\1` / `\g<name>` replacement templates.
import { pyValueError } from '../runtime/errors.js';

export interface PyRegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
  verbose?: boolean;
}

export class PyRegexError extends Error {}

function stripVerbose(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (ch === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
      continue;
    }
    out += ch;
  }
  return out;
}

/** Compiles a Python regular expression to a JS RegExp (always global, for iteration). */
export function compilePyRegex(pattern: string, flags: PyRegexFlags = {}): RegExp {
  let source = pattern;
  const f = { ...flags };
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    if (inline[1]!.includes('i')) f.ignorecase = true;
    if (inline[1]!.includes('m')) f.multiline = true;
    if (inline[1]!.includes('s')) f.dotall = true;
    if (inline[1]!.includes('x')) f.verbose = true;
  }
  if (f.verbose) source = stripVerbose(source);
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new PyRegexError('bad escape (end of pattern)');
      i++;
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'Z') out += '(?![\\s\\S])';
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += `\\${source[++i]}`;
      continue;
    }
    if (ch === '(' && source[i + 1] === '?') {
      const rest = source.slice(i);
      const named = /^\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        i += named[0].length - 1;
        continue;
      }
      const backref = /^\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest);
      if (backref) {
        out += `\\k<${backref[1]}>`;
        i += backref[0].length - 1;
        continue;
      }
      const scoped = /^\(\?([aiLmsux]+)(-[imsx]+)?:/.exec(rest);
      if (scoped) {
        // JS has no scoped flags; apply them to the whole pattern.
        if (scoped[1]!.includes('i')) f.ignorecase = true;
        if (scoped[1]!.includes('s')) f.dotall = true;
        if (scoped[1]!.includes('m')) f.multiline = true;
        out += '(?:';
        i += scoped[0].length - 1;
        continue;
      }
      const comment = /^\(\?#[^)]*\)/.exec(rest);
      if (comment) {
        i += comment[0].length - 1;
        continue;
      }
    }
    if (ch === '$' && !f.multiline) {
      out += '(?=\\n?(?![\\s\\S]))';
      continue;
    }
    out += ch;
  }
  const jsFlags = `g${f.ignorecase ? 'i' : ''}${f.multiline ? 'm' : ''}${f.dotall ? 's' : ''}`;
  try {
    return new RegExp(out, jsFlags);
  } catch (e) {
    throw new PyRegexError((e as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}

/** A Python replacement template (`\1`, `\g<1>`, `\g<name>`, escapes) as a function of a match. */
export function pyReplacement(template: string): (match: RegExpExecArray | RegExpMatchArray) => string {
  const parts: (string | number | { name: string })[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push(literal);
    literal = '';
  };
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch !== '\\') {
      literal += ch;
      continue;
    }
    const next = template[i + 1];
    if (next === undefined) throw pyValueError('bad escape (end of pattern)');
    if (next === 'g') {
      const m = /^\\g<([^>]*)>/.exec(template.slice(i));
      if (!m) throw pyValueError('missing <');
      flush();
      parts.push(/^\d+$/.test(m[1]!) ? Number(m[1]) : { name: m[1]! });
      i += m[0].length - 1;
      continue;
    }
    if (/\d/.test(next)) {
      const m = /^\\(\d{1,2})/.exec(template.slice(i))!;
      flush();
      parts.push(Number(m[1]));
      i += m[0].length - 1;
      continue;
    }
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
    if (simple[next] !== undefined) literal += simple[next];
    else if (/[A-Za-z]/.test(next)) throw pyValueError(`bad escape \\${next}`);
    else literal += `\\${next}`;
    i++;
  }
  flush();
  return (match) =>
    parts
      .map((p) => {
        if (typeof p === 'string') return p;
        if (typeof p === 'number') {
          if (p >= match.length) throw pyValueError(`invalid group reference ${p}`);
          return match[p] ?? '';
        }
        const groups = match.groups ?? {};
        if (!(p.name in groups)) throw new Error(`unknown group name '${p.name}'`);
        return groups[p.name] ?? '';
      })
      .join('');
}

/** re.escape (Python 3.7+: only characters special in patterns). */
export function pyRegexEscape(text: string): string {
  return text.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => {
    const special: Record<string, string> = { '\t': '\\\t', '\n': '\\\n', '\r': '\\\r', '\v': '\\\v', '\f': '\\\f' };
    return special[c] ?? `\\${c}`;
  });
}

/** All non-overlapping matches, as Python's finditer (empty matches advance by one). */
export function* pyFinditer(regex: RegExp, text: string): Generator<RegExpExecArray> {
  regex.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = regex.exec(text))) {
    yield m;
    if (m[0] === '') regex.lastIndex++;
  }
}
