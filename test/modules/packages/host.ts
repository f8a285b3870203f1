// One isolated host (own root filesystem, real sshd on a loopback address) for the
// package, service and system module tests: installing a package or adding a user
// there changes nothing on this machine. Modules reach it over the SSH connection.
import { createSshConnection } from '../../../src/connection/ssh/index.js';
import type { SshConnection } from '../../../src/connection/ssh/ssh-connection.js';
import type { ModuleDefinition, ModuleResult } from '../../../src/modules/module.js';
import { SshLab, type Host } from '../../harness/index.js';
import { runModule, testContext } from '../helpers.js';

export interface IsolatedHost {
  host: Host;
  conn: SshConnection;
  /** Runs a module on the host: check and diff as asked. */
  run(module: ModuleDefinition<never>, args: Record<string, unknown>, options?: { check?: boolean; diff?: boolean }): Promise<ModuleResult>;
  /** A shell command as root inside the host, not through the module code. */
  sh(command: string): Promise<{ rc: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function startIsolatedHost(): Promise<IsolatedHost> {
  const lab = SshLab.create();
  const host = await lab.startHost();
  lab.trust();
  const conn = createSshConnection(host.hostname, lab.settings(host));
  return {
    host,
    conn,
    run: (module, args, options = {}) =>
      runModule(module, args, testContext({ connection: conn, checkMode: options.check ?? false, diffMode: options.diff ?? false })),
    sh: (command) => host.exec(command),
    async stop() {
      await conn.close();
      await lab.stop();
    },
  };
}
