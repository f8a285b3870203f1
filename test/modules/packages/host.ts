// One isolated host (own root filesystem, real sshd on a loopback address) for the
// package, service and system module tests: installing a package or adding a user
// there changes nothing on this machine. Modules reach it over the SSH connection.
import { createSshConnection } from '../../../src/connection/ssh/index.js';
import type { SshConnection } from '../../../src/connection/ssh/ssh-connection.js';
import type { ModuleDefinition, ModuleResult } from '../../../src/modules/module.js';
import { SshLab, type Host } from '../../harness/index.js';
import { runModule, testContext } from '../helpers.js';
import { normalizeResult } from '../oracle.js';
import { runAnsible } from './ansible-oracle.js';

export interface IsolatedHost {
  host: Host;
  lab: SshLab;
  conn: SshConnection;
  /** Runs a module on the host: check and diff as asked. */
  run(module: ModuleDefinition<never>, args: Record<string, unknown>, options?: { check?: boolean; diff?: boolean }): Promise<ModuleResult>;
  /** The same module run by Ansible itself (`ansible -m`) against the same host: the oracle. */
  ansible(module: string, args: Record<string, unknown>, options?: { check?: boolean; diff?: boolean }): Promise<ModuleResult>;
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
    lab,
    conn,
    run: (module, args, options = {}) =>
      runModule(module, args, testContext({ connection: conn, checkMode: options.check ?? false, diffMode: options.diff ?? false })),
    sh: (command) => host.exec(command),
    ansible: (module, args, options = {}) => runAnsible(lab, host, module, args, options),
    async stop() {
      await conn.close();
      await lab.stop();
    },
  };
}

export interface Step {
  module: ModuleDefinition<never>;
  /** The name Ansible knows the module by. */
  ansibleName: string;
  args: Record<string, unknown>;
  check?: boolean;
  diff?: boolean;
}

/**
 * Runs the same steps with Ansible and with tsplay on the same host, `reset` (a root
 * shell script) run before each side, and returns both lists of results (normalized:
 * no invocation, no times).
 */
export async function bothSides(h: IsolatedHost, steps: readonly Step[], reset: string): Promise<{ ansible: ModuleResult[]; tsplay: ModuleResult[] }> {
  const ansible: ModuleResult[] = [];
  const tsplay: ModuleResult[] = [];
  const resetHost = async () => {
    const r = await h.sh(reset);
    if (r.rc !== 0) throw new Error(`reset failed: ${r.stderr}`);
  };
  await resetHost();
  for (const step of steps) ansible.push(await h.ansible(step.ansibleName, step.args, step));
  await resetHost();
  for (const step of steps) tsplay.push(normalizeResult(await h.run(step.module, step.args, step), '') as ModuleResult);
  return { ansible, tsplay };
}
