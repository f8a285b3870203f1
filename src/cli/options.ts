// ansible-playbook's command line, parsed without a framework: short flags may be
// bundled (-vvv, -bK), values may be attached (-f10, --forks=10) or separate.
import { TsplayError } from '../errors.js';

export interface CliOptions {
  playbooks: string[];
  inventory: string[];
  limit: string[];
  tags: string[];
  skipTags: string[];
  extraVars: string[];
  check: boolean;
  diff: boolean;
  forks: number | undefined;
  verbosity: number;
  remoteUser: string | undefined;
  become: boolean;
  becomeUser: string | undefined;
  becomeMethod: string | undefined;
  askBecomePass: boolean;
  becomePasswordFile: string | undefined;
  askPass: boolean;
  connectionPasswordFile: string | undefined;
  connection: string | undefined;
  privateKey: string | undefined;
  timeout: number | undefined;
  sshCommonArgs: string | undefined;
  sshExtraArgs: string | undefined;
  listHosts: boolean;
  listTasks: boolean;
  listTags: boolean;
  syntaxCheck: boolean;
  startAtTask: string | undefined;
  step: boolean;
  forceHandlers: boolean;
  flushCache: boolean;
  vaultIds: string[];
  vaultPasswordFiles: string[];
  askVaultPass: boolean;
  modulePath: string[];
  version: boolean;
  help: boolean;
  /** tsplay additions */
  noProgress: boolean;
  profile: boolean;
}

/** An argparse-style usage error: ansible-playbook prints usage and exits 2. */
export class UsageError extends TsplayError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
    this.name = 'UsageError';
  }
}

type Setter = (options: CliOptions, value: string) => void;

interface OptionSpec {
  names: string[];
  /** Takes a value. */
  value: boolean;
  set: Setter;
}

const flag = (names: string[], set: (o: CliOptions) => void): OptionSpec => ({ names, value: false, set: (o) => set(o) });
const valued = (names: string[], set: Setter): OptionSpec => ({ names, value: true, set });

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`argument ${name}: invalid int value: '${value}'`);
  return n;
}

const SPECS: OptionSpec[] = [
  flag(['-h', '--help'], (o) => (o.help = true)),
  flag(['--version'], (o) => (o.version = true)),
  flag(['-v', '--verbose'], (o) => o.verbosity++),
  valued(['-i', '--inventory', '--inventory-file'], (o, v) => o.inventory.push(v)),
  valued(['-l', '--limit'], (o, v) => o.limit.push(v)),
  valued(['-t', '--tags'], (o, v) => o.tags.push(v)),
  valued(['--skip-tags'], (o, v) => o.skipTags.push(v)),
  valued(['-e', '--extra-vars'], (o, v) => o.extraVars.push(v)),
  flag(['-C', '--check'], (o) => (o.check = true)),
  flag(['-D', '--diff'], (o) => (o.diff = true)),
  valued(['-f', '--forks'], (o, v) => (o.forks = positiveInt('-f/--forks', v))),
  valued(['-u', '--user'], (o, v) => (o.remoteUser = v)),
  flag(['-b', '--become'], (o) => (o.become = true)),
  valued(['--become-user'], (o, v) => (o.becomeUser = v)),
  valued(['--become-method'], (o, v) => (o.becomeMethod = v)),
  flag(['-K', '--ask-become-pass'], (o) => (o.askBecomePass = true)),
  valued(['--become-password-file', '--become-pass-file'], (o, v) => (o.becomePasswordFile = v)),
  flag(['-k', '--ask-pass'], (o) => (o.askPass = true)),
  valued(['--connection-password-file', '--conn-pass-file'], (o, v) => (o.connectionPasswordFile = v)),
  valued(['-c', '--connection'], (o, v) => (o.connection = v)),
  valued(['--private-key', '--key-file'], (o, v) => (o.privateKey = v)),
  valued(['-T', '--timeout'], (o, v) => (o.timeout = positiveInt('-T/--timeout', v))),
  valued(['--ssh-common-args'], (o, v) => (o.sshCommonArgs = v)),
  valued(['--ssh-extra-args'], (o, v) => (o.sshExtraArgs = v)),
  valued(['--sftp-extra-args'], () => undefined),
  valued(['--scp-extra-args'], () => undefined),
  flag(['--list-hosts'], (o) => (o.listHosts = true)),
  flag(['--list-tasks'], (o) => (o.listTasks = true)),
  flag(['--list-tags'], (o) => (o.listTags = true)),
  flag(['--syntax-check'], (o) => (o.syntaxCheck = true)),
  valued(['--start-at-task'], (o, v) => (o.startAtTask = v)),
  flag(['--step'], (o) => (o.step = true)),
  flag(['--force-handlers'], (o) => (o.forceHandlers = true)),
  flag(['--flush-cache'], (o) => (o.flushCache = true)),
  valued(['--vault-id'], (o, v) => o.vaultIds.push(v)),
  valued(['--vault-password-file', '--vault-pass-file'], (o, v) => o.vaultPasswordFiles.push(v)),
  flag(['-J', '--ask-vault-password', '--ask-vault-pass'], (o) => (o.askVaultPass = true)),
  valued(['-M', '--module-path'], (o, v) => o.modulePath.push(v)),
  flag(['--no-progress'], (o) => (o.noProgress = true)),
  flag(['--profile'], (o) => (o.profile = true)),
];

