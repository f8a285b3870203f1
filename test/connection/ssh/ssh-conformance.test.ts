// The shared connection behaviour, over SSH to a real sshd host: logged in as a
// non-root user, becoming root and another user with sudo and a password.
import { afterAll, beforeAll } from 'vitest';
import { createSshConnection } from '../../../src/connection/ssh/index.js';
import type { SshConnection } from '../../../src/connection/ssh/ssh-connection.js';
import { DEPLOY_PASSWORD, DEPLOY_USER, SshLab, type Host } from '../../harness/index.js';
import { describeConformance, type ConformanceTarget } from '../conformance.js';

const lab = SshLab.create();
let host: Host;
let conn: SshConnection;
const dir = '/srv/conformance';

beforeAll(async () => {
  host = await lab.startHost();
  lab.trust();
  conn = createSshConnection(host.hostname, lab.settings(host, { ansible_user: DEPLOY_USER }));
  await host.exec(`mkdir -p ${dir} && chmod 1777 ${dir}`);
});

afterAll(async () => {
  await conn?.close();
  await lab.stop();
});

const sudo = (user: string) => ({ method: 'sudo', user, password: DEPLOY_PASSWORD });

describeConformance('SshConnection', (): ConformanceTarget => ({
  conn,
  dir,
  loginUser: DEPLOY_USER,
  rootBecome: sudo('root'),
  other: { user: 'nobody', become: sudo('nobody') },
  inspect: (command) => host.exec(command),
}));
