// What tsplay changes in ssh2's client: sshd's host key announcement is dropped instead
// of proven, and identity files are parsed once.
import { readFileSync } from 'node:fs';
import ssh2, { type Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ignoreHostKeyAnnouncements, parsePrivateKey } from '../../../src/connection/ssh/ssh2-extensions.js';
import { SshLab, type Host } from '../../harness/index.js';

const lab = SshLab.create();
let host: Host;

beforeAll(async () => {
  host = await lab.startHost({ users: [] });
});

afterAll(() => lab.stop());

interface Observed {
  announced: boolean;
  proofsAsked: number;
  commandOutput: string;
}

/** Connects as root, runs one command, and reports whether sshd's host keys were proven. */
function connectAndRun(adjust: (client: Client) => void): Promise<Observed> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const observed: Observed = { announced: false, proofsAsked: 0, commandOutput: '' };
    client.on('hostkeys', () => (observed.announced = true));
    client.on('error', reject);
    client.on('ready', () => {
      client.exec('echo ran', (error, channel) => {
        if (error) return reject(error);
        channel.on('data', (chunk: Buffer) => (observed.commandOutput += chunk.toString()));
        // The announcement comes right after authentication: by now it has been handled.
        channel.on('close', () => {
          client.end();
          resolve(observed);
        });
      });
    });
    client.connect({ host: host.address, port: host.port, username: 'root', privateKey: readFileSync(lab.keyFile) });
    const protocol = (client as unknown as { _protocol: { openssh_hostKeysProve: (...args: unknown[]) => unknown } })._protocol;
    const prove = protocol.openssh_hostKeysProve.bind(protocol);
    protocol.openssh_hostKeysProve = (...args: unknown[]) => {
      observed.proofsAsked++;
      return prove(...args);
    };
    adjust(client);
  });
}

describe('ssh2 extensions', () => {
  it('sshd announces its host keys and ssh2 asks for proofs unless told not to', async () => {
    const plain = await connectAndRun(() => undefined);
    expect(plain).toEqual({ announced: true, proofsAsked: 1, commandOutput: 'ran\n' });
    const adjusted = await connectAndRun(ignoreHostKeyAnnouncements);
    expect(adjusted).toEqual({ announced: false, proofsAsked: 0, commandOutput: 'ran\n' });
  });

  it('parses an identity file once and reports one it cannot use', () => {
    const data = readFileSync(lab.keyFile);
    const first = parsePrivateKey(data);
    expect(first).not.toBeInstanceOf(Error);
    expect(parsePrivateKey(Buffer.from(data))).toBe(first);
    const broken = parsePrivateKey(Buffer.from('-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----\n'));
    expect(broken).toBeInstanceOf(Error);
  });
});
