// Python string-literal escapes (the unicode-escape codec Jinja2 decodes string literals with).

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

/** Decodes backslash escapes as Python does; unknown escapes keep their backslash. */
export function decodePythonEscapes(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== '\\' || i === raw.length - 1) {
      out += ch;
      continue;
    }
    const next = raw[i + 1]!;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    if (next >= '0' && next <= '7') {
      const m = /^[0-7]{1,3}/.exec(raw.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(m, 8));
      i += m.length;
      continue;
    }
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLength) {
      const hex = raw.slice(i + 2, i + 2 + hexLength);
      if (hex.length !== hexLength || !/^[0-9a-fA-F]+$/.test(hex)) {
        throw new SyntaxError(`(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\${next}${'X'.repeat(hexLength)} escape`);
      }
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + hexLength;
      continue;
    }
    if (next === 'N') {
      const m = /^\{([^}]+)\}/.exec(raw.slice(i + 2));
      const named = m ? NAMED_CHARS[m[1]!.toUpperCase()] : undefined;
      if (m && named !== undefined) {
        out += named;
        i += 1 + m[0].length;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

// \N{...} names that show up in practice; the full Unicode name table is not worth shipping.
const NAMED_CHARS: Record<string, string> = {
  SPACE: ' ',
  'NO-BREAK SPACE': '\u00a0',
  'EM DASH': '\u2014',
  'EN DASH': '\u2013',
  BULLET: '\u2022',
  'LINE FEED': '\n',
  'CARRIAGE RETURN': '\r',
  'CHARACTER TABULATION': '\t',
  'DEGREE SIGN': '\u00b0',
  'COPYRIGHT SIGN': '\u00a9',
};
