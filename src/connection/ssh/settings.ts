// Connection settings the way Ansible users write them (inventory variables, CLI
// options, ansible.cfg), and their translation into ssh options in the order
// Ansible's ssh connection plugin puts them on ssh's command line (first one wins).
import { homedir, userInfo } from 'node:os';
import { TsplayError } from '../../errors.js';
import { parseSshArgs } from './ssh-args.js';
import type { SshOption } from './ssh-options.js';

export interface SshSettings {
  /** The inventory hostname (messages). */
  inventoryHost: string;
  /** The name handed to ssh: ansible_host, else the inventory hostname. ~/.ssh/config Host patterns match it. */
  host: string;
  port?: number | undefined;
  user?: string | undefined;
  password?: string | undefined;
  privateKeyFile?: string | undefined;
  /** ansible_ssh_args / [ssh_connection] ssh_args. */
  sshArgs?: string | undefined;
  /** ansible_ssh_common_args / --ssh-common-args. */
  sshCommonArgs?: string | undefined;
  /** ansible_ssh_extra_args / --ssh-extra-args. */
  sshExtraArgs?: string | undefined;
  /** Ansible's host_key_checking (true by default). */
  hostKeyChecking: boolean;
  /** Ansible's timeout: ssh's ConnectTimeout, in seconds (10 by default). */
  timeoutSeconds: number;
  /** ssh_config files, in order; ~/.ssh/config then /etc/ssh/ssh_config when unset (or the -F file). */
  configFiles?: readonly string[] | undefined;
  /** ssh-agent socket; SSH_AUTH_SOCK when unset. */
  agentSocket?: string | undefined;
  /** Home directory for ~ (the controller user's when unset). */
  home?: string | undefined;
  /** Worker sessions per host at most (sshd allows 10 sessions per connection by default). */
  maxSessions?: number | undefined;
  /** Keepalive interval when ServerAliveInterval is not set (15 s). */
  keepaliveIntervalMs?: number | undefined;
  /** Warnings worth showing (a host key added to known_hosts, a changed key accepted...). */
  onWarning?: ((message: string) => void) | undefined;
  /** Ansible's use_tty: commands that ask for a terminal (raw, script) get one (true by default). */
  useTty?: boolean | undefined;
  /** Connection debug lines (-vvv), shown as `<host> message`; none when unset. */
  onVerbose?: ((message: string, host: string) => void) | undefined;
}

/** Values from the command line and ansible.cfg; inventory variables win over them, as in Ansible. */
export interface SshDefaults {
  remoteUser?: string | undefined;
  port?: number | undefined;
  privateKeyFile?: string | undefined;
  password?: string | undefined;
  timeout?: number | undefined;
  hostKeyChecking?: boolean | undefined;
  sshArgs?: string | undefined;
  sshCommonArgs?: string | undefined;
  sshExtraArgs?: string | undefined;
  useTty?: boolean | undefined;
}

function firstVar(vars: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) {
    const value = vars[name];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

function stringVar(vars: Record<string, unknown>, names: readonly string[]): string | undefined {
  const value = firstVar(vars, names);
  return value === undefined ? undefined : String(value);
}

/** Ansible's boolean conversion (yes/no, true/false, on/off, 1/0). */
export function ansibleBoolean(value: unknown, what: string): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (['yes', 'y', 'true', 't', 'on', '1', '1.0'].includes(text)) return true;
  if (['no', 'n', 'false', 'f', 'off', '0', '0.0', ''].includes(text)) return false;
  throw new TsplayError(`The value '${String(value)}' of ${what} is not a valid boolean.`);
}

function portVar(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  const port = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TsplayError(`Invalid port '${String(value)}' in ${what}.`);
  return port;
}

