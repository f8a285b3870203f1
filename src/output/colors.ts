// ANSI colours as Ansible's default theme uses them; only on a TTY unless forced.
export const COLOR = {
  ok: '0;32',
  changed: '0;33',
  error: '0;31',
  skip: '0;36',
  unreachable: '1;31',
  warn: '1;35',
  debug: '1;30',
  verbose: '0;34',
  deprecate: '1;35',
  diffAdd: '0;32',
  diffRemove: '0;31',
  diffLines: '0;36',
  highlight: '1;37',
} as const;

export type ColorName = keyof typeof COLOR;

/** Colour every line separately, as Ansible does, so multi-line text stays coloured in pagers. */
export function colorize(text: string, color: ColorName | undefined, enabled: boolean): string {
  if (!enabled || !color) return text;
  const code = COLOR[color];
  return text
    .split('\n')
    .map((line) => `\u001b[${code}m${line}\u001b[0m`)
    .join('\n');
}

/** Whether output should be coloured: a TTY, unless NO_COLOR/ANSIBLE_NOCOLOR; FORCE_COLOR wins. */
export function shouldColor(stream: NodeJS.WriteStream, options: { noColor: boolean; forceColor: boolean }): boolean {
  if (options.forceColor) return true;
  if (options.noColor) return false;
  return stream.isTTY === true;
}
