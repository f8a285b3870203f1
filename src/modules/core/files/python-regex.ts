// Python `re` patterns and replacement templates as lineinfile, blockinfile and replace
// use them, run on JavaScript's engine: the syntax differences are translated (`(?P<n>)`,
// `\Z`, inline flags, verbose mode) and the anchors and `.` keep Python's meaning
// (`$` also before a final newline, only `\n` ends a line).
export class PythonRegexError extends Error {}

export interface PythonRegexOptions {
  multiline?: boolean;
  dotall?: boolean;
  ignorecase?: boolean;
  /** Record where each group matched (match.indices). */
  indices?: boolean;
}

/** Compile a Python pattern. The returned RegExp is global (for search from an index). */
export function pythonRegex(pattern: string, options: PythonRegexOptions = {}): RegExp {
  let multiline = options.multiline ?? false;
  let dotall = options.dotall ?? false;
  let ignorecase = options.ignorecase ?? false;
  let verbose = false;
  let source = pattern;
  // Global inline flags at the start: (?imsx)
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(source); m; m = /^\(\?([aiLmsux]+)\)/.exec(source)) {
    if (m[1]!.includes('i')) ignorecase = true;
    if (m[1]!.includes('m')) multiline = true;
    if (m[1]!.includes('s')) dotall = true;
    if (m[1]!.includes('x')) verbose = true;
    source = source.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new PythonRegexError('bad escape (end of pattern)');
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
    if (verbose && /\s/.test(ch)) continue;
    if (verbose && ch === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A ']' right after '[' or '[^' is a literal member in Python.
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') {
        out += '\\]';
        i++;
      }
    } else if (ch === '.') out += dotall ? '[\\s\\S]' : '[^\\n]';
    else if (ch === '^') out += multiline ? '(?:(?<![\\s\\S])|(?<=\\n))' : '(?<![\\s\\S])';
    else if (ch === '$') out += multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
    else if (ch === '(' && source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (ch === '(' && source.startsWith('(?P=', i)) {
      const end = source.indexOf(')', i);
      out += `\\k<${source.slice(i + 4, end)}>`;
      i = end;
    } else out += ch;
  }
  try {
    return new RegExp(out, `g${ignorecase ? 'i' : ''}${options.indices ? 'd' : ''}`);
  } catch (error) {
    throw new PythonRegexError((error as Error).message);
  }
}

/** re.search: the first match, or null. */
export function search(regex: RegExp, text: string, from = 0): RegExpExecArray | null {
  regex.lastIndex = from;
  return regex.exec(text);
}

const TEMPLATE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Python's match.expand(template): \1, \g<1>, \g<name>, escapes; unmatched groups are empty. */
export function expandTemplate(match: RegExpExecArray, template: string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = template[i + 1];
    if (next === undefined) throw new PythonRegexError('bad escape (end of pattern)');
    if (next === 'g') {
      const end = template.indexOf('>', i);
      if (template[i + 2] !== '<' || end === -1) throw new PythonRegexError('missing group name');
      const name = template.slice(i + 3, end);
      const value = /^\d+$/.test(name) ? match[Number(name)] : match.groups?.[name];
      if (/^\d+$/.test(name) ? Number(name) >= match.length : !(match.groups && name in match.groups)) {
        throw new PythonRegexError(`invalid group reference ${name}`);
      }
      out += value ?? '';
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
        if (group >= match.length) throw new PythonRegexError(`invalid group reference ${group}`);
        out += match[group] ?? '';
        i += digits.length;
      }
    } else if (next in TEMPLATE_ESCAPES) {
      out += TEMPLATE_ESCAPES[next];
      i++;
    } else if (/[A-Za-z]/.test(next)) {
      throw new PythonRegexError(`bad escape \\${next}`);
    } else {
      out += `\\${next}`;
      i++;
    }
  }
  return out;
}

/** re.subn(pattern, template, text): the new text and the number of replacements. */
export function substitute(regex: RegExp, template: string, text: string): [string, number] {
  let out = '';
  let last = 0;
  let count = 0;
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    out += text.slice(last, m.index) + expandTemplate(m, template);
    last = m.index + m[0].length;
    count++;
    if (m[0].length === 0) regex.lastIndex++;
  }
  return [out + text.slice(last), count];
}
