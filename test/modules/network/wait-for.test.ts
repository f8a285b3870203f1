// wait_for on the local connection (a real listener on loopback, files in a temp dir)
// and wait_for_connection over SSH to an isolated host whose sshd goes down and up.
import { createServer, type Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForConnectionModule } from '../../../src/modules/core/network/wait-for-connection.js';
import { waitForModule } from '../../../src/modules/core/network/wait-for.js';
import { runModule, tempDir, testContext } from '../helpers.js';
import { runOracle } from '../oracle.js';
import { startIsolatedHost } from '../packages/host.js';

const { dir, cleanup } = tempDir('tsplay-wait-for-');
let server: Server;
let port = 0;

beforeAll(async () => {
  // Speaks first, as SSH or SMTP servers do: search_regex reads that banner.
  server = createServer((socket) => socket.end('SSH-2.0-Demo_1.2 ready\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(() => {
  server?.close();
  cleanup();
});

const waitFor = (args: Record<string, unknown>) => runModule(waitForModule, args, testContext());

describe('wait_for', () => {
  it('waits for an open port, reading its banner for search_regex', async () => {
    expect(await waitFor({ port, timeout: 5 })).toEqual({ changed: false, state: 'started', port, search_regex: null, match_groups: [], match_groupdict: {}, path: null, elapsed: 0 });
    const banner = await waitFor({ port, search_regex: 'SSH-(?P<version>[\\d.]+)-(\\w+)', timeout: 5 });
    expect(banner).toMatchObject({ match_groups: ['2.0', 'Demo_1'], match_groupdict: { version: '2.0' } });
  });

  it('times out with Ansible messages (or msg), reporting elapsed', async () => {
    const closed = await waitFor({ port: 1, timeout: 1, connect_timeout: 1, sleep: 1 });
    expect(closed).toMatchObject({ failed: true, msg: 'Timeout when waiting for 127.0.0.1:1', elapsed: expect.any(Number) });
    expect(await waitFor({ port, search_regex: 'nomatch', timeout: 1, connect_timeout: 1 })).toMatchObject({ failed: true, msg: `Timeout when waiting for search string nomatch in 127.0.0.1:${port}` });
    expect(await waitFor({ path: join(dir, 'never'), timeout: 1, msg: 'custom' })).toMatchObject({ failed: true, msg: 'custom' });
  });

  it('waits for a file to appear with content, and for one to go away', async () => {
    const flag = join(dir, 'flag');
    setTimeout(() => writeFileSync(flag, 'state=ready\n'), 600);
    const ready = await waitFor({ path: flag, search_regex: 'state=(\\w+)', timeout: 10 });
    expect(ready).toMatchObject({ changed: false, path: flag, match_groups: ['ready'], state: 'file' });
    expect(await waitFor({ path: join(dir, 'gone'), state: 'absent', timeout: 2 })).toMatchObject({ changed: false, state: 'absent' });
  });

  it('sees a stopped port, and drained when no connection is active', async () => {
    expect(await waitFor({ port: 1, state: 'stopped', timeout: 2 })).toMatchObject({ changed: false, state: 'stopped' });
    // Earlier probes left TIME_WAIT connections behind: only established ones count here.
    expect(await waitFor({ port, state: 'drained', timeout: 2, active_connection_states: ['ESTABLISHED'] })).toMatchObject({ changed: false, state: 'drained' });
  });

  it('rejects what Ansible rejects', async () => {
    expect(await waitFor({ port, path: dir })).toMatchObject({ failed: true, msg: 'port and path parameter can not both be passed to wait_for', elapsed: 0 });
    expect(await waitFor({ path: dir, state: 'stopped' })).toMatchObject({ failed: true, msg: 'state=stopped should only be used for checking a port in the wait_for module' });
  });

  it('gives the results Ansible gives', async () => {
    const run = await runOracle('wait-for', {
      setup: 'echo "listening on port 8080" > flag',
      steps: [
        { module: waitForModule, args: { path: '$WORK/flag', search_regex: 'port (\\d+)', timeout: 5 } },
        { module: waitForModule, args: { path: '$WORK/missing', state: 'absent', timeout: 5 } },
        { module: waitForModule, args: { port, host: '127.0.0.1', timeout: 5 } },
        { module: waitForModule, args: { port: 1, host: '127.0.0.1', timeout: 1, connect_timeout: 1 } },
      ],
    });
    expect(run.tsplay).toEqual(run.ansible);
  });
});

describe('wait_for_connection', () => {
  it('reconnects once sshd is back, and times out while it is down', async () => {
    const h = await startIsolatedHost();
    try {
      const ctx = () => testContext({ connection: h.conn });
      expect(await runModule(waitForConnectionModule, { timeout: 10 }, ctx())).toEqual({ changed: false, elapsed: 0 });
      await h.host.stopSshd();
      await h.host.dropConnections();
      const down = await runModule(waitForConnectionModule, { timeout: 2, connect_timeout: 1, sleep: 1 }, ctx());
      expect(down).toMatchObject({ failed: true, msg: expect.stringMatching(/^timed out waiting for ping module test: /) });
      setTimeout(() => void h.host.startSshd(), 1500);
      const back = await runModule(waitForConnectionModule, { timeout: 20, sleep: 1 }, ctx());
      expect(back).toMatchObject({ changed: false });
      expect(back.elapsed).toBeGreaterThanOrEqual(1);
      expect(await runModule(waitForConnectionModule, {}, testContext({ connection: h.conn, checkMode: true }))).toEqual({ changed: false, skipped: true });
    } finally {
      await h.stop();
    }
  });
});
