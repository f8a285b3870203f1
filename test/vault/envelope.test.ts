import { describe, expect, it } from 'vitest';
import { formatEnvelope, isEncrypted, parseEnvelope } from '../../src/vault/envelope.js';
import { VaultFormatError } from '../../src/vault/errors.js';
import { FIXTURE_1_1, FIXTURE_1_2_PROD } from './fixtures.js';

describe('vault envelope', () => {
  it('recognises vault data only when it is ASCII and starts with the header', () => {
    expect(isEncrypted(FIXTURE_1_1)).toBe(true);
    expect(isEncrypted(Buffer.from(FIXTURE_1_2_PROD))).toBe(true);
    expect(isEncrypted('a: 1\n')).toBe(false);
    expect(isEncrypted(' $ANSIBLE_VAULT;1.1;AES256\n')).toBe(false);
    expect(isEncrypted('$ANSIBLE_VAULT;1.1;AES256\nµ')).toBe(false);
    expect(isEncrypted(Buffer.from([0x24, 0x41, 0xff]))).toBe(false);
  });

  it('reads the version, cipher and label of 1.1 and 1.2 headers', () => {
    const v11 = parseEnvelope(FIXTURE_1_1, 'default');
    expect(v11).toMatchObject({ version: '1.1', cipherName: 'AES256', vaultId: 'default' });
    expect(v11.body).toMatch(/^[0-9a-f]+$/);
    expect(v11.body).toHaveLength(FIXTURE_1_1.split('\n').slice(1).join('').length);
    expect(parseEnvelope(FIXTURE_1_2_PROD, 'default')).toMatchObject({ version: '1.2', vaultId: 'prod' });
    // Header fields are stripped; CRLF line ends are accepted.
    expect(parseEnvelope(' $ANSIBLE_VAULT ; 1.2 ; AES256 ; dev \r\nabcd\r\nef\r\n', 'default')).toEqual({
      body: 'abcdef',
      version: '1.2',
      cipherName: 'AES256',
      vaultId: 'dev',
    });
  });

  it('reports a header without a cipher as Ansible does', () => {
    expect(() => parseEnvelope('$ANSIBLE_VAULT;1.1\n3132\n', 'default', 'bad.yml')).toThrow(
      new VaultFormatError('Vault envelope format error in bad.yml: list index out of range'),
    );
    expect(() => parseEnvelope('$ANSIBLE_VAULT\n', 'default')).toThrow('Vault envelope format error: list index out of range');
  });

  it('writes 1.1 without a label, 1.2 with one, and 80-column body lines', () => {
    const body = 'ab'.repeat(90);
    const text = formatEnvelope(body, 'AES256');
    const lines = text.split('\n');
    expect(lines[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
    expect(lines.slice(1, -1).map((l) => l.length)).toEqual([80, 80, 20]);
    expect(lines.at(-1)).toBe('');
    expect(formatEnvelope(body, 'AES256', 'default').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
    expect(formatEnvelope(body, 'AES256', 'dev').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;dev');
    expect(parseEnvelope(formatEnvelope(body, 'AES256', 'dev'), 'default').body).toBe(body);
  });
});
