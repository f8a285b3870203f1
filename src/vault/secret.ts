// A vault password with its label (vault id). The bytes stay out of logs, JSON and
// util.inspect so that a secret passed around in options can never be printed by accident.
import { inspect } from 'node:util';

export class VaultSecret {
  readonly #bytes: Buffer;

  constructor(
    /** The label: `dev` of `--vault-id dev@file`, else the default identity. */
    readonly vaultId: string,
    bytes: Buffer | string,
    /** Where it came from, for verbose messages: a file, a script or `prompt`. */
    readonly source = 'secret',
  ) {
    this.#bytes = Buffer.from(bytes);
  }

  get bytes(): Buffer {
    return this.#bytes;
  }

  toString(): string {
    return `VaultSecret(${this.vaultId})`;
  }

  toJSON(): { vaultId: string } {
    return { vaultId: this.vaultId };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
