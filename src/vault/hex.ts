// binascii.hexlify/unhexlify as the vault format uses them. Node's Buffer.from(hex) stops
// silently at the first bad digit; vault text must instead be rejected with Python's
// messages, which Ansible passes on to the user.
import { VaultFormatError } from './errors.js';

const HEX = /^[0-9a-fA-F]*$/;

export function unhexlify(hex: string): Buffer {
  if (hex.length % 2 !== 0) throw new VaultFormatError('Vault format unhexlify error: Odd-length string');
  if (!HEX.test(hex)) throw new VaultFormatError('Vault format unhexlify error: Non-hexadecimal digit found');
  return Buffer.from(hex, 'hex');
}

export function hexlify(data: Buffer): string {
  return data.toString('hex');
}
