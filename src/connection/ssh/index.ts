// The SSH transport: what the executor needs to reach a host over SSH.
import type { Connection } from '../connection.js';
import { createSshConnection } from './ssh-connection.js';
import { sshSettingsFromVars, type SshDefaults, type SshSettings } from './settings.js';

export { SshConnection, createSshConnection } from './ssh-connection.js';
export { sshSettingsFromVars, ansibleBoolean, type SshSettings, type SshDefaults } from './settings.js';

/**
 * A factory for the executor's connection pool: the host's templated variables win over
 * the run's defaults (CLI -u, --private-key, -T, --ssh-common-args, ansible.cfg), as in
 * Ansible. `extra` reaches every connection (a warning sink, maxSessions...).
 */
export function sshConnectionFactory(
  defaults: SshDefaults = {},
  extra: Partial<Pick<SshSettings, 'onWarning' | 'onVerbose' | 'maxSessions' | 'keepaliveIntervalMs' | 'configFiles' | 'agentSocket' | 'home'>> = {},
): (settings: { host: string; vars: Readonly<Record<string, unknown>> }) => Connection {
  return ({ host, vars }) => createSshConnection(host, { ...sshSettingsFromVars({ inventory_hostname: host, ...vars }, defaults), ...extra });
}
