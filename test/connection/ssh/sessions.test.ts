// Several commands at once on one host: workers up to what sshd allows (MaxSessions),
// shared between the login user and become users, without losing any command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshConnection } from '../../../src/connection/ssh/index.js';
import type { SshConnection } from '../../../src/connection/ssh/ssh-connection.js';
import { NOPASSWD_USER, SshLab, type Host } from '../../harness/index.js';

const lab = SshLab.create();
let host: Host;
const connections: SshConnection[] = [];

beforeAll(async () => {
  host = await lab.startHost({ sshdOptions: { MaxSessions: 2 } });
  lab.trust();
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await lab.stop();
});

describe('sessions', () => {
  it('runs more commands than sshd allows sessions, the login user and two become users mixed', async () => {
    const conn = createSshConnection(host.hostname, lab.settings(host, { ansible_user: NOPASSWD_USER }));
    connections.push(conn);
    const users = [undefined, 'root', 'nobody'];
    const runs = Array.from({ length: 12 }, (_, i) => {
      const user = users[i % 3];
      return conn.run(`sleep 0.1; id -un; echo ${i}`, { become: user ? { method: 'sudo', user } : undefined });
    });
    const results = await Promise.all(runs);
    results.forEach((r, i) => expect(r.stdout).toBe(`${users[i % 3] ?? NOPASSWD_USER}\n${i}\n`));
    const sessions = await host.exec(`ps -eo args | grep -c "^sshd: ${NOPASSWD_USER}@notty" || true`);
    expect(Number(sessions.stdout.trim())).toBe(1);
  });
});
