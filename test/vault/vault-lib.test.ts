import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { VaultError, VaultFormatError } from '../../src/vault/errors.js';
import { VaultSecret } from '../../src/vault/secret.js';
import { matchEncryptSecret, VaultLib } from '../../src/vault/vault-lib.js';
import { FIXTURE_1_1, FIXTURE_1_2_PROD, FIXTURE_PASSWORD, FIXTURE_PLAINTEXT } from './fixtures.js';

const right = (id: string) => new VaultSecret(id, FIXTURE_PASSWORD, `${id}-file`);
const wrong = (id: string) => new VaultSecret(id, 'not-the-password', `${id}-file`);

describe('VaultLib', () => {
  it('decrypts with whichever secret fits, reporting which one', () => {
    const vault = new VaultLib([wrong('dev'), wrong('default'), right('ops')]);
    const result = vault.decryptAndGetVaultId(FIXTURE_1_2_PROD, 'prod.yml');
    expect(result.plaintext.toString()).toBe(FIXTURE_PLAINTEXT);
    expect(result.vaultId).toBe('ops');
    expect(vault.decrypt(FIXTURE_1_1)).toBe(FIXTURE_PLAINTEXT);
  });

  it('tries the secret labelled like the envelope first', () => {
    const tried: string[] = [];
    const vault = new VaultLib([wrong('dev'), right('prod'), wrong('default')], { verbose: (level, message) => level === 4 && tried.push(message) });
    expect(vault.decryptAndGetVaultId(FIXTURE_1_2_PROD).vaultId).toBe('prod');
    expect(tried).toEqual([]);
  });

  it('with vault_id_match only tries the secrets of the envelope label', () => {
    const strict = new VaultLib([right('dev'), wrong('prod')], { idMatch: true });
    expect(() => strict.decrypt(FIXTURE_1_2_PROD, 'f.yml')).toThrow('Decryption failed (no vault secrets were found that could decrypt) on f.yml');
    expect(new VaultLib([right('default')], { idMatch: true }).decrypt(FIXTURE_1_1)).toBe(FIXTURE_PLAINTEXT);
  });

  it("uses Ansible's messages for a wrong password, no secrets, and data that is not vault text", () => {
    const vault = new VaultLib([wrong('default')]);
    expect(() => vault.decrypt(FIXTURE_1_1, '/srv/vars.yml')).toThrow(
      new VaultError('Decryption failed (no vault secrets were found that could decrypt) on /srv/vars.yml'),
    );
    expect(() => vault.decrypt(FIXTURE_1_1)).toThrow(new VaultError('Decryption failed (no vault secrets were found that could decrypt)'));
    expect(() => new VaultLib([]).decrypt(FIXTURE_1_1)).toThrow(new VaultError('Attempting to decrypt but no vault secrets found'));
    expect(() => vault.decrypt('a: 1\n', 'plain.yml')).toThrow('input is not vault encrypted data. plain.yml is not a vault encrypted file');
    expect(() => vault.decrypt('$ANSIBLE_VAULT;1.1;AES\n3132\n')).toThrow('AES cipher could not be found');
  });

  it('stops at damaged vault text with a warning naming the source', () => {
    const warnings: [string, boolean][] = [];
    const vault = new VaultLib([wrong('a'), right('b')], { warn: (message, formatted) => warnings.push([message, formatted]) });
    expect(() => vault.decrypt('$ANSIBLE_VAULT;1.1;AES256\n123\n', 'bad.yml')).toThrow(VaultFormatError);
    expect(warnings).toEqual([['There was a vault format error in bad.yml: Vault format unhexlify error: Odd-length string', true]]);
  });

  it('encrypts to 1.1 or 1.2 envelopes that decrypt again', () => {
    const vault = new VaultLib([right('dev')]);
    const v11 = vault.encrypt('top secret\n');
    expect(v11.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
    const v12 = vault.encrypt(Buffer.from([0, 255, 10, 13]), undefined, 'dev');
    expect(v12.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;dev');
    expect(v12.split('\n').slice(1, -1).every((line) => line.length <= 80 && /^[0-9a-f]+$/.test(line))).toBe(true);
    expect(vault.decrypt(v11)).toBe('top secret\n');
    expect([...vault.decryptBytes(v12)]).toEqual([0, 255, 10, 13]);
    expect(() => vault.encrypt(v11)).toThrow('input is already encrypted');
    expect(() => new VaultLib([]).encrypt('x')).toThrow('A vault password must be specified to encrypt data');
  });

  it('picks the secret to encrypt with by --encrypt-vault-id', () => {
    const secrets = [right('dev'), right('prod')];
    expect(matchEncryptSecret(secrets)?.vaultId).toBe('dev');
    expect(matchEncryptSecret(secrets, 'prod')?.vaultId).toBe('prod');
    expect(() => matchEncryptSecret(secrets, 'qa')).toThrow("Did not find a match for --encrypt-vault-id=qa in the known vault-ids ['dev', 'prod']");
  });

  it('never shows a secret in logs or JSON', () => {
    const secret = new VaultSecret('dev', 'hunter2');
    expect(`${secret} ${inspect(secret)} ${JSON.stringify({ secret })} ${inspect({ nested: [secret] })}`).not.toContain('hunter2');
    expect(secret.bytes.toString()).toBe('hunter2');
  });
});
