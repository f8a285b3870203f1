// `omit`: Ansible gives the `omit` variable a unique placeholder value
// (`__omit_place_holder__` + a random hex suffix per run); a task argument rendered to
// exactly that value is dropped from the module's arguments.
import { randomBytes } from 'node:crypto';
import { isDict } from '../runtime/repr.js';

export const OMIT_PREFIX = '__omit_place_holder__';

/** A fresh placeholder, as Ansible makes one per run (40 hex digits of randomness). */
export function makeOmitValue(): string {
  return `${OMIT_PREFIX}${randomBytes(20).toString('hex')}`;
}

export function isOmitted(value: unknown, omit?: string): boolean {
  return typeof value === 'string' && (omit === undefined ? value.startsWith(OMIT_PREFIX) : value === omit);
}

/**
 * Ansible's remove_omit: drops dict entries whose value is the omit placeholder, at any
 * depth of dicts (and dicts inside lists), returning a new structure.
 */
export function stripOmitted<T>(data: T, omit?: string): T {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (isDict(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (!isOmitted(item, omit)) out[key] = walk(item);
      }
      return out;
    }
    return value;
  };
  return walk(data) as T;
}
