// encrypt_string's output: each string as a `!vault |` YAML block, ten spaces in, named
// `name: !vault |` when a name was given, blocks separated by a line break and no line
// break at the end (as ansible-vault prints them, ready to paste under a key).
export const BLOCK_INDENT = 10;

export type StringOrigin = 'the interactive prompt' | 'stdin' | 'the command line args';

export interface StringToEncrypt {
  plaintext: Buffer;
  origin: StringOrigin;
  name: string | undefined;
}

export function formatVaultYaml(vaultText: string, name?: string): string {
  const lines = [`${name ? `${name}: ` : ''}!vault |`];
  for (const line of vaultText.split('\n')) if (line !== '') lines.push(`${' '.repeat(BLOCK_INDENT)}${line}`);
  return lines.join('\n');
}

/** The stderr note that tells several encrypted strings apart. */
export function describeString(item: StringToEncrypt, index: number): string {
  return item.name
    ? `# The encrypted version of variable ("${item.name}", the string #${index + 1} from ${item.origin}).\n`
    : `# The encrypted version of the string #${index + 1} from ${item.origin}.)\n`;
}

/** Command-line strings paired with the --name options in order; extra strings get none. */
export function nameArgs(args: readonly string[], names: readonly string[]): [string | undefined, string][] {
  return args.map((arg, index) => [names[index], arg]);
}
