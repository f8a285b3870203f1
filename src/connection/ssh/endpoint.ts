// Where and how to connect, decided as ssh decides it: command-line options first,
// then the config files' Host/Match blocks, then ssh's defaults.
import { join } from 'node:path';
import { applySshConfig, type SshConfigFile } from './ssh-config.js';
import { SshOptions, sshFlag, type SshOption } from './ssh-options.js';

export type StrictHostKeyChecking = 'yes' | 'no' | 'accept-new' | 'ask';

export interface JumpHop {
  user: string | undefined;
  host: string;
  port: number | undefined;
}

export interface Endpoint {
  /** The name as given (inventory's ansible_host, or a jump host's name). */
  name: string;
  /** What is actually dialled (HostName, else the name). */
  hostname: string;
  port: number;
  user: string;
  identityFiles: string[];
  /** True when the identity files came from the defaults (~/.ssh/id_*), not from options. */
  defaultIdentities: boolean;
  identitiesOnly: boolean;
  /** ssh-agent socket, or undefined for none. */
  identityAgent: string | undefined;
  proxyJump: JumpHop[];
  proxyCommand: string | undefined;
  strictHostKeyChecking: StrictHostKeyChecking;
  userKnownHostsFiles: string[];
  globalKnownHostsFiles: string[];
  hostKeyAlias: string | undefined;
  hashKnownHosts: boolean;
  connectTimeoutMs: number | undefined;
  serverAliveIntervalMs: number;
  serverAliveCountMax: number;
  passwordAuthentication: boolean;
  kbdInteractiveAuthentication: boolean;
  pubkeyAuthentication: boolean;
  preferredAuthentications: string[] | undefined;
  /** The option set everything above was read from (for jump hosts and messages). */
  options: SshOptions;
}

export interface EndpointInput {
  name: string;
  /** Options that win over the config files (ssh's command line). */
  commandLine: readonly SshOption[];
  /** Options used only when neither the command line nor the config files set them. */
  fallbacks?: readonly SshOption[] | undefined;
  config: readonly SshConfigFile[];
  home: string;
  localUser: string;
  /** SSH_AUTH_SOCK of the controller. */
  agentSocket: string | undefined;
}

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'];

function expandTokens(text: string, tokens: Record<string, string>): string {
  return text.replace(/%(.)/g, (whole, letter: string) => (letter === '%' ? '%' : (tokens[letter] ?? whole)));
}

function expandPath(path: string, home: string, tokens: Record<string, string>): string {
  const expanded = expandTokens(path, tokens);
  if (expanded === '~') return home;
  return expanded.startsWith('~/') ? join(home, expanded.slice(2)) : expanded;
}

function parseNumber(option: SshOptions, key: string): number | undefined {
  const value = option.get(key);
  if (value === undefined || value.toLowerCase() === 'none') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`bad value for ssh option ${key}: ${value} (${option.getOption(key)?.source})`);
  return n;
}

/** "[user@]host[:port]" or "ssh://[user@]host[:port]", comma-separated; "none" for no jump. */
export function parseProxyJump(value: string | undefined): JumpHop[] {
  if (value === undefined || value.toLowerCase() === 'none' || value.trim() === '') return [];
  return value.split(',').map((spec) => {
    let rest = spec.trim().replace(/^ssh:\/\//, '');
    let user: string | undefined;
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      user = rest.slice(0, at);
      rest = rest.slice(at + 1);
    }
    let port: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
    if (bracketed) {
      rest = bracketed[1]!;
      if (bracketed[2]) port = Number(bracketed[2]);
    } else {
      const colon = /^([^:]+):(\d+)$/.exec(rest);
      if (colon) {
        rest = colon[1]!;
        port = Number(colon[2]);
      }
    }
    if (rest === '') throw new Error(`bad ProxyJump host: ${spec}`);
    return { user, host: rest, port };
  });
}

function splitList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(/\s+/).filter(Boolean);
}