const BY_NAME = new Map(SPECS.flatMap((spec) => spec.names.map((name) => [name, spec] as const)));

// argparse's mutually exclusive groups (by each option's first name): the second option of
// a group on the command line is a usage error.
const EXCLUSIVE_GROUPS: readonly (readonly string[])[] = [
  ['-k', '--connection-password-file'],
  ['-K', '--become-password-file'],
];

/** Remembers the options of exclusive groups seen so far and refuses a second one. */
function exclusivityGuard(): (spec: OptionSpec) => void {
  const seen = new Map<readonly string[], OptionSpec>();
  return (spec) => {
    const group = EXCLUSIVE_GROUPS.find((names) => names.includes(spec.names[0]!));
    if (!group) return;
    const earlier = seen.get(group);
    if (earlier && earlier !== spec) throw new UsageError(`argument ${spec.names.join('/')}: not allowed with argument ${earlier.names.join('/')}`);
    seen.set(group, spec);
  };
}

export function emptyOptions(): CliOptions {
  return {
    playbooks: [], inventory: [], limit: [], tags: [], skipTags: [], extraVars: [], check: false, diff: false,
    forks: undefined, verbosity: 0, remoteUser: undefined, become: false, becomeUser: undefined,
    becomeMethod: undefined, askBecomePass: false, becomePasswordFile: undefined, askPass: false,
    connectionPasswordFile: undefined, connection: undefined, privateKey: undefined, timeout: undefined,
    sshCommonArgs: undefined, sshExtraArgs: undefined, listHosts: false, listTasks: false, listTags: false,
    syntaxCheck: false, startAtTask: undefined, step: false, forceHandlers: false, flushCache: false,
    vaultIds: [], vaultPasswordFiles: [], askVaultPass: false, modulePath: [], version: false, help: false,
    noProgress: false, profile: false,
  };
}

/** Long options may be abbreviated to any unambiguous prefix, as argparse allows. */
function longOption(name: string): OptionSpec | undefined {
  const exact = BY_NAME.get(name);
  if (exact) return exact;
  const matches = [...new Set(SPECS.filter((s) => s.names.some((n) => n.startsWith('--') && n.startsWith(name))))];
  if (matches.length > 1) {
    throw new UsageError(`ambiguous option: ${name} could match ${matches.flatMap((m) => m.names.filter((n) => n.startsWith(name))).join(', ')}`);
  }
  return matches[0];
}

export function parseCliOptions(argv: readonly string[]): CliOptions {
  const options = emptyOptions();
  const unknown: string[] = [];
  const checkExclusive = exclusivityGuard();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      options.playbooks.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      const spec = longOption(name);
      if (!spec) {
        unknown.push(arg);
        continue;
      }
      if (spec.value) {
        const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(`argument ${spec.names.join('/')}: expected one argument`);
        checkExclusive(spec);
        spec.set(options, value);
      } else {
        if (eq !== -1) throw new UsageError(`argument ${spec.names.join('/')}: ignored explicit argument '${arg.slice(eq + 1)}'`);
        checkExclusive(spec);
        spec.set(options, '');
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // Bundled short flags: -vvv, -bK, -f10, -i inv
      for (let j = 1; j < arg.length; j++) {
        const spec = BY_NAME.get(`-${arg[j]}`);
        if (!spec) {
          unknown.push(arg);
          break;
        }
        if (spec.value) {
          const rest = arg.slice(j + 1);
          const value = rest !== '' ? rest : argv[++i];
          if (value === undefined) throw new UsageError(`argument ${spec.names.join('/')}: expected one argument`);
          checkExclusive(spec);
          spec.set(options, value);
          break;
        }
        checkExclusive(spec);
        spec.set(options, '');
      }
      continue;
    }
    options.playbooks.push(arg);
  }
  if (options.help || options.version) return options;
  if (unknown.length > 0) throw new UsageError(`unrecognized arguments: ${unknown.join(' ')}`);
  if (options.playbooks.length === 0) throw new UsageError('the following arguments are required: playbook');
  if (options.forks !== undefined && options.forks < 1) throw new UsageError('The number of processes (--forks) must be >= 1');
  if (options.askVaultPass && options.vaultPasswordFiles.length > 0) {
    throw new UsageError('argument --vault-password-file/--vault-pass-file: not allowed with argument --ask-vault-password/--ask-vault-pass');
  }
  return options;
}

