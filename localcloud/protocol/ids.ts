// Identifiers in AWS's formats (i-0123456789abcdef0, Z0123456789ABCDEFGHIJ, ...).
import { randomBytes, randomUUID } from 'node:crypto';

export function hexId(prefix: string, length = 17): string {
  return `${prefix}-${randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length)}`;
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function upperId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += UPPER_ALNUM[byte % UPPER_ALNUM.length];
  return id;
}

export function requestId(): string {
  return randomUUID();
}
