// The vault envelope: a header line `$ANSIBLE_VAULT;<version>;<cipher>[;<vault id>]`
// followed by the cipher's hex text cut into 80-column lines. Version 1.2 carries the
// label (vault id) of the secret that encrypted it; 1.1 has none ("default").
import { VaultFormatError } from './errors.js';

export const VAULT_HEADER = '$ANSIBLE_VAULT';
export const DEFAULT_VAULT_ID = 'default';
/** Ciphers Ansible 2.14 can read and write (AES, the 1.0 cipher, was dropped long ago). */
export const READABLE_CIPHERS: ReadonlySet<string> = new Set(['AES256']);
export const WRITABLE_CIPHERS: ReadonlySet<string> = new Set(['AES256']);
const LINE_WIDTH = 80;

export interface VaultEnvelope {
  /** The cipher text: the body lines joined. */
  body: string;
  version: string;
  cipherName: string;
  /** The header's label, or the default vault id for 1.1 envelopes. */
  vaultId: string;
}

function isAscii(data: string | Buffer): boolean {
  if (typeof data === 'string') return !/[^\x00-\x7f]/.test(data);
  for (const byte of data) if (byte > 0x7f) return false;
  return true;
}

/** Vault data: ASCII text that starts with the vault header (as Ansible's is_encrypted). */
export function isEncrypted(data: string | Buffer): boolean {
  const head = typeof data === 'string' ? data.slice(0, VAULT_HEADER.length) : data.subarray(0, VAULT_HEADER.length).toString('latin1');
  return head === VAULT_HEADER && isAscii(data);
}

/** Python's bytes.splitlines(): \n, \r\n and \r end lines; no empty last line. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function parseEnvelope(text: string, defaultVaultId: string, source?: string): VaultEnvelope {
  const lines = splitLines(text);
  const header = (lines[0] ?? '').trim().split(';');
  if (lines.length === 0 || header.length < 3) {
    // Python indexes the missing header field and reports the IndexError.
    throw new VaultFormatError(`Vault envelope format error${source ? ` in ${source}` : ''}: list index out of range`);
  }
  return {
    body: lines.slice(1).join(''),
    version: header[1]!.trim(),
    cipherName: header[2]!.trim(),
    vaultId: header.length >= 4 ? header[3]!.trim() : defaultVaultId,
  };
}

/** The envelope around cipher text; a vault id other than "default" makes it version 1.2. */
export function formatEnvelope(body: string, cipherName: string, vaultId?: string): string {
  const labelled = vaultId !== undefined && vaultId !== '' && vaultId !== DEFAULT_VAULT_ID;
  const header = [VAULT_HEADER, labelled ? '1.2' : '1.1', cipherName, ...(labelled ? [vaultId] : [])].join(';');
  const lines = [header];
  for (let i = 0; i < body.length; i += LINE_WIDTH) lines.push(body.slice(i, i + LINE_WIDTH));
  lines.push('');
  return lines.join('\n');
}
