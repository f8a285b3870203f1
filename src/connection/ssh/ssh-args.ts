// Reads the ssh command-line options Ansible users put in ssh_args, ssh_common_args
// and ssh_extra_args (-o Key=Value, -J, -p, -l, -i, -F, -A, -C, -q) as ssh options.
import { shlexSplit } from './shlex.js';
import type { SshOption } from './ssh-options.js';

export interface ParsedSshArgs {
  options: SshOption[];
  /** -F: use this file instead of ~/.ssh/config (and skip the system file, as ssh does). */
  configFile?: string | undefined;
}

// ssh's options that take an argument.
const WITH_ARGUMENT = new Set('BbcDEeFIiJLlmOopQRSWw'.split(''));

const LETTER_OPTIONS: Record<string, string> = { J: 'ProxyJump', p: 'Port', l: 'User', i: 'IdentityFile' };

/** "Key=Value", "Key Value" or "Key = Value" as ssh -o accepts it; quotes around the value are dropped. */
export function parseOptionAssignment(text: string): [string, string] | undefined {
  const match = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+)(.*)$/s.exec(text);
  if (!match) return undefined;
  let value = match[2]!.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return [match[1]!, value];
}

export function parseSshArgs(text: string | undefined, source: string): ParsedSshArgs {
  const result: ParsedSshArgs = { options: [] };
  if (!text) return result;
  const words = shlexSplit(text);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('-') || word === '-') continue;
    // Bundled flags like -qT, or an option with its argument attached like -p2222.
    for (let j = 1; j < word.length; j++) {
      const letter = word[j]!;
      if (!WITH_ARGUMENT.has(letter)) {
        if (letter === 'A') result.options.push({ key: 'forwardagent', value: 'yes', source });
        if (letter === 'C') result.options.push({ key: 'compression', value: 'yes', source });
        if (letter === 'q') result.options.push({ key: 'loglevel', value: 'QUIET', source });
        continue;
      }
      const attached = word.slice(j + 1);
      const argument = attached !== '' ? attached : words[++i];
      if (argument === undefined) throw new Error(`ssh option -${letter} needs an argument (in ${source}: ${text})`);
      if (letter === 'o') {
        const assignment = parseOptionAssignment(argument);
        if (!assignment) throw new Error(`bad ssh option "-o ${argument}" in ${source}`);
        result.options.push({ key: assignment[0].toLowerCase(), value: assignment[1], source });
      } else if (letter === 'F') {
        result.configFile ??= argument;
      } else if (LETTER_OPTIONS[letter] !== undefined) {
        result.options.push({ key: LETTER_OPTIONS[letter].toLowerCase(), value: argument, source });
      }
      break;
    }
  }
  return result;
}
