// tsplay-vault's command line, parsed as ansible-vault's argparse parser does: an action
// (create, decrypt, edit, view, encrypt, encrypt_string, rekey), then the action's options
// and file names in any order. Short flags bundle (-vvv, -nNAME), long options take
// `--opt value` or `--opt=value` and may be abbreviated to an unambiguous prefix.
import { TsplayError } from '../../errors.js';
import { actionUsage, TOP_USAGE } from './help.js';

export const ACTIONS = ['create', 'decrypt', 'edit', 'view', 'encrypt', 'encrypt_string', 'rekey'] as const;
export type VaultAction = (typeof ACTIONS)[number];

export interface VaultCommandLine {
  action: VaultAction | undefined;
  /** File names, or the strings of encrypt_string. */
  args: string[];
  verbosity: number;
  help: boolean;
  version: boolean;
  vaultIds: string[];
  vaultPasswordFiles: string[];
  askVaultPass: boolean;
  encryptVaultId: string | undefined;
  outputFile: string | undefined;
  newVaultId: string | undefined;
  newVaultPasswordFile: string | undefined;
  /** encrypt_string -p: ask for the string. */
  prompt: boolean;
  showInput: boolean;
  names: string[];
  stdinName: string | undefined;
}

/** An argparse error: usage, `<prog>: error: <message>`, exit 2. */
export class VaultUsageError extends TsplayError {
  constructor(
    message: string,
    /** The usage text of the parser that complained (the action's, or the top one). */
    readonly usage: string,
    readonly prog: string,
  ) {
    super(message, { exitCode: 2 });
    this.name = 'VaultUsageError';
  }
}

type Setter = (line: VaultCommandLine, value: string) => void;

interface OptionSpec {
  names: string[];
  takesValue: boolean;
  set: Setter;
  /** Names of options this one may not be combined with (argparse mutually exclusive group). */
  group?: string;
}

const flag = (names: string[], set: (l: VaultCommandLine) => void, group?: string): OptionSpec => ({ names, takesValue: false, set: (l) => set(l), ...(group ? { group } : {}) });
const valued = (names: string[], set: Setter, group?: string): OptionSpec => ({ names, takesValue: true, set, ...(group ? { group } : {}) });

const HELP = flag(['-h', '--help'], (l) => (l.help = true));
const VERBOSE = flag(['-v', '--verbose'], (l) => l.verbosity++);
const VAULT_ID = valued(['--vault-id'], (l, v) => l.vaultIds.push(v));
const ASK_VAULT_PASS = flag(['--ask-vault-password', '--ask-vault-pass'], (l) => (l.askVaultPass = true), 'password');
const VAULT_PASSWORD_FILE = valued(['--vault-password-file', '--vault-pass-file'], (l, v) => l.vaultPasswordFiles.push(v), 'password');
const OUTPUT = valued(['--output'], (l, v) => (l.outputFile = v));
const ENCRYPT_VAULT_ID = valued(['--encrypt-vault-id'], (l, v) => (l.encryptVaultId = v));
const NEW_VAULT_PASSWORD_FILE = valued(['--new-vault-password-file'], (l, v) => (l.newVaultPasswordFile = v), 'new-password');
const NEW_VAULT_ID = valued(['--new-vault-id'], (l, v) => (l.newVaultId = v), 'new-password');
const PROMPT = flag(['-p', '--prompt'], (l) => (l.prompt = true));
const SHOW_INPUT = flag(['--show-input'], (l) => (l.showInput = true));
const NAME = valued(['-n', '--name'], (l, v) => l.names.push(v));
const STDIN_NAME = valued(['--stdin-name'], (l, v) => (l.stdinName = v));

const COMMON = [HELP, VAULT_ID, ASK_VAULT_PASS, VAULT_PASSWORD_FILE, VERBOSE];

const ACTION_OPTIONS: Record<VaultAction, OptionSpec[]> = {
  create: [...COMMON, ENCRYPT_VAULT_ID],
  edit: [...COMMON, ENCRYPT_VAULT_ID],
  encrypt: [...COMMON, OUTPUT, ENCRYPT_VAULT_ID],
  decrypt: [...COMMON, OUTPUT],
  view: COMMON,
  rekey: [...COMMON, ENCRYPT_VAULT_ID, NEW_VAULT_PASSWORD_FILE, NEW_VAULT_ID],
  encrypt_string: [...COMMON, OUTPUT, ENCRYPT_VAULT_ID, PROMPT, SHOW_INPUT, NAME, STDIN_NAME],
};

const TOP_OPTIONS = [HELP, flag(['--version'], (l) => (l.version = true)), VERBOSE];

