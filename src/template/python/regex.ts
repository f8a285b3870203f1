// Python `re` on JavaScript's RegExp, for the template filters and tests and for the modules
// that take patterns (lineinfile, replace, blockinfile, find, assemble): the syntax
// differences are translated ((?P<n>), (?P=n), \A, \Z, inline and scoped flags, comments,
// verbose mode) and the anchors and `.` keep Python's meaning (`$` also before a final
// newline, only `\n` ends a line). Replacement templates are Python's (`\1`, `\g<name>`,
// octal and character escapes).
export interface PyRegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
  verbose?: boolean;
  /** Record where each group matched (match.indices). */
  indices?: boolean;
}

/** What Python's re module raises as re.error. */
export class PyRegexError extends Error {}

function applyInlineFlags(letters: string, f: PyRegexFlags): void {
  if (letters.includes('i')) f.ignorecase = true;
  if (letters.includes('m')) f.multiline = true;
  if (letters.includes('s')) f.dotall = true;
  if (letters.includes('x')) f.verbose = true;
}

/** Compiles a Python regular expression to a JS RegExp (always global, for search from an index). */
export function compilePyRegex(pattern: string, flags: PyRegexFlags = {}): RegExp {
  let source = pattern;
  const f = { ...flags };
  // Global inline flags at the start: (?imsx), possibly several groups of them.
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(source); m; m = /^\(\?([aiLmsux]+)\)/.exec(source)) {
    applyInlineFlags(m[1]!, f);
    source = source.slice(m[0].length);
  }
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
    if (f.verbose && /\s/.test(ch)) continue;
    if (f.verbose && ch === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A ']' right after '[' or '[^' is a literal member in Python.
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
        // JS has no scoped flags: they apply from here on.
        applyInlineFlags(scoped[1]!, f);
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
    if (ch === '.') out += f.dotall ? '[\\s\\S]' : '[^\\n]';
    else if (ch === '^') out += f.multiline ? '(?:(?<![\\s\\S])|(?<=\\n))' : '(?<![\\s\\S])';
    else if (ch === '$') out += f.multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
    else out += ch;
  }
  try {
    return new RegExp(out, `g${f.ignorecase ? 'i' : ''}${f.indices ? 'd' : ''}`);
  } catch (e) {
    throw new PyRegexError((e as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}

/** re.search from an index: the first match, or null. */
export function pySearch(regex: RegExp, text: string, from = 0): RegExpExecArray | null {
  regex.lastIndex = from;
  return regex.exec(text);
}

const TEMPLATE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Python's match.expand(template): \1, \g<1>, \g<name>, escapes; unmatched groups are empty. */
export function pyExpand(match: RegExpExecArray | RegExpMatchArray, template: string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = template[i + 1];
    if (next === undefined) throw new PyRegexError('bad escape (end of pattern)');
    if (next === 'g') {
      const end = template.indexOf('>', i);
      if (template[i + 2] !== '<' || end === -1) throw new PyRegexError('missing <');
      const name = template.slice(i + 3, end);
      const numbered = /^\d+$/.test(name);
      if (numbered ? Number(name) >= match.length : !(match.groups && name in match.groups)) {
        throw new PyRegexError(numbered ? `invalid group reference ${name}` : `unknown group name '${name}'`);
      }
      out += (numbered ? match[Number(name)] : match.groups?.[name]) ?? '';
      i = end;
    } else if (/[0-9]/.test(next)) {
      // Octal escape (\0, or three octal digits), else a group number of one or two digits.
      const octal = /^[0-7]{3}/.exec(template.slice(i + 1));
      if (next === '0' || octal) {
        const digits = next === '0' ? /^0[0-7]{0,2}/.exec(template.slice(i + 1))![0] : octal![0];
        out += String.fromCharCode(parseInt(digits, 8));
        i += digits.length;
      } else {
        const digits = /^[0-9]{1,2}/.exec(template.slice(i + 1))![0];
        const group = Number(digits);
        if (group >= match.length) throw new PyRegexError(`invalid group reference ${group}`);
        out += match[group] ?? '';
        i += digits.length;
      }
    } else if (next in TEMPLATE_ESCAPES) {
      out += TEMPLATE_ESCAPES[next];
      i++;
    } else if (/[A-Za-z]/.test(next)) {
      throw new PyRegexError(`bad escape \\${next}`);
    } else {
      out += `\\${next}`;
      i++;
    }
  }
  return out;
}

/** re.subn(pattern, template, text): the new text and the number of replacements. */
export function pySubn(regex: RegExp, template: string, text: string): [string, number] {
  let out = '';
  let last = 0;
  let count = 0;
  for (const m of pyFinditer(regex, text)) {
    out += text.slice(last, m.index) + pyExpand(m, template);
    last = m.index + m[0].length;
    count++;
  }
  return [out + text.slice(last), count];
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
