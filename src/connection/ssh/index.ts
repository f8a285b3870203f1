// The SSH transport: what the executor needs to reach a host over SSH.
export { SshConnection, createSshConnection } from './ssh-connection.js';
export { sshSettingsFromVars, ansibleBoolean, type SshSettings, type SshDefaults } from './settings.js';
