// Key pairs EC2 creates: every ed25519 private key it hands out loads, with the public key
// and fingerprint (SHA-256 of the public key) its record shows. A thousand keys: ssh2's own
// generator gets a key wrong about once in 256.
import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { KeyPairs } from '../ec2/key-pairs.js';
import { TagStore } from '../ec2/tags.js';

describe('created ed25519 key pairs', () => {
  it('load, and carry the fingerprint and public key of their private key', () => {
    const pairs = new KeyPairs(new TagStore());
    for (let i = 0; i < 1000; i++) {
      const { record, privateKey } = pairs.create(`key-${i}`, 'ed25519');
      const parsed = ssh2.utils.parseKey(privateKey);
      if (parsed instanceof Error) throw new Error(`key ${i} does not load: ${parsed.message}\n${privateKey}`);
      const key = Array.isArray(parsed) ? parsed[0]! : parsed;
      const blob = key.getPublicSSH();
      expect(record.publicKey).toBe(`ssh-ed25519 ${blob.toString('base64')} key-${i}`);
      expect(record.fingerprint).toBe(createHash('sha256').update(blob).digest('base64'));
    }
  });
});
