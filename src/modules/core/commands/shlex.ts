// Python's shlex.split() in POSIX mode, which the command and script modules use to cut
// their free-form text into argv: quotes group, a backslash escapes outside single
// quotes (inside double quotes only before `"` or `\`), nothing else is interpreted.
const WHITESPACE = ' \t\r\n';

export class ShlexError extends Error {}

export function shlexSplit(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\') {
        if (i + 1 >= text.length) throw new ShlexError('No closing quotation');
        const next = text[++i]!;
        word += next === '"' || next === '\\' ? next : `\\${next}`;
      } else word += ch;
    } else if (WHITESPACE.includes(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) throw new ShlexError('No escaped character');
      word += text[++i];
      inWord = true;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new ShlexError('No closing quotation');
  if (inWord) words.push(word);
  return words;
}
