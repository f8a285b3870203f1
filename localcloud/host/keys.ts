// SSH key pairs in OpenSSH formats, made in-process with node:crypto (no ssh-keygen):
// host keys for the hosts, and user key pairs for whoever logs in to them. (ssh2's own
// generator drops a leading zero byte of the ed25519 public key about once in 256
// keys, which sshd then refuses to load; this encoder writes the fixed-size fields.)
import { generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';

export type KeyType = 'ed25519' | 'ecdsa' | 'rsa';

export interface KeyPair {
  type: KeyType;
  /** OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----). */
  privateKey: string;
  /** One authorized_keys / known_hosts style line: "<algorithm> <base64> <comment>". */
  publicKey: string;
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([uint32(bytes.length), bytes]);
}

/** An SSH mpint: big-endian, no leading zero bytes, a zero byte added when the top bit is set. */
function mpint(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  let value = bytes.subarray(start);
  if (value.length > 0 && value[0]! & 0x80) value = Buffer.concat([Buffer.from([0]), value]);
  return sshString(value);
}

const b64u = (value: string | undefined): Buffer => Buffer.from(value ?? '', 'base64url');

interface Encoded {
  algorithm: string;
  publicBlob: Buffer;
  /** The key-type-specific private fields (after the algorithm name). */
  privateFields: Buffer;
}

function encodeEd25519(): Encoded {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as JsonWebKey;
  const seed = b64u(jwk.d);
  const pub = b64u(jwk.x);
  const algorithm = 'ssh-ed25519';
  return {
    algorithm,
    publicBlob: Buffer.concat([sshString(algorithm), sshString(pub)]),
    privateFields: Buffer.concat([sshString(pub), sshString(Buffer.concat([seed, pub]))]),
  };
}

function encodeEcdsa(): Encoded {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JsonWebKey;
  const point = Buffer.concat([Buffer.from([4]), b64u(jwk.x), b64u(jwk.y)]);
  const algorithm = 'ecdsa-sha2-nistp256';
  return {
    algorithm,
    publicBlob: Buffer.concat([sshString(algorithm), sshString('nistp256'), sshString(point)]),
    privateFields: Buffer.concat([sshString('nistp256'), sshString(point), mpint(b64u(jwk.d))]),
  };
}

function encodeRsa(): Encoded {
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as JsonWebKey;
  const algorithm = 'ssh-rsa';
  return {
    algorithm,
    publicBlob: Buffer.concat([sshString(algorithm), mpint(b64u(jwk.e)), mpint(b64u(jwk.n))]),
    privateFields: Buffer.concat([mpint(b64u(jwk.n)), mpint(b64u(jwk.e)), mpint(b64u(jwk.d)), mpint(b64u(jwk.qi)), mpint(b64u(jwk.p)), mpint(b64u(jwk.q))]),
  };
}

export function generateKeyPair(type: KeyType = 'ed25519', comment = 'tsplay'): KeyPair {
  const key = type === 'rsa' ? encodeRsa() : type === 'ecdsa' ? encodeEcdsa() : encodeEd25519();
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, sshString(key.algorithm), key.privateFields, sshString(comment)]);
  const padding = Buffer.from(Array.from({ length: (8 - (section.length % 8)) % 8 }, (_, i) => i + 1));
  section = Buffer.concat([section, padding]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(key.publicBlob),
    sshString(section),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return {
    type,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `${key.algorithm} ${key.publicBlob.toString('base64')} ${comment}`,
  };
}

/** "<algorithm> <base64>" without the comment: what known_hosts lines carry. */
export function publicKeyBody(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
}
