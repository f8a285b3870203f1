// known_hosts matching checked against OpenSSH's own tools: files hashed by
// ssh-keygen -H must be read, and lines we write must be found by ssh-keygen -F.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../localcloud/host/keys.js';
import { checkHostKey, fingerprint, knownHostsLine, knownHostsName, parseKnownHosts } from '../../../src/connection/ssh/known-hosts.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-known-hosts-'));
const blob = (publicKey: string) => Buffer.from(publicKey.split(/\s+/)[1]!, 'base64');

describe('known_hosts', () => {
  const a = generateKeyPair('ed25519');
  const b = generateKeyPair('ed25519');
  const ecdsa = generateKeyPair('ecdsa');

  it('reads entries hashed by ssh-keygen -H, for port 22 and [host]:port', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, [`10.0.0.1 ${a.publicKey}`, `[10.0.0.2]:2222 ${b.publicKey}`, `other.example ${ecdsa.publicKey}`].join('\n') + '\n');
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('10.0.0.1');
    const entries = parseKnownHosts(text, file);
    expect(checkHostKey(entries, '10.0.0.1', blob(a.publicKey)).status).toBe('known');
    expect(checkHostKey(entries, knownHostsName('10.0.0.2', 2222), blob(b.publicKey)).status).toBe('known');
    expect(checkHostKey(entries, '10.0.0.2', blob(b.publicKey)).status).toBe('unknown');
    expect(checkHostKey(entries, '10.0.0.1', blob(b.publicKey))).toMatchObject({ status: 'changed', entry: { line: 1 } });
    expect(checkHostKey(entries, 'other.example', blob(a.publicKey))).toEqual({ status: 'unknown', otherTypes: ['ecdsa-sha2-nistp256'] });
  });

  it('writes lines that ssh-keygen -F finds, hashed or not', () => {
    const file = join(dir, 'written');
    writeFileSync(file, [knownHostsLine('[127.0.0.9]:2200', blob(a.publicKey), true), knownHostsLine('plain.example', blob(b.publicKey), false)].join('\n') + '\n');
    expect(execFileSync('ssh-keygen', ['-F', '[127.0.0.9]:2200', '-f', file]).toString()).toContain(blob(a.publicKey).toString('base64'));
    expect(execFileSync('ssh-keygen', ['-F', 'plain.example', '-f', file]).toString()).toContain(blob(b.publicKey).toString('base64'));
  });

  it('matches patterns, negations, markers and reports fingerprints as ssh-keygen -l does', () => {
    const entries = parseKnownHosts(
      [
        `# comment`,
        `*.example.com,!bad.example.com ${a.publicKey}`,
        `@revoked * ${b.publicKey}`,
        `@cert-authority *.example.com ${ecdsa.publicKey}`,
      ].join('\n'),
      'f',
    );
    expect(checkHostKey(entries, 'web.example.com', blob(a.publicKey)).status).toBe('known');
    expect(checkHostKey(entries, 'bad.example.com', blob(a.publicKey)).status).toBe('unknown');
    expect(checkHostKey(entries, 'web.example.com', blob(b.publicKey)).status).toBe('revoked');
    expect(checkHostKey(entries, 'web.example.com', blob(ecdsa.publicKey)).status).toBe('unknown');
    const pub = join(dir, 'a.pub');
    writeFileSync(pub, `${a.publicKey}\n`);
    expect(execFileSync('ssh-keygen', ['-l', '-f', pub]).toString()).toContain(fingerprint(blob(a.publicKey)));
  });
});
