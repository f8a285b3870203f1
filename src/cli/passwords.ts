// The run's connection and become passwords, as ansible-playbook gets them before it loads
// anything: asked for with -k / -K (or ask_pass / become_ask_pass), else read from
// --connection-password-file / --become-password-file (or connection_password_file /
// become_password_file in ansible.cfg, ANSIBLE_*_PASSWORD_FILE). A password file is
// read whole and stripped; an executable one is run and its output is the password; "-"
// is standard input. Host variables (ansible_become_password...) still win over these.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/index.js';
import { expandUser } from '../config/paths.js';
import { TsplayError } from '../errors.js';
import { pyBytesRepr, pyOsError } from '../template/python/os-error.js';
import type { Prompter } from '../vault/index.js';
import type { CliOptions } from './options.js';
import { isExecutable, stripBytes, WHITESPACE } from '../vault/password-sources.js';

export interface RunPasswords {
  connection: string | undefined;
  become: string | undefined;
}

export interface PasswordContext {
  cwd: string;
  home: string;
  prompter: Prompter;
  verbose: (level: number, message: string) => void;
  /** All of standard input, for a password file named "-". */
  readStdin: () => Buffer;
}

/** The absolute path the CLI makes of a file name (~ expanded, symlinks resolved); "-" stays. */
function passwordFilePath(name: string, context: PasswordContext): string {
  if (name === '-') return name;
  const path = resolve(context.cwd, expandUser(name, context.home));
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The password a password file holds (Ansible's CLI.get_password_from_file). */
export function passwordFromFile(name: string, context: PasswordContext): string {
  const path = passwordFilePath(name, context);
  let secret: Buffer;
  if (path === '-') {
    secret = context.readStdin();
  } else if (!existsSync(path)) {
    throw new TsplayError(`The password file ${path} was not found`);
  } else if (isExecutable(path)) {
    context.verbose(4, `The password file ${path} is a script.`);
    const run = spawnSync(path, [], { cwd: context.cwd, stdio: ['inherit', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    if (run.error) {
      throw new TsplayError(
        `Problem occured when trying to run the password script ${path} (${pyOsError(run.error, path)}). If this is not a script, remove the executable bit from the file.`,
      );
    }
    if (run.status !== 0) {
      throw new TsplayError(`The password script ${path} returned an error (rc=${run.status ?? -1}): ${pyBytesRepr(run.stderr ?? Buffer.alloc(0))}`);
    }
    secret = run.stdout;
  } else {
    try {
      secret = stripBytes(readFileSync(path), WHITESPACE);
    } catch (error) {
      throw new TsplayError(`Could not read password file ${path}: ${pyOsError(error, path)}`);
    }
  }
  secret = stripBytes(secret, '\r\n');
  if (secret.length === 0) throw new TsplayError(`Empty password was provided from file (${path})`);
  return secret.toString('utf8');
}

/**
 * Asks for or reads the passwords the options call for (Ansible's ask_passwords): the
 * connection password first, then the become one, which defaults to the connection
 * password when both are asked for and the answer is empty. The end of the input stops
 * the asking.
 */
export async function runPasswords(cli: CliOptions, config: Config, context: PasswordContext): Promise<RunPasswords> {
  const passwords: RunPasswords = { connection: undefined, become: undefined };
  const askPass = cli.askPass || config.askPass;
  const askBecomePass = cli.askBecomePass || config.becomeAskPass;
  const connectionFile = cli.connectionPasswordFile ?? config.connectionPasswordFile ?? undefined;
  const becomeFile = cli.becomePasswordFile ?? config.becomePasswordFile ?? undefined;
  const method = config.agnosticBecomePrompt ? 'BECOME' : (cli.becomeMethod ?? config.becomeMethod).toUpperCase();
  let becomePrompt = `${method} password: `;
  if (askPass) {
    const answer = await context.prompter.secret('SSH password: ');
    if (answer === null) return passwords;
    passwords.connection = answer;
    becomePrompt = `${method} password[defaults to SSH password]: `;
  } else if (connectionFile) {
    passwords.connection = passwordFromFile(connectionFile, context);
  }
  if (askBecomePass) {
    const answer = await context.prompter.secret(becomePrompt);
    if (answer === null) return passwords;
    passwords.become = askPass && answer === '' ? passwords.connection : answer;
  } else if (becomeFile) {
    passwords.become = passwordFromFile(becomeFile, context);
  }
  return passwords;
}