export function emptyCommandLine(): VaultCommandLine {
  return {
    action: undefined, args: [], verbosity: 0, help: false, version: false, vaultIds: [], vaultPasswordFiles: [],
    askVaultPass: false, encryptVaultId: undefined, outputFile: undefined, newVaultId: undefined,
    newVaultPasswordFile: undefined, prompt: false, showInput: false, names: [], stdinName: undefined,
  };
}

interface Parser {
  prog: string;
  usage: string;
  options: OptionSpec[];
}

const optionName = (spec: OptionSpec) => spec.names.join('/');

/** An argument that argparse takes for an option (anything starting with '-' but '-' itself and negative numbers). */
function looksLikeOption(arg: string): boolean {
  return arg.startsWith('-') && arg !== '-' && !/^-\d+$|^-\d*\.\d+$/.test(arg);
}

function findLong(parser: Parser, name: string): OptionSpec | undefined {
  for (const spec of parser.options) if (spec.names.includes(name)) return spec;
  const matches = parser.options.flatMap((spec) => spec.names.filter((n) => n.startsWith('--') && n.startsWith(name)).map((n) => [spec, n] as const));
  if (matches.length > 1) {
    throw new VaultUsageError(`ambiguous option: ${name} could match ${matches.map(([, n]) => n).join(', ')}`, parser.usage, parser.prog);
  }
  return matches[0]?.[0];
}

/**
 * Parse `argv` with `parser`'s options, stopping (for the top parser) at the first
 * positional. Returns the index after the last consumed argument.
 */
function parseWith(parser: Parser, argv: readonly string[], start: number, line: VaultCommandLine, unknown: string[], stopAtPositional: boolean): number {
  const seenInGroup = new Map<string, OptionSpec>();
  const apply = (spec: OptionSpec, value: string) => {
    if (spec.group) {
      const earlier = seenInGroup.get(spec.group);
      if (earlier && earlier !== spec) throw new VaultUsageError(`argument ${optionName(spec)}: not allowed with argument ${optionName(earlier)}`, parser.usage, parser.prog);
      seenInGroup.set(spec.group, spec);
    }
    spec.set(line, value);
  };
  const needValue = (spec: OptionSpec, index: number): string => {
    const value = argv[index];
    if (value === undefined || looksLikeOption(value)) throw new VaultUsageError(`argument ${optionName(spec)}: expected one argument`, parser.usage, parser.prog);
    return value;
  };
  let i = start;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      if (stopAtPositional) return i + 1;
      line.args.push(...argv.slice(i + 1));
      return argv.length;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      const spec = findLong(parser, name);
      if (!spec) {
        unknown.push(arg);
        continue;
      }
      if (spec.takesValue) apply(spec, eq >= 0 ? arg.slice(eq + 1) : needValue(spec, ++i));
      else if (eq >= 0) throw new VaultUsageError(`argument ${optionName(spec)}: ignored explicit argument '${arg.slice(eq + 1)}'`, parser.usage, parser.prog);
      else apply(spec, '');
      if (line.help || line.version) return i + 1;
      continue;
    }
    if (looksLikeOption(arg)) {
      for (let j = 1; j < arg.length; j++) {
        const spec = parser.options.find((s) => s.names.includes(`-${arg[j]}`));
        if (!spec) {
          unknown.push(j === 1 ? arg : `-${arg.slice(j)}`);
          break;
        }
        if (spec.takesValue) {
          const rest = arg.slice(j + 1).replace(/^=/, '');
          apply(spec, rest !== '' ? rest : needValue(spec, ++i));
          break;
        }
        apply(spec, '');
      }
      if (line.help || line.version) return i + 1;
      continue;
    }
    if (stopAtPositional) return i;
    line.args.push(arg);
  }
  return i;
}

export function parseVaultCommandLine(argv: readonly string[]): VaultCommandLine {
  const line = emptyCommandLine();
  const unknown: string[] = [];
  const top: Parser = { prog: 'tsplay-vault', usage: TOP_USAGE, options: TOP_OPTIONS };
  const next = parseWith(top, argv, 0, line, unknown, true);
  if (line.help || line.version) return line;
  const action = argv[next];
  if (action === undefined) throw new VaultUsageError('the following arguments are required: action', top.usage, top.prog);
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new VaultUsageError(
      `argument action: invalid choice: '${action}' (choose from ${ACTIONS.map((a) => `'${a}'`).join(', ')})`,
      top.usage,
      top.prog,
    );
  }
  line.action = action as VaultAction;
  const sub: Parser = { prog: `tsplay-vault ${action}`, usage: actionUsage(line.action), options: ACTION_OPTIONS[line.action] };
  parseWith(sub, argv, next + 1, line, unknown, false);
  if (line.help) return line;
  if (unknown.length > 0) throw new VaultUsageError(`unrecognized arguments: ${unknown.join(' ')}`, top.usage, top.prog);
  return line;
}
