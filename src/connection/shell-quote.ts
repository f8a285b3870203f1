// Quoting for POSIX sh, as Python's shlex.quote does it: safe words stay bare,
// everything else goes in single quotes with embedded quotes spliced in.
const SAFE = /^[\w@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