export const USAGE = `usage: tsplay [-h] [--version] [-v] [-i INVENTORY] [-l SUBSET] [-e EXTRA_VARS]
              [-t TAGS] [--skip-tags SKIP_TAGS] [-C] [-D] [-f FORKS]
              [-u REMOTE_USER] [-c CONNECTION] [-T TIMEOUT] [--private-key PRIVATE_KEY_FILE]
              [--ssh-common-args SSH_COMMON_ARGS] [--ssh-extra-args SSH_EXTRA_ARGS]
              [-b] [--become-method BECOME_METHOD] [--become-user BECOME_USER]
              [-K | --become-password-file BECOME_PASSWORD_FILE]
              [-k | --connection-password-file CONNECTION_PASSWORD_FILE]
              [--vault-id VAULT_IDS] [--ask-vault-password | --vault-password-file VAULT_PASSWORD_FILES]
              [--list-hosts] [--list-tasks] [--list-tags] [--syntax-check]
              [--start-at-task START_AT_TASK] [--step] [--force-handlers] [--flush-cache]
              [--no-progress] [--profile]
              playbook [playbook ...]`;

export const HELP = `${USAGE}

Runs Ansible playbooks with tsplay: the same playbooks, inventories, roles, output and
exit codes as ansible-playbook.

positional arguments:
  playbook              one or more playbook files

options:
  -h, --help            show this help and exit
  --version             show the version, the configuration file in use and exit
  -v, --verbose         more output; repeat for more (-vvv shows full results, -vvvv connections)
  -i, --inventory INVENTORY
                        inventory file, directory or comma separated host list (repeatable)
  -l, --limit SUBSET    restrict the hosts to this pattern (or @file of host names)
  -e, --extra-vars EXTRA_VARS
                        extra variables: key=value, YAML/JSON, or @file (repeatable)
  -t, --tags TAGS       run only plays and tasks with these tags
  --skip-tags SKIP_TAGS skip plays and tasks with these tags
  -C, --check           dry run: report what would change, change nothing
  -D, --diff            show the differences in changed files and templates
  -f, --forks FORKS     how many hosts are worked on at once (default 5)
  --list-hosts          list the hosts each play would run on
  --list-tasks          list the tasks that would run
  --list-tags           list the tags of the tasks
  --syntax-check        check the playbooks without running them
  --start-at-task START_AT_TASK
                        start at the first task with this name (glob patterns allowed)
  --step                confirm each task before running it
  --force-handlers      run notified handlers even on hosts that failed
  --flush-cache         forget cached facts of every host
  --vault-id VAULT_IDS  vault identity (label@source)
  --vault-password-file VAULT_PASSWORD_FILES
                        file (or executable script) holding the vault password
  -J, --ask-vault-password
                        prompt for the vault password
  --no-progress         no live progress lines on a terminal
  --profile             print the slowest tasks and the total time after the recap

connection options:
  -u, --user REMOTE_USER
                        connect as this user
  -c, --connection CONNECTION
                        connection type: smart, ssh, paramiko or local (default smart)
  -T, --timeout TIMEOUT connection timeout in seconds (default 10)
  --private-key PRIVATE_KEY_FILE
                        private key file for SSH
  --ssh-common-args SSH_COMMON_ARGS
                        -o options for every SSH connection (e.g. ProxyJump)
  --ssh-extra-args SSH_EXTRA_ARGS
                        more -o options for SSH connections
  -k, --ask-pass        prompt for the connection password

privilege escalation options:
  -b, --become          run tasks with become
  --become-method BECOME_METHOD
                        sudo (default) or su
  --become-user BECOME_USER
                        user to become (default root)
  -K, --ask-become-pass prompt for the become password
  --become-password-file BECOME_PASSWORD_FILE
                        file holding the become password`;
