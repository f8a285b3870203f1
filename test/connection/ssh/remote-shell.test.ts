// How a worker starts without become: the login shell execs the file helper itself (one
// session channel, no /bin/sh before perl), whatever that shell is; where perl is missing
// the channel closes before the ready line and a second one starts /bin/sh, once per
// connection.
import ssh2, { type Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteShell } from '../../../src/connection/ssh/remote-shell.js';
import { NOPASSWD_USER, SshLab, type Host } from '../../harness/index.js';

const lab = SshLab.create();
let withPerl: Host;
let withoutPerl: Host;
const clients: Client[] = [];

beforeAll(async () => {
  [withPerl, withoutPerl] = await lab.startHosts(2);
  await withoutPerl!.exec(['/bin/sh', '-c', 'rm -f /usr/bin/perl /usr/bin/perl5*']);
  const changed = await withPerl!.exec(['chsh', '-s', '/usr/bin/tcsh', NOPASSWD_USER]);
  if (changed.rc !== 0) throw new Error(`chsh failed (is tcsh installed? see .ci/debian-packages): ${changed.stderr}`);
});

afterAll(async () => {
  for (const client of clients) client.end();
  await lab.stop();
});

/** A connection whose session commands are recorded as sshd receives them. */
function connect(host: Host, username: string): Promise<{ client: Client; execs: string[] }> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    clients.push(client);
    const execs: string[] = [];
    const exec = client.exec.bind(client) as (command: string, callback: unknown) => Client;
    (client as unknown as { exec: (command: string, callback: unknown) => Client }).exec = (command, callback) => {
      execs.push(command);
      return exec(command, callback);
    };
    client.on('error', reject);
    client.on('ready', () => resolve({ client, execs }));
    client.connect({ host: host.address, port: host.port, username, privateKey: lab.key.privateKey, hostVerifier: () => true });
  });
}

/** The worker shell's parent program, and what a command prints through the worker. */
async function probe(shell: RemoteShell): Promise<string> {
  // $PPID is the worker shell's parent (a subshell keeps its shell's value).
  const output = await shell.run({ body: 'echo "$(ps -o comm= -p "$PPID") $(id -un)"' });
  return output.stdout.toString().trim();
}

describe('a worker without become', () => {
  it('is the helper started by a bash login shell in one channel', async () => {
    const { client, execs } = await connect(withPerl, 'root');
    expect(await probe(await RemoteShell.open(client, undefined, 10_000))).toBe('perl root');
    expect(execs).toHaveLength(1);
    expect(execs[0]).toMatch(/^exec perl -e '[^']+' TSPLAY-READY-[0-9a-f]+$/);
  });

  it('is the helper started by a tcsh login shell in one channel', async () => {
    const { client, execs } = await connect(withPerl, NOPASSWD_USER);
    expect(await probe(await RemoteShell.open(client, undefined, 10_000))).toBe(`perl ${NOPASSWD_USER}`);
    expect(execs).toHaveLength(1);
  });

  it('starts /bin/sh in a second channel where perl is missing, and goes there at once after', async () => {
    const { client, execs } = await connect(withoutPerl, 'root');
    expect(await probe(await RemoteShell.open(client, undefined, 10_000))).toBe('sshd root');
    expect(execs).toHaveLength(2);
    expect(execs[0]).toMatch(/^exec perl -e /);
    expect(execs[1]).toMatch(/^exec \/bin\/sh -c /);
    expect(await probe(await RemoteShell.open(client, undefined, 10_000))).toBe('sshd root');
    expect(execs).toHaveLength(3);
  });
});
