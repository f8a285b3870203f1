// Ansible Vault for tsplay.
//
//   const vault = await createVaultLib(cli, config, { warn: (m, f) => display.warning(m, f) });
//   installVault(vault);                          // `!vault` values and whole files decrypt from now on
//   decryptIfVault(text, file)                    // a YAML/JSON data file's text
//   decryptFileContent(bytes, file)               // copy/template src bytes
//   vault.encrypt(plain, secret?, vaultId?)       // `$ANSIBLE_VAULT;1.1;AES256` or 1.2 with the id
//   vault.decrypt(text, source?) / isEncrypted(text)
//
// Errors are VaultError (a TsplayError, exit 1) with Ansible's messages, e.g.
// "Decryption failed (no vault secrets were found that could decrypt) on <file>".
export { VaultLib, matchEncryptSecret, NO_SECRETS_MESSAGE, type DecryptResult, type VaultLibOptions, type VaultData } from './vault-lib.js';
export { VaultSecret } from './secret.js';
export { VaultError, VaultFormatError } from './errors.js';
export { isEncrypted, parseEnvelope, formatEnvelope, VAULT_HEADER, DEFAULT_VAULT_ID, type VaultEnvelope } from './envelope.js';
export {
  createVaultLib,
  createVaultSecrets,
  setupVaultSecrets,
  splitVaultId,
  vaultLibOptions,
  type SecretContext,
  type SecretRequest,
  type VaultCliOptions,
  type VaultRuntime,
} from './setup-secrets.js';
export { terminalPrompter, InterruptedError, type Prompter, type TerminalStreams } from './prompt.js';
export { InputReader } from './input-reader.js';
export { activeVault, decryptFileContent, decryptIfVault, installVault } from './active-vault.js';
export { VaultEditor, type EditorIo } from './editor.js';
