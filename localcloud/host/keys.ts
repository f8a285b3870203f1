// SSH key pairs in OpenSSH formats, made in-process (no ssh-keygen): host keys for
// the hosts, and user key pairs for whoever logs in to them.
import { utils } from 'ssh2';

export type KeyType = 'ed25519' | 'ecdsa' | 'rsa';

export interface KeyPair {
  type: KeyType;
  /** OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----). */
  privateKey: string;
  /** One authorized_keys / known_hosts style line: "<algorithm> <base64> <comment>". */
  publicKey: string;
}

export function generateKeyPair(type: KeyType = 'ed25519', comment = 'tsplay'): KeyPair {
  const pair =
    type === 'rsa'
      ? utils.generateKeyPairSync('rsa', { bits: 2048, comment })
      : type === 'ecdsa'
        ? utils.generateKeyPairSync('ecdsa', { bits: 256, comment })
        : utils.generateKeyPairSync('ed25519', { comment });
  return { type, privateKey: pair.private, publicKey: pair.public.trim() };
}

/** "<algorithm> <base64>" without the comment: what known_hosts lines carry. */
export function publicKeyBody(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
}
