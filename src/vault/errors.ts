// Vault errors a user can cause (wrong password, damaged vault text, unreadable password
// sources). All exit 1 as Ansible's AnsibleError/AnsibleVaultError do.
import { TsplayError } from '../errors.js';

export class VaultError extends TsplayError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'VaultError';
  }
}

/**
 * Vault text that cannot be parsed. Unlike a wrong password it stops the search through
 * the secrets at once: no other secret could make damaged text readable.
 */
export class VaultFormatError extends VaultError {
  constructor(message: string) {
    super(message);
    this.name = 'VaultFormatError';
  }
}
