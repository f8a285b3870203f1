import { afterEach, describe, expect, it } from 'vitest';
import { activeVault, decryptFileContent, decryptIfVault, installVault } from '../../src/vault/active-vault.js';
import { VaultSecret } from '../../src/vault/secret.js';
import { VaultLib } from '../../src/vault/vault-lib.js';
import { parseYaml } from '../../src/yaml/loader.js';
import { VaultText } from '../../src/yaml/tagged.js';

const vault = new VaultLib([new VaultSecret('dev', 'pw')]);

afterEach(() => installVault(new VaultLib()));

describe('the installed vault', () => {
  it('starts without secrets, giving Ansible\'s errors for files and shipped files', () => {
    installVault(new VaultLib());
    const text = vault.encrypt('a: 1\n');
    expect(activeVault().secrets).toEqual([]);
    expect(() => decryptIfVault(text, '/p/group_vars/all.yml')).toThrow('Attempting to decrypt but no vault secrets found');
    expect(() => decryptFileContent(Buffer.from(text), '/p/files/key.pem')).toThrow('A vault password or secret must be specified to decrypt /p/files/key.pem');
  });

  it('decrypts whole files and passes plain ones through untouched', () => {
    installVault(vault);
    expect(decryptIfVault(vault.encrypt('a: 1\n'), 'vars.yml')).toBe('a: 1\n');
    expect(decryptIfVault('$ANSIBLE_VAULT is only mentioned here: µ\n', 'notes.yml')).toBe('$ANSIBLE_VAULT is only mentioned here: µ\n');
    const binary = Buffer.from([0xff, 0x00, 0x24]);
    expect(decryptFileContent(binary, 'blob')).toBe(binary);
    expect(decryptFileContent(Buffer.from(vault.encrypt(binary)), 'blob').equals(binary)).toBe(true);
  });

  it('is what `!vault` values of loaded YAML decrypt with', () => {
    const block = vault.encrypt('s3cret', undefined, 'dev').trimEnd().split('\n').map((l) => `  ${l}`).join('\n');
    const data = parseYaml(`password: !vault |\n${block}\n`, 'inline.yml') as { password: VaultText };
    installVault(vault);
    expect(data.password.value).toBe('s3cret');
    installVault(new VaultLib([new VaultSecret('dev', 'other')]));
    const again = parseYaml(`password: !vault |\n${block}\n`, 'inline.yml') as { password: VaultText };
    expect(() => again.password.value).toThrow('Decryption failed (no vault secrets were found that could decrypt)');
  });
});