export function resolveEndpoint(input: EndpointInput): Endpoint {
  const options = new SshOptions();
  options.addAll(input.commandLine);
  for (const file of input.config) applySshConfig(file, { host: input.name, localUser: input.localUser }, options);
  options.addAll(input.fallbacks ?? []);

  const tokensBase = { h: input.name, n: input.name, d: input.home, u: input.localUser, l: 'localhost' };
  const hostname = expandTokens(options.get('hostname') ?? input.name, tokensBase);
  const port = parseNumber(options, 'port') ?? 22;
  const user = options.get('user') ?? input.localUser;
  const tokens = { ...tokensBase, h: hostname, p: String(port), r: user };

  const explicitIdentities = options.getAll('identityfile').filter((f) => f.toLowerCase() !== 'none');
  const defaultIdentities = explicitIdentities.length === 0;
  const identityFiles = (defaultIdentities ? DEFAULT_IDENTITIES.map((f) => `~/.ssh/${f}`) : explicitIdentities).map((f) =>
    expandPath(f, input.home, tokens),
  );

  const agentOption = options.get('identityagent');
  const identityAgent =
    agentOption === undefined
      ? input.agentSocket
      : agentOption.toLowerCase() === 'none'
        ? undefined
        : agentOption === 'SSH_AUTH_SOCK'
          ? input.agentSocket
          : expandPath(agentOption.replace(/^\$/, ''), input.home, tokens);

  const strictRaw = (options.get('stricthostkeychecking') ?? 'ask').toLowerCase();
  const strictHostKeyChecking: StrictHostKeyChecking =
    strictRaw === 'no' || strictRaw === 'off' || strictRaw === 'false'
      ? 'no'
      : strictRaw === 'accept-new'
        ? 'accept-new'
        : strictRaw === 'ask'
          ? 'ask'
          : 'yes';

  // ssh keeps whichever of ProxyJump and ProxyCommand it read first.
  const jumpOption = options.getOption('proxyjump');
  const commandOption = options.getOption('proxycommand');
  const jumpFirst = jumpOption !== undefined && (commandOption === undefined || (jumpOption.order ?? 0) < (commandOption.order ?? 0));
  const proxyJump = jumpFirst ? parseProxyJump(jumpOption.value) : [];
  const proxyCommand =
    !jumpFirst && commandOption !== undefined && commandOption.value.toLowerCase() !== 'none' ? expandTokens(commandOption.value, tokens) : undefined;
  const connectTimeout = parseNumber(options, 'connecttimeout');
  const preferred = options.get('preferredauthentications');

  return {
    name: input.name,
    hostname,
    port,
    user,
    identityFiles,
    defaultIdentities,
    identitiesOnly: sshFlag(options.get('identitiesonly'), false),
    identityAgent,
    proxyJump,
    proxyCommand,
    strictHostKeyChecking,
    userKnownHostsFiles: (splitList(options.get('userknownhostsfile')) ?? ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']).map((f) =>
      expandPath(f, input.home, tokens),
    ),
    globalKnownHostsFiles: (splitList(options.get('globalknownhostsfile')) ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']).map((f) =>
      expandPath(f, input.home, tokens),
    ),
    hostKeyAlias: options.get('hostkeyalias'),
    hashKnownHosts: sshFlag(options.get('hashknownhosts'), false),
    connectTimeoutMs: connectTimeout === undefined || connectTimeout === 0 ? undefined : connectTimeout * 1000,
    serverAliveIntervalMs: (parseNumber(options, 'serveraliveinterval') ?? 0) * 1000,
    serverAliveCountMax: parseNumber(options, 'serveralivecountmax') ?? 3,
    passwordAuthentication: sshFlag(options.get('passwordauthentication'), true),
    kbdInteractiveAuthentication: sshFlag(options.get('kbdinteractiveauthentication') ?? options.get('challengeresponseauthentication'), true),
    pubkeyAuthentication: sshFlag(options.get('pubkeyauthentication'), true),
    preferredAuthentications: preferred === undefined ? undefined : preferred.split(',').map((m) => m.trim().toLowerCase()),
    options,
  };
}
