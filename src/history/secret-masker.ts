// Masks the run's known secret values (become password...) wherever they would be stored.
// Kept apart from redact.ts so the history worker does not load the YAML parser.

export const MASK = '********';

/** Replaces known secret values in stored text. */
export class SecretMasker {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string | undefined | null>) {
    // Longest first, so a secret that contains another is masked whole.
    this.secrets = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 3))].sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.secrets.length === 0;
  }

  mask(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  }

  /** Mask inside JSON text: the secret as it appears JSON-escaped. */
  maskJson(json: string): string {
    let out = json;
    for (const secret of this.secrets) {
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (out.includes(escaped)) out = out.split(escaped).join(MASK);
    }
    return out;
  }
}
