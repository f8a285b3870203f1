// Opens an authenticated ssh2 client to an endpoint: directly, through a chain of
// jump hosts (ProxyJump, forwarded channels on shared jump connections, no ssh
// binary), or through a ProxyCommand. Failures are ConnectFailure errors worded like
// ssh's own messages, which Ansible shows after "Failed to connect to the host via ssh:".
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import ssh2, { type Client, type ClientChannel, type ConnectConfig } from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader gives only its default export.
const { Client: SshClient } = ssh2;
import { planAuthentication } from './auth.js';
import { resolveEndpoint, type Endpoint, type JumpHop } from './endpoint.js';
import { HostKeyPolicy } from './host-key-policy.js';
import type { SshConfigFile } from './ssh-config.js';
import type { SshOption } from './ssh-options.js';
import { ignoreHostKeyAnnouncements, sendWithoutDelay } from './ssh2-extensions.js';

export class ConnectFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectFailure';
  }
}

export interface ConnectContext {
  config: readonly SshConfigFile[];
  home: string;
  localUser: string;
  agentSocket: string | undefined;
  /** Options jump hosts fall back on when their own config does not set them (host key policy, timeouts). */
  jumpFallbacks: readonly SshOption[];
  /** Identity files of the target, also offered to jump hosts after their own. */
  jumpIdentityFiles: readonly string[];
  /** Keepalive interval when the endpoint sets no ServerAliveInterval. */
  defaultKeepaliveMs: number;
  connectTimeoutMs: number;
  onWarning: (message: string) => void;
}

export interface OpenedClient {
  client: Client;
  /** Closes the client and releases the jump hosts it went through. */
  release(): void;
}

export async function openClient(endpoint: Endpoint, context: ConnectContext, password?: string): Promise<OpenedClient> {
  let sock: Duplex | undefined;
  let releaseVia = () => {};
  if (endpoint.proxyJump.length > 0) {
    const hops = endpoint.proxyJump;
    const last = hops[hops.length - 1]!;
    const via = await jumpHosts.acquire(jumpEndpoint(last, hops.slice(0, -1), context), context);
    releaseVia = via.release;
    try {
      sock = await forward(via.client, endpoint, last.host);
    } catch (error) {
      releaseVia();
      throw error;
    }
  } else if (endpoint.proxyCommand !== undefined) {
    sock = proxyCommandStream(endpoint.proxyCommand);
  }
  try {
    const client = await connectSsh(endpoint, context, password, sock);
    let released = false;
    client.once('close', () => {
      if (!released) {
        released = true;
        releaseVia();
      }
    });
    return {
      client,
      release: () => {
        client.end();
        if (!released) {
          released = true;
          releaseVia();
        }
      },
    };
  } catch (error) {
    sock?.destroy();
    releaseVia();
    throw error;
  }
}

function jumpEndpoint(hop: JumpHop, before: JumpHop[], context: ConnectContext): Endpoint {
  const commandLine: SshOption[] = [];
  if (hop.user !== undefined) commandLine.push({ key: 'user', value: hop.user, source: 'ProxyJump' });
  if (hop.port !== undefined) commandLine.push({ key: 'port', value: String(hop.port), source: 'ProxyJump' });
  if (before.length > 0) {
    const spec = before.map((h) => `${h.user !== undefined ? `${h.user}@` : ''}${h.host}${h.port !== undefined ? `:${h.port}` : ''}`).join(',');
    commandLine.push({ key: 'proxyjump', value: spec, source: 'ProxyJump' });
  }
  const endpoint = resolveEndpoint({
    name: hop.host,
    commandLine,
    fallbacks: context.jumpFallbacks,
    config: context.config,
    home: context.home,
    localUser: context.localUser,
    agentSocket: context.agentSocket,
  });
  for (const file of context.jumpIdentityFiles) if (!endpoint.identityFiles.includes(file)) endpoint.identityFiles.push(file);
  return endpoint;
}

function forward(via: Client, endpoint: Endpoint, jumpName: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, endpoint.hostname, endpoint.port, (error, stream) => {
      if (error) {
        const reason = error.message.replace(/^\(SSH\) Channel open failure: /, '');
        reject(new ConnectFailure(`ssh: connect to host ${endpoint.hostname} port ${endpoint.port} through jump host ${jumpName}: open failed: ${reason}`));
      } else {
        resolve(stream);
      }
    });
  });
}

