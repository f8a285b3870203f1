// One connection per host (and connection settings) for the whole run. Transports
// register a factory by name (local, ssh, ...); tasks ask for the host's connection with
// its resolved connection variables.
import type { Connection } from '../connection/connection.js';
import { LocalConnection } from '../connection/local.js';
import { TsplayError } from '../errors.js';

/** Connection variables of a host after templating (ansible_host, ansible_user, ...). */
export type ConnectionVars = Readonly<Record<string, unknown>>;

export interface ConnectionSettings {
  /** local, ssh, paramiko, smart */
  transport: string;
  /** The host's inventory name. */
  host: string;
  vars: ConnectionVars;
}

export type ConnectionFactory = (settings: ConnectionSettings) => Connection;

const factories = new Map<string, ConnectionFactory>([['local', (s) => new LocalConnection(s.host)]]);

export function registerConnectionType(names: readonly string[], factory: ConnectionFactory): void {
  for (const name of names) factories.set(name, factory);
}

/** The variables that decide where and how a connection logs in (one pooled connection per set). */
export const CONNECTION_KEYS = [
  'ansible_host', 'ansible_port', 'ansible_user', 'ansible_password', 'ansible_ssh_private_key_file',
  'ansible_ssh_common_args', 'ansible_ssh_extra_args', 'ansible_ssh_pass', 'ansible_ssh_host', 'ansible_ssh_port',
  'ansible_ssh_user', 'ansible_private_key_file', 'ansible_host_key_checking', 'ansible_ssh_host_key_checking',
  'ansible_timeout', 'ansible_ssh_timeout', 'ansible_ssh_args', 'ansible_ssh_use_tty',
];

export class ConnectionPool {
  private readonly open = new Map<string, Connection>();

  /** The connection for these settings, reused while they stay the same. */
  get(settings: ConnectionSettings): Connection {
    const key = JSON.stringify([settings.transport, settings.host, ...CONNECTION_KEYS.map((k) => settings.vars[k])]);
    let connection = this.open.get(key);
    if (!connection) {
      const transport = settings.transport === 'smart' || settings.transport === 'paramiko' ? 'ssh' : settings.transport;
      const factory = factories.get(transport);
      if (!factory) throw new TsplayError(`the connection plugin '${settings.transport}' was not found`);
      connection = factory(settings);
      this.open.set(key, connection);
    }
    return connection;
  }

  /** Drop a host's connections (it was marked unreachable, or meta: reset_connection). */
  async reset(host: string): Promise<void> {
    for (const [key, connection] of this.open) {
      if (connection.host === host) {
        this.open.delete(key);
        await connection.close().catch(() => undefined);
      }
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((c) => c.close().catch(() => undefined)));
  }
}
