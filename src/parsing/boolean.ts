// Ansible's boolean(): the spellings it accepts for true and false.
const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

export class NotABooleanError extends Error {
  constructor(value: unknown) {
    super(`The value '${String(value)}' is not a valid boolean.  Valid booleans include: 'no', 'on', 1, 'off', 'y', 'false', 'true', 'n', 'f', 't', 0, 1.0, 0.0, 'yes', '1', '0'`);
    this.name = 'NotABooleanError';
  }
}

export function toBoolean(value: unknown, strict = true): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (value === 1) return true;
    if (value === 0) return false;
  }
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
  }
  if (value === null || value === undefined) {
    if (!strict) return false;
  }
  if (strict) throw new NotABooleanError(value);
  return false;
}
