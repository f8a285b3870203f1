// OpenSSH's option model: each keyword takes the first value obtained (command line
// first, then the user's config, then the system config), except the few keywords
// whose values accumulate, such as IdentityFile.
export interface SshOption {
  /** Keyword in lower case (ssh keywords are case-insensitive). */
  key: string;
  value: string;
  /** Where it came from, for messages: "-o", "~/.ssh/config line 4"... */
  source: string;
  /** Position in the order options were read (set by SshOptions). */
  order?: number;
}

const ACCUMULATING = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward', 'dynamicforward', 'sendenv', 'setenv']);

export class SshOptions {
  private readonly values = new Map<string, SshOption[]>();
  private count = 0;

  add(key: string, value: string, source: string): void {
    const k = key.toLowerCase();
    const existing = this.values.get(k);
    const order = this.count++;
    if (existing === undefined) this.values.set(k, [{ key: k, value, source, order }]);
    else if (ACCUMULATING.has(k)) existing.push({ key: k, value, source, order });
  }

  addAll(options: readonly SshOption[]): void {
    for (const option of options) this.add(option.key, option.value, option.source);
  }

  get(key: string): string | undefined {
    return this.values.get(key.toLowerCase())?.[0]?.value;
  }

  getOption(key: string): SshOption | undefined {
    return this.values.get(key.toLowerCase())?.[0];
  }

  getAll(key: string): string[] {
    return (this.values.get(key.toLowerCase()) ?? []).map((o) => o.value);
  }

  has(key: string): boolean {
    return this.values.has(key.toLowerCase());
  }
}

/** ssh's yes/no values (also true/false). */
export function sshFlag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const v = value.toLowerCase();
  if (v === 'yes' || v === 'true') return true;
  if (v === 'no' || v === 'false') return false;
  return fallback;
}
