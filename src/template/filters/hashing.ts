// Hashing filters: hash, checksum, md5, sha1, password_hash (passlib's sha512_crypt,
// sha256_crypt and md5_crypt, as Ansible uses when passlib is installed), to_uuid.
import { createHash, randomInt } from 'node:crypto';
import { defineFilter } from '../plugins.js';
import { filterError } from '../runtime/errors.js';
import { numberOf } from '../runtime/ops.js';
import { toStr } from './util.js';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function b64From24(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ITOA64[w & 0x3f];
    w >>>= 6;
  }
  return out;
}

const SHA512_ORDER = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
  [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];
const SHA256_ORDER = [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]];

function repeatBytes(source: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = source[i % source.length]!;
  return out;
}

/** SHA-crypt (glibc's $5$ / $6$). */
function shaCrypt(algorithm: 'sha256' | 'sha512', password: Buffer, saltText: string, rounds: number, explicitRounds: boolean): string {
  const salt = Buffer.from(saltText.slice(0, 16), 'utf8');
  const h = () => createHash(algorithm);
  const hashLength = algorithm === 'sha512' ? 64 : 32;
  const b = h().update(password).update(salt).update(password).digest();
  const a = h().update(password).update(salt);
  let n = password.length;
  for (; n > hashLength; n -= hashLength) a.update(b);
  a.update(b.subarray(0, n));
  for (let len = password.length; len > 0; len >>= 1) a.update(len & 1 ? b : password);
  let result = a.digest();
  const dp = h();
  for (let i = 0; i < password.length; i++) dp.update(password);
  const pSeq = repeatBytes(dp.digest(), password.length);
  const ds = h();
  for (let i = 0; i < 16 + result[0]!; i++) ds.update(salt);
  const sSeq = repeatBytes(ds.digest(), salt.length);
  for (let i = 0; i < rounds; i++) {
    const c = h();
    c.update(i & 1 ? pSeq : result);
    if (i % 3) c.update(sSeq);
    if (i % 7) c.update(pSeq);
    c.update(i & 1 ? result : pSeq);
    result = c.digest();
  }
  let encoded = '';
  if (algorithm === 'sha512') {
    for (const [x, y, z] of SHA512_ORDER) encoded += b64From24(result[x!]!, result[y!]!, result[z!]!, 4);
    encoded += b64From24(0, 0, result[63]!, 2);
  } else {
    for (const [x, y, z] of SHA256_ORDER) encoded += b64From24(result[x!]!, result[y!]!, result[z!]!, 4);
    encoded += b64From24(0, result[31]!, result[30]!, 3);
  }
  const prefix = algorithm === 'sha512' ? '$6$' : '$5$';
  return `${prefix}${explicitRounds ? `rounds=${rounds}$` : ''}${salt.toString('utf8')}$${encoded}`;
}

/** MD5-crypt ($1$). */
function md5Crypt(password: Buffer, saltText: string): string {
  const salt = Buffer.from(saltText.slice(0, 8), 'utf8');
  const magic = Buffer.from('$1$');
  const ctx = createHash('md5').update(password).update(magic).update(salt);
  let final = createHash('md5').update(password).update(salt).update(password).digest();
  for (let pl = password.length; pl > 0; pl -= 16) ctx.update(final.subarray(0, Math.min(16, pl)));
  for (let i = password.length; i; i >>= 1) ctx.update(i & 1 ? Buffer.from([0]) : password.subarray(0, 1));
  final = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const c = createHash('md5');
    c.update(i & 1 ? password : final);
    if (i % 3) c.update(salt);
    if (i % 7) c.update(password);
    c.update(i & 1 ? final : password);
    final = c.digest();
  }
  let encoded = '';
  for (const [x, y, z] of [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5]]) encoded += b64From24(final[x!]!, final[y!]!, final[z!]!, 4);
  encoded += b64From24(0, 0, final[11]!, 2);
  return `$1$${salt.toString('utf8')}$${encoded}`;
}

const SCHEMES: Record<string, { defaultRounds?: number; saltSize: number }> = {
  sha512: { defaultRounds: 656000, saltSize: 16 },
  sha256: { defaultRounds: 535000, saltSize: 16 },
  md5: { saltSize: 8 },
};

function randomSalt(size: number): string {
  return Array.from({ length: size }, () => ITOA64[randomInt(64)]).join('');
}

/** Ansible's password_hash (passlib behaviour): sha512/sha256/md5 crypt strings. */
export function passwordHash(password: string, hashtype = 'sha512', salt?: string | null, rounds?: number | null, saltSize?: number | null): string {
  const type = hashtype.replace(/_crypt$/, '');
  const scheme = SCHEMES[type];
  if (!scheme) throw filterError(`${hashtype} is not in the list of supported passlib algorithms: md5, sha256, sha512`);
  const theSalt = salt ?? randomSalt(saltSize ?? scheme.saltSize);
  if (/[^./0-9A-Za-z]/.test(theSalt)) throw filterError(`invalid characters in ${type}_crypt salt`);
  const secret = Buffer.from(password, 'utf8');
  if (type === 'md5') return md5Crypt(secret, theSalt);
  const r = rounds ?? scheme.defaultRounds!;
  return shaCrypt(type as 'sha256' | 'sha512', secret, theSalt, r, r !== 5000);
}

const HASH_NAMES: Record<string, string> = { sha1: 'sha1', md5: 'md5', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512', blake2b: 'blake2b512', blake2s: 'blake2s256', sha3_256: 'sha3-256', sha3_512: 'sha3-512' };

export function hexDigest(data: string, hashtype: string): string {
  const algorithm = HASH_NAMES[hashtype];
  if (!algorithm) return '';
  return createHash(algorithm).update(Buffer.from(data, 'utf8')).digest('hex');
}

defineFilter('hash', "data, hashtype='sha1'", ({ data, hashtype }) => {
  const name = toStr(hashtype);
  if (!HASH_NAMES[name]) return null;
  return hexDigest(toStr(data), name);
});
defineFilter('checksum', 'data', ({ data }) => hexDigest(toStr(data), 'sha1'));
defineFilter('sha1', 'data', ({ data }) => hexDigest(toStr(data), 'sha1'));
defineFilter('md5', 'data', ({ data }) => hexDigest(toStr(data), 'md5'));

defineFilter('password_hash', "password, hashtype='sha512', salt=None, salt_size=None, rounds=None, ident=None", ({ password, hashtype, salt, salt_size, rounds }) =>
  passwordHash(
    toStr(password),
    toStr(hashtype),
    salt === null ? null : toStr(salt),
    rounds === null ? null : Number(numberOf(rounds)),
    salt_size === null ? null : Number(numberOf(salt_size)),
  ),
);

const UUID_NAMESPACE = '361e6d51-faec-444a-9079-341386da8e2e';

/** uuid.uuid5(namespace, name) */
export function uuid5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

defineFilter('to_uuid', `string, namespace='${UUID_NAMESPACE}'`, ({ string, namespace }) => uuid5(toStr(namespace), toStr(string)));
