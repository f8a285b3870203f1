// Values that carry a YAML tag Ansible gives meaning to.
import { TsplayError } from '../errors.js';

/** `!unsafe`: text that must never be templated. */
export class UnsafeText {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
  toJSON(): string {
    return this.value;
  }
}

export type VaultDecryptor = (ciphertext: string) => string;
let vaultDecryptor: VaultDecryptor | undefined;

/** The CLI installs the decryptor once the vault secrets are known. */
export function setVaultDecryptor(decryptor: VaultDecryptor | undefined): void {
  vaultDecryptor = decryptor;
}

/** `!vault`: an inline Ansible Vault value, decrypted on first use. */
export class VaultText {
  #plain: string | undefined;
  constructor(readonly ciphertext: string) {}
  get value(): string {
    if (this.#plain === undefined) {
      if (!vaultDecryptor) throw new TsplayError('Attempting to decrypt but no vault secrets found');
      this.#plain = vaultDecryptor(this.ciphertext);
    }
    return this.#plain;
  }
  toString(): string {
    return this.value;
  }
  toJSON(): string {
    return this.value;
  }
}