function proxyCommandStream(command: string): Duplex {
  const child = spawn('/bin/sh', ['-c', `exec ${command}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  child.on('error', (error) => stream.destroy(new ConnectFailure(`ProxyCommand failed: ${error.message}`)));
  child.on('exit', (code) => {
    if (code !== 0 && code !== null && stderr.trim()) stream.destroy(new ConnectFailure(stderr.trim()));
  });
  stream.on('close', () => child.kill());
  return stream;
}

function socketMessage(error: NodeJS.ErrnoException, endpoint: Endpoint): string {
  const where = `ssh: connect to host ${endpoint.hostname} port ${endpoint.port}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return `${where}: Connection refused`;
    case 'ETIMEDOUT':
      return `${where}: Connection timed out`;
    case 'EHOSTUNREACH':
      return `${where}: No route to host`;
    case 'ENETUNREACH':
      return `${where}: Network is unreachable`;
    case 'ENOTFOUND':
      return `ssh: Could not resolve hostname ${endpoint.hostname}: Name or service not known`;
    case 'EAI_AGAIN':
      return `ssh: Could not resolve hostname ${endpoint.hostname}: Temporary failure in name resolution`;
    case 'ECONNRESET':
      return `kex_exchange_identification: read: Connection reset by peer`;
    default:
      return error instanceof ConnectFailure ? error.message : `${where}: ${error.message}`;
  }
}

async function connectSsh(endpoint: Endpoint, context: ConnectContext, password: string | undefined, sock: Duplex | undefined): Promise<Client> {
  const policy = new HostKeyPolicy(endpoint);
  let passwordsAllowed = true;
  const auth = await planAuthentication(endpoint, password, () => passwordsAllowed);
  const timeoutMs = endpoint.connectTimeoutMs ?? context.connectTimeoutMs;
  return new Promise((resolve, reject) => {
    const client = new SshClient();
    let hostKeyFailure: string | undefined;
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      client.removeAllListeners('ready');
      client.on('error', () => undefined);
      client.end();
      sock?.destroy();
      reject(new ConnectFailure(message));
    };
    const config: ConnectConfig = {
      username: endpoint.user,
      readyTimeout: timeoutMs,
      keepaliveInterval: endpoint.serverAliveIntervalMs > 0 ? endpoint.serverAliveIntervalMs : context.defaultKeepaliveMs,
      keepaliveCountMax: endpoint.serverAliveCountMax,
      algorithms: { serverHostKey: policy.preferredAlgorithms() as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
      authHandler: auth.handler,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        const decision = policy.decide(key);
        if (decision.warning) context.onWarning(decision.warning);
        if (decision.disablePasswords) passwordsAllowed = false;
        if (!decision.accept) hostKeyFailure = decision.failure;
        verify(decision.accept);
      },
    };
    if (sock) config.sock = sock as unknown as ConnectConfig['sock'];
    else {
      config.host = endpoint.hostname;
      config.port = endpoint.port;
    }
    client.once('ready', () => {
      settled = true;
      client.removeAllListeners('error');
      // Later errors (keepalive timeout, reset) surface as 'close'; the connection handles that.
      client.on('error', () => undefined);
      resolve(client);
    });
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (hostKeyFailure !== undefined) return fail(hostKeyFailure);
      switch (error.level) {
        case 'client-socket':
          return fail(socketMessage(error, endpoint));
        case 'client-timeout':
          return fail(`ssh: connect to host ${endpoint.hostname} port ${endpoint.port}: Connection timed out during banner exchange or authentication (${timeoutMs / 1000}s)`);
        case 'client-authentication': {
          const methods = auth.serverMethods().join(',') || 'publickey';
          const notes = auth.notes.length ? ` (${auth.notes.join('; ')})` : '';
          return fail(`${endpoint.user}@${endpoint.hostname}: Permission denied (${methods}).${notes}`);
        }
        default:
          if (/before handshake/.test(error.message)) return fail('kex_exchange_identification: Connection closed by remote host');
          return fail(error instanceof ConnectFailure ? error.message : `${endpoint.hostname}: ${error.message}`);
      }
    });
    client.once('close', () => fail(hostKeyFailure ?? `Connection to ${endpoint.hostname} closed by remote host.`));
    client.connect(config);
    ignoreHostKeyAnnouncements(client);
    sendWithoutDelay(client);
  });
}

interface JumpEntry {
  opened: Promise<OpenedClient>;
  refs: number;
}

/** Jump host connections shared by every target reached through them. */
class JumpHostPool {
  private readonly entries = new Map<string, JumpEntry>();

  async acquire(endpoint: Endpoint, context: ConnectContext): Promise<{ client: Client; release: () => void }> {
    const key = `${endpoint.user}@${endpoint.hostname}:${endpoint.port} via ${endpoint.proxyJump.map((h) => `${h.user ?? ''}@${h.host}:${h.port ?? ''}`).join(',')}|${endpoint.proxyCommand ?? ''}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const opened = openClient(endpoint, context);
      const created: JumpEntry = { opened, refs: 0 };
      entry = created;
      this.entries.set(key, created);
      opened.then(
        ({ client }) => client.once('close', () => this.entries.get(key) === created && this.entries.delete(key)),
        () => this.entries.get(key) === created && this.entries.delete(key),
      );
    }
    entry.refs++;
    const current = entry;
    let opened: OpenedClient;
    try {
      opened = await current.opened;
    } catch (error) {
      current.refs--;
      const message = error instanceof Error ? error.message : String(error);
      throw new ConnectFailure(`jump host ${endpoint.name}: ${message}`);
    }
    let released = false;
    return {
      client: opened.client,
      release: () => {
        if (released) return;
        released = true;
        if (--current.refs === 0) {
          if (this.entries.get(key) === current) this.entries.delete(key);
          opened.release();
        }
      },
    };
  }
}

const jumpHosts = new JumpHostPool();
