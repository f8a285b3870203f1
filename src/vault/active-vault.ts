// The run's vault: installed once the secrets are known, then used by everything that
// reads files (whole encrypted files are decrypted transparently, as Ansible's DataLoader
// does) and by `!vault` values (through the YAML layer's decryptor hook).
import { setVaultDecryptor } from '../yaml/tagged.js';
import { isEncrypted } from './envelope.js';
import { VaultError } from './errors.js';
import { VaultLib } from './vault-lib.js';

let active = new VaultLib();

/** Make `vault` the one used for files and `!vault` values from now on. */
export function installVault(vault: VaultLib): void {
  active = vault;
  setVaultDecryptor((ciphertext) => vault.decrypt(ciphertext));
}

/** The installed vault (without secrets until installVault is called). */
export function activeVault(): VaultLib {
  return active;
}

/**
 * The text of a data file (vars_files, group_vars/host_vars, include_vars, inventory),
 * decrypted when the whole file is vault encrypted. `file` names it in errors.
 */
export function decryptIfVault(text: string, file: string): string {
  return isEncrypted(text) ? active.decrypt(text, file) : text;
}

/**
 * The bytes of a file shipped as-is (copy/template/script src, unarchive...), decrypted
 * when vault encrypted. Without any secret this is the error Ansible gives for such files.
 */
export function decryptFileContent(data: Buffer, file: string): Buffer {
  if (!isEncrypted(data)) return data;
  if (active.secrets.length === 0) throw new VaultError(`A vault password or secret must be specified to decrypt ${file}`);
  return active.decryptBytes(data, file);
}
