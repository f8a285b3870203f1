// ssh_config files (~/.ssh/config, /etc/ssh/ssh_config): Host and Match blocks,
// Include, first value wins. Only what a connection needs is interpreted; unknown
// keywords are kept and ignored, as ssh ignores options it does not use.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { matchPatternList, wildcardMatch } from './host-patterns.js';
import { parseOptionAssignment } from './ssh-args.js';
import type { SshOptions } from './ssh-options.js';

type Condition =
  | { kind: 'always' }
  | { kind: 'host'; patterns: string[] }
  | { kind: 'match'; criteria: [string, string | undefined][] };

interface Block {
  condition: Condition;
  options: { key: string; value: string; source: string }[];
}

export interface SshConfigFile {
  path: string;
  blocks: Block[];
}

export interface MatchContext {
  /** The host name as given (what Host patterns match). */
  host: string;
  localUser: string;
}

/** What Match criteria see: the values obtained so far, as ssh evaluates them while reading. */
interface MatchState extends MatchContext {
  hostname: string;
  user: string;
}

/** Splits a config line's arguments: whitespace-separated, double quotes group. */
function splitArguments(text: string): string[] {
  const args: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m;
  while ((m = re.exec(text)) !== null) args.push(m[1] ?? m[2]!);
  return args;
}

function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

function globFiles(pattern: string): string[] {
  if (!/[*?]/.test(basename(pattern))) return [pattern];
  try {
    return readdirSync(dirname(pattern))
      .filter((name) => wildcardMatch(basename(pattern), name))
      .sort()
      .map((name) => join(dirname(pattern), name));
  } catch {
    return [];
  }
}

/** Loads a config file and its Includes; a missing file is an empty config. */
export function loadSshConfig(path: string, home: string, depth = 0): SshConfigFile {
  const file: SshConfigFile = { path, blocks: [] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return file;
  }
  let block: Block = { condition: { kind: 'always' }, options: [] };
  file.blocks.push(block);
  const includeBase = path.startsWith('/etc/') ? '/etc/ssh' : join(home, '.ssh');
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const assignment = parseOptionAssignment(line);
    if (!assignment) return;
    const [keyword, rest] = assignment;
    const key = keyword.toLowerCase();
    const source = `${path} line ${index + 1}`;
    if (key === 'host') {
      block = { condition: { kind: 'host', patterns: splitArguments(rest).flatMap((p) => p.split(',')) }, options: [] };
      file.blocks.push(block);
    } else if (key === 'match') {
      const words = splitArguments(rest);
      const criteria: [string, string | undefined][] = [];
      for (let i = 0; i < words.length; i++) {
        const criterion = words[i]!.toLowerCase();
        const negated = criterion.startsWith('!');
        const name = negated ? criterion.slice(1) : criterion;
        const takesArgument = !['all', 'canonical', 'final'].includes(name);
        criteria.push([criterion, takesArgument ? words[++i] : undefined]);
      }
      block = { condition: { kind: 'match', criteria }, options: [] };
      file.blocks.push(block);
    } else if (key === 'include') {
      if (depth > 8) return;
      for (const pattern of splitArguments(rest)) {
        const expanded = expandHome(pattern, home);
        for (const included of globFiles(isAbsolute(expanded) ? expanded : join(includeBase, expanded))) {
          // Included files' blocks apply under the including block's condition.
          for (const inner of loadSshConfig(included, home, depth + 1).blocks) {
            file.blocks.push(inner.condition.kind === 'always' ? { condition: block.condition, options: inner.options } : inner);
          }
        }
      }
      block = { condition: block.condition, options: [] };
      file.blocks.push(block);
    } else {
      const values = key === 'identityfile' || key === 'proxycommand' || key === 'hostname' ? [rest.replace(/^"(.*)"$/, '$1')] : [rest];
      for (const value of values) block.options.push({ key, value, source });
    }
  });
  return file;
}

function conditionHolds(condition: Condition, context: MatchState): boolean {
  if (condition.kind === 'always') return true;
  if (condition.kind === 'host') return matchPatternList(condition.patterns, context.host);
  for (const [criterion, argument] of condition.criteria) {
    const negated = criterion.startsWith('!');
    const name = negated ? criterion.slice(1) : criterion;
    const list = (argument ?? '').split(',');
    let result: boolean;
    switch (name) {
      case 'all':
        result = true;
        break;
      case 'host':
        result = matchPatternList(list, context.hostname);
        break;
      case 'originalhost':
        result = matchPatternList(list, context.host);
        break;
      case 'user':
        result = matchPatternList(list, context.user);
        break;
      case 'localuser':
        result = matchPatternList(list, context.localUser);
        break;
      default:
        // canonical, final, exec, localnetwork, tagged: not evaluated here.
        result = false;
    }
    if (result === negated) return false;
  }
  return true;
}

/** Adds the options of every block that applies to the host, in file order. */
export function applySshConfig(file: SshConfigFile, context: MatchContext, into: SshOptions): void {
  for (const block of file.blocks) {
    const state = { ...context, hostname: into.get('hostname') ?? context.host, user: into.get('user') ?? context.localUser };
    if (!conditionHolds(block.condition, state)) continue;
    for (const option of block.options) into.add(option.key, option.value, option.source);
  }
}
