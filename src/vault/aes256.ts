// The AES256 vault cipher: PBKDF2-HMAC-SHA256 (10000 rounds, 32-byte salt) derives 80
// bytes: the AES-256 key, the HMAC-SHA256 key and the CTR initial counter. The plain text
// is padded PKCS#7-style to the 16-byte block although CTR needs none (the format fixed it
// long ago). The body is hex of "<salt hex>\n<hmac hex>\n<cipher text hex>", hexed again.
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { VaultError, VaultFormatError } from './errors.js';
import { hexlify, unhexlify } from './hex.js';

const KEY_LENGTH = 32;
const IV_LENGTH = 16;
const BLOCK_SIZE = 16;
const ITERATIONS = 10000;
const SALT_LENGTH = 32;

interface DerivedKeys {
  cipherKey: Buffer;
  hmacKey: Buffer;
  iv: Buffer;
}

function deriveKeys(password: Buffer, salt: Buffer): DerivedKeys {
  const derived = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY_LENGTH + IV_LENGTH, 'sha256');
  return {
    cipherKey: derived.subarray(0, KEY_LENGTH),
    hmacKey: derived.subarray(KEY_LENGTH, 2 * KEY_LENGTH),
    iv: derived.subarray(2 * KEY_LENGTH),
  };
}

function pad(data: Buffer): Buffer {
  const count = BLOCK_SIZE - (data.length % BLOCK_SIZE);
  return Buffer.concat([data, Buffer.alloc(count, count)]);
}

function unpad(data: Buffer): Buffer {
  const count = data.length > 0 ? data[data.length - 1]! : 0;
  const valid = count >= 1 && count <= BLOCK_SIZE && data.length % BLOCK_SIZE === 0 && data.subarray(data.length - count).every((b) => b === count);
  // Only reachable with a matching HMAC, i.e. text written by a broken encryptor.
  if (!valid) throw new VaultFormatError('Vault format error: Invalid padding bytes.');
  return data.subarray(0, data.length - count);
}

/** The hex body for `plaintext` encrypted with `password`. */
export function encryptAes256(plaintext: Buffer, password: Buffer, salt: Buffer = randomBytes(SALT_LENGTH)): string {
  const keys = deriveKeys(password, salt);
  const cipher = createCipheriv('aes-256-ctr', keys.cipherKey, keys.iv);
  const ciphertext = Buffer.concat([cipher.update(pad(plaintext)), cipher.final()]);
  const hmac = createHmac('sha256', keys.hmacKey).update(ciphertext).digest('hex');
  const inner = `${hexlify(salt)}\n${hmac}\n${hexlify(ciphertext)}`;
  return hexlify(Buffer.from(inner, 'latin1'));
}

export interface Aes256Body {
  salt: Buffer;
  /** Still hex: checked only once a password is tried, as Ansible does. */
  hmacHex: string;
  ciphertext: Buffer;
}

/** Split a hex body into its parts; damaged text throws VaultFormatError. */
export function parseAes256Body(body: string): Aes256Body {
  const inner = unhexlify(body).toString('latin1');
  const parts = splitMax(inner, '\n', 2);
  if (parts.length < 3) {
    throw new VaultFormatError(`Vault vaulttext format error: not enough values to unpack (expected 3, got ${parts.length})`);
  }
  return { salt: unhexlify(parts[0]!), hmacHex: parts[1]!, ciphertext: unhexlify(parts[2]!) };
}

/** Python's str.split(sep, maxsplit). */
function splitMax(text: string, separator: string, maxSplit: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (out.length < maxSplit) {
    const at = rest.indexOf(separator);
    if (at < 0) break;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + separator.length);
  }
  out.push(rest);
  return out;
}

/** The plain text, or a VaultError when the password does not match the HMAC. */
export function decryptAes256(body: Aes256Body, password: Buffer): Buffer {
  const keys = deriveKeys(password, body.salt);
  const expected = unhexlify(body.hmacHex);
  const actual = createHmac('sha256', keys.hmacKey).update(body.ciphertext).digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new VaultError('HMAC verification failed: Signature did not match digest.');
  }
  const decipher = createDecipheriv('aes-256-ctr', keys.cipherKey, keys.iv);
  return unpad(Buffer.concat([decipher.update(body.ciphertext), decipher.final()]));
}
