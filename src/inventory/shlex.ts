// Python's shlex.split (POSIX mode), which Ansible's INI inventory uses to cut a host
// line into the host pattern and its key=value variables. Kept to the state machine of
// the Python module so that quotes, escapes and `#` comments split the same way.

export class ShlexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShlexError';
  }
}

const WHITESPACE = ' \t\r\n';
const QUOTES = `'"`;
const ESCAPE = '\\';
/** Inside these quotes a backslash may escape the quote or itself. */
const ESCAPED_QUOTES = '"';

/** shlex.split(text, comments=comments, posix=True). Throws ShlexError as Python raises ValueError. */
export function shlexSplit(text: string, options: { comments?: boolean } = {}): string[] {
  const commenters = options.comments ? '#' : '';
  const out: string[] = [];
  let i = 0;

  const skipLine = () => {
    while (i < text.length && text[i] !== '\n') i++;
    if (i < text.length) i++;
  };

  for (;;) {
    let state: string = ' ';
    let escapedState = 'a';
    let token = '';
    let quoted = false;
    for (;;) {
      const ch = i < text.length ? text[i++]! : undefined;
      if (state === ' ') {
        if (ch === undefined) break;
        if (WHITESPACE.includes(ch)) {
          if (token || quoted) break;
          continue;
        }
        if (commenters.includes(ch)) {
          skipLine();
          continue;
        }
        if (ch === ESCAPE) {
          escapedState = 'a';
          state = ch;
          continue;
        }
        if (QUOTES.includes(ch)) {
          state = ch;
          continue;
        }
        token = ch;
        state = 'a';
      } else if (QUOTES.includes(state)) {
        quoted = true;
        if (ch === undefined) throw new ShlexError('No closing quotation');
        if (ch === state) {
          state = 'a';
        } else if (ch === ESCAPE && ESCAPED_QUOTES.includes(state)) {
          escapedState = state;
          state = ch;
        } else {
          token += ch;
        }
      } else if (state === ESCAPE) {
        if (ch === undefined) throw new ShlexError('No escaped character');
        // Inside quotes the backslash stays unless it escapes the quote or itself.
        if (QUOTES.includes(escapedState) && ch !== state && ch !== escapedState) token += state;
        token += ch;
        state = escapedState;
      } else {
        // state 'a': inside a word
        if (ch === undefined) break;
        if (WHITESPACE.includes(ch)) {
          state = ' ';
          if (token || quoted) break;
          continue;
        }
        if (commenters.includes(ch)) {
          skipLine();
          state = ' ';
          if (token || quoted) break;
          continue;
        }
        if (QUOTES.includes(ch)) {
          state = ch;
          continue;
        }
        if (ch === ESCAPE) {
          escapedState = 'a';
          state = ch;
          continue;
        }
        token += ch;
      }
    }
    if (!token && !quoted) return out;
    out.push(token);
  }
}