/** Builds a host's SSH settings from its variables (templated) and the CLI/config defaults. */
export function sshSettingsFromVars(vars: Record<string, unknown>, defaults: SshDefaults = {}): SshSettings {
  const inventoryHost = String(vars['inventory_hostname'] ?? vars['ansible_host'] ?? 'localhost');
  const hostKeyVar = firstVar(vars, ['ansible_ssh_host_key_checking', 'ansible_host_key_checking']);
  const envChecking = process.env['ANSIBLE_HOST_KEY_CHECKING'];
  const hostKeyChecking =
    hostKeyVar !== undefined
      ? ansibleBoolean(hostKeyVar, 'ansible_host_key_checking')
      : defaults.hostKeyChecking ?? (envChecking !== undefined ? ansibleBoolean(envChecking, 'ANSIBLE_HOST_KEY_CHECKING') : true);
  const timeout = firstVar(vars, ['ansible_ssh_timeout']) ?? defaults.timeout ?? 10;
  const useTtyVar = firstVar(vars, ['ansible_ssh_use_tty']);
  return {
    inventoryHost,
    host: stringVar(vars, ['ansible_host', 'ansible_ssh_host']) ?? inventoryHost,
    port: portVar(firstVar(vars, ['ansible_port', 'ansible_ssh_port']), `ansible_port of ${inventoryHost}`) ?? defaults.port,
    user: stringVar(vars, ['ansible_user', 'ansible_ssh_user']) ?? defaults.remoteUser,
    password: stringVar(vars, ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password']) ?? defaults.password,
    privateKeyFile: stringVar(vars, ['ansible_private_key_file', 'ansible_ssh_private_key_file']) ?? defaults.privateKeyFile,
    sshArgs: stringVar(vars, ['ansible_ssh_args']) ?? defaults.sshArgs,
    sshCommonArgs: stringVar(vars, ['ansible_ssh_common_args']) ?? defaults.sshCommonArgs,
    sshExtraArgs: stringVar(vars, ['ansible_ssh_extra_args']) ?? defaults.sshExtraArgs,
    hostKeyChecking,
    timeoutSeconds: Number(timeout),
    useTty: useTtyVar !== undefined ? ansibleBoolean(useTtyVar, 'ansible_ssh_use_tty') : (defaults.useTty ?? true),
  };
}

export interface CommandLine {
  options: SshOption[];
  configFile: string | undefined;
}

/** The ssh options Ansible's ssh plugin would pass, in its order. */
export function sshCommandLine(settings: SshSettings): CommandLine {
  const options: SshOption[] = [];
  let configFile: string | undefined;
  const addArgs = (text: string | undefined, source: string) => {
    let parsed;
    try {
      parsed = parseSshArgs(text, source);
    } catch (error) {
      throw new TsplayError((error as Error).message);
    }
    options.push(...parsed.options);
    configFile ??= parsed.configFile;
  };
  const add = (key: string, value: string, source: string) => options.push({ key: key.toLowerCase(), value, source });
  addArgs(settings.sshArgs, 'ssh_args');
  if (!settings.hostKeyChecking) add('StrictHostKeyChecking', 'no', 'host_key_checking');
  if (settings.port !== undefined) add('Port', String(settings.port), 'ansible_port');
  if (settings.privateKeyFile !== undefined) add('IdentityFile', settings.privateKeyFile, 'private_key_file');
  if (settings.password === undefined) {
    add('KbdInteractiveAuthentication', 'no', 'no password');
    add('PreferredAuthentications', 'gssapi-with-mic,gssapi-keyex,hostbased,publickey', 'no password');
    add('PasswordAuthentication', 'no', 'no password');
  }
  if (settings.user !== undefined) add('User', settings.user, 'remote_user');
  add('ConnectTimeout', String(settings.timeoutSeconds), 'timeout');
  addArgs(settings.sshCommonArgs, 'ssh_common_args');
  addArgs(settings.sshExtraArgs, 'ssh_extra_args');
  return { options, configFile };
}

export function defaultConfigFiles(settings: SshSettings, commandLine: CommandLine): string[] {
  if (settings.configFiles !== undefined) return [...settings.configFiles];
  const home = settings.home ?? homedir();
  return commandLine.configFile !== undefined ? [commandLine.configFile.replace(/^~(?=\/)/, home)] : [`${home}/.ssh/config`, '/etc/ssh/ssh_config'];
}

export function localUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'root';
  }
}
