// Encrypts and decrypts vault text with a set of secrets, as Ansible's VaultLib:
// decryption tries the secrets until one's HMAC matches; a damaged envelope or body stops
// at once with a warning naming the source; no secret at all is its own error.
import { decryptAes256, encryptAes256, parseAes256Body, type Aes256Body } from './aes256.js';
import { DEFAULT_VAULT_ID, formatEnvelope, isEncrypted, parseEnvelope, READABLE_CIPHERS, WRITABLE_CIPHERS } from './envelope.js';
import { VaultError, VaultFormatError } from './errors.js';
import { pyRepr } from '../template/runtime/repr.js';
import type { VaultSecret } from './secret.js';

export interface VaultLibOptions {
  /**
   * vault_id_match: a 1.2 envelope is only tried with the secrets of its label
   * (by default every secret is tried, the label's first).
   */
  idMatch?: boolean;
  /** The label of 1.1 envelopes (vault_identity, "default"). */
  defaultVaultId?: string;
  /** Display a warning; `formatted` text keeps its line breaks (not wrapped). */
  warn?: (message: string, formatted: boolean) => void;
  /** Display text at a verbosity level (-vvvv = 4). */
  verbose?: (level: number, message: string) => void;
}

export interface DecryptResult {
  plaintext: Buffer;
  /** The label of the secret that decrypted it. */
  vaultId: string;
  secret: VaultSecret;
}

export type VaultData = string | Buffer;

export const NO_SECRETS_MESSAGE = 'Attempting to decrypt but no vault secrets found';

function asText(data: VaultData): string {
  return typeof data === 'string' ? data : data.toString('latin1');
}

export class VaultLib {
  readonly secrets: readonly VaultSecret[];
  private readonly options: VaultLibOptions;

  constructor(secrets: readonly VaultSecret[] = [], options: VaultLibOptions = {}) {
    this.secrets = secrets;
    this.options = options;
  }

  get defaultVaultId(): string {
    return this.options.defaultVaultId ?? DEFAULT_VAULT_ID;
  }

  isEncrypted(data: VaultData): boolean {
    return isEncrypted(data);
  }

  /** The plain bytes of vault text; `source` (a file name) goes into the messages. */
  decryptAndGetVaultId(data: VaultData, source?: string): DecryptResult {
    if (!isEncrypted(data)) {
      throw new VaultError(`input is not vault encrypted data. ${source ? `${source} is not a vault encrypted file` : ''}`);
    }
    const envelope = parseEnvelope(asText(data), this.defaultVaultId, source);
    if (!READABLE_CIPHERS.has(envelope.cipherName)) throw new VaultError(`${envelope.cipherName} cipher could not be found`);
    if (this.secrets.length === 0) throw new VaultError(NO_SECRETS_MESSAGE);

    let body: Aes256Body | undefined;
    for (const secret of this.candidates(envelope.vaultId)) {
      try {
        body ??= parseAes256Body(envelope.body);
        const plaintext = decryptAes256(body, secret.bytes);
        this.options.verbose?.(5, `Decrypt${source ? ` of "${source}"` : ''} successful with secret=${secret.source} and vault_id=${secret.vaultId}`);
        return { plaintext, vaultId: secret.vaultId, secret };
      } catch (err) {
        if (err instanceof VaultFormatError) {
          this.options.warn?.(`There was a vault format error${source ? ` in ${source}` : ''}: ${err.message}`, true);
          throw err;
        }
        if (!(err instanceof VaultError)) throw err;
        this.options.verbose?.(4, `Tried to use the vault secret (${secret.vaultId}) to decrypt (${source ?? ''}) but it failed. Error: ${err.message}`);
      }
    }
    throw new VaultError(`Decryption failed (no vault secrets were found that could decrypt)${source ? ` on ${source}` : ''}`);
  }

  decryptBytes(data: VaultData, source?: string): Buffer {
    return this.decryptAndGetVaultId(data, source).plaintext;
  }

  /** The plain text (UTF-8) of vault text. */
  decrypt(data: VaultData, source?: string): string {
    return this.decryptBytes(data, source).toString('utf8');
  }

  /**
   * Vault text for `plaintext`, with `secret` (default: the first secret). A vault id other
   * than "default" gives a 1.2 envelope carrying it.
   */
  encrypt(plaintext: VaultData, secret?: VaultSecret, vaultId?: string): string {
    const key = secret ?? this.secrets[0];
    if (!key) throw new VaultError('A vault password must be specified to encrypt data');
    const bytes = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    if (isEncrypted(bytes)) throw new VaultError('input is already encrypted');
    const cipherName = [...WRITABLE_CIPHERS][0]!;
    return formatEnvelope(encryptAes256(bytes, key.bytes), cipherName, vaultId);
  }

  /** The header's label first, then (unless vault_id_match) every other secret in order. */
  private candidates(vaultId: string): VaultSecret[] {
    const matching = this.secrets.filter((s) => s.vaultId === vaultId);
    if (matching.length === 0) this.options.verbose?.(5, `Did not find a match for --vault-id=${vaultId} in the known vault-ids ${pyRepr(this.secrets.map((s) => s.vaultId))}`);
    if (this.options.idMatch) return matching;
    return [...matching, ...this.secrets.filter((s) => s.vaultId !== vaultId)];
  }
}

/**
 * The secret to encrypt with: the one labelled `encryptVaultId`, else the first.
 * Returns undefined when there are no secrets.
 */
export function matchEncryptSecret(secrets: readonly VaultSecret[], encryptVaultId?: string | null): VaultSecret | undefined {
  if (encryptVaultId) {
    const found = secrets.find((s) => s.vaultId === encryptVaultId);
    if (!found) {
      throw new VaultError(
        `Did not find a match for --encrypt-vault-id=${encryptVaultId} in the known vault-ids ${pyRepr(secrets.map((s) => s.vaultId))}`,
      );
    }
    return found;
  }
  return secrets[0];
}
