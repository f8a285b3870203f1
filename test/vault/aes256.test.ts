import { createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptAes256, encryptAes256, parseAes256Body } from '../../src/vault/aes256.js';
import { parseEnvelope } from '../../src/vault/envelope.js';
import { VaultError, VaultFormatError } from '../../src/vault/errors.js';
import { FIXTURE_1_1, FIXTURE_EMPTY, FIXTURE_PASSWORD, FIXTURE_PLAINTEXT } from './fixtures.js';

const password = Buffer.from(FIXTURE_PASSWORD);
const bodyOf = (text: string) => parseEnvelope(text, 'default').body;

describe('AES256 vault cipher', () => {
  it('decrypts what ansible-vault encrypted', () => {
    expect(decryptAes256(parseAes256Body(bodyOf(FIXTURE_1_1)), password).toString()).toBe(FIXTURE_PLAINTEXT);
    expect(decryptAes256(parseAes256Body(bodyOf(FIXTURE_EMPTY)), password)).toHaveLength(0);
  });

  it('rejects a wrong password through the HMAC', () => {
    expect(() => decryptAes256(parseAes256Body(bodyOf(FIXTURE_1_1)), Buffer.from('wrong'))).toThrow(VaultError);
  });

  it('lays the body out as hex of salt, HMAC over the cipher text, and padded cipher text', () => {
    const salt = Buffer.alloc(32, 7);
    const body = encryptAes256(Buffer.from('0123456789abcdef'), password, salt);
    const inner = Buffer.from(body, 'hex').toString('latin1').split('\n');
    expect(inner).toHaveLength(3);
    expect(inner[0]).toBe(salt.toString('hex'));
    const ciphertext = Buffer.from(inner[2]!, 'hex');
    // A full block of padding follows a plain text that fills its blocks.
    expect(ciphertext).toHaveLength(32);
    const hmacKey = pbkdf2Sync(password, salt, 10000, 80, 'sha256').subarray(32, 64);
    expect(inner[1]).toBe(createHmac('sha256', hmacKey).update(ciphertext).digest('hex'));
    expect(decryptAes256(parseAes256Body(body), password).toString()).toBe('0123456789abcdef');
  });

  it('uses a fresh salt each time', () => {
    const a = encryptAes256(Buffer.from('same'), password);
    const b = encryptAes256(Buffer.from('same'), password);
    expect(a).not.toBe(b);
    expect(decryptAes256(parseAes256Body(a), password).toString()).toBe('same');
  });

  it('detects a changed cipher text', () => {
    const inner = Buffer.from(bodyOf(FIXTURE_1_1), 'hex').toString('latin1').split('\n');
    const last = inner[2]!;
    inner[2] = last.slice(0, -1) + (last.endsWith('0') ? '1' : '0');
    const tampered = Buffer.from(inner.join('\n'), 'latin1').toString('hex');
    expect(() => decryptAes256(parseAes256Body(tampered), password)).toThrow('HMAC verification failed');
  });

  it('reports damaged bodies with Python binascii wording', () => {
    expect(() => parseAes256Body('123')).toThrow(new VaultFormatError('Vault format unhexlify error: Odd-length string'));
    expect(() => parseAes256Body('zz')).toThrow(new VaultFormatError('Vault format unhexlify error: Non-hexadecimal digit found'));
    expect(() => parseAes256Body('3132')).toThrow(
      new VaultFormatError('Vault vaulttext format error: not enough values to unpack (expected 3, got 1)'),
    );
    expect(() => parseAes256Body(Buffer.from('zz\n3132\nabcd').toString('hex'))).toThrow('Non-hexadecimal digit found');
  });
});
