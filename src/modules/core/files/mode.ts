// The `mode` option of the file modules: an int is taken as is (YAML 0644 is 420, and a
// bare 644 really is decimal 644, as in Ansible), a string is octal or chmod's symbolic
// form (`u=rw,g=r,o=`, `a+X`, `g-w`), evaluated against the path's current mode.
import { ModuleFailure } from '../../module.js';

const PERM_BITS = 0o7777;
const S_IRWXU = 0o700;
const S_IRWXG = 0o070;
const S_IRWXO = 0o007;
const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;
const EXEC_BITS = 0o111;

export class ModeError extends Error {}

/** Python's int(text, 8): optional sign, optional 0o prefix, underscores between digits. */
function parseOctal(text: string): number | undefined {
  const m = /^\s*([+-]?)(?:0[oO])?([0-7](?:_?[0-7])*)\s*$/.exec(text);
  if (!m) return undefined;
  const value = parseInt(m[2]!.replace(/_/g, ''), 8);
  return m[1] === '-' ? -value : value;
}

function permsFor(user: 'u' | 'g' | 'o', perms: string, current: number, isDirectory: boolean, umask: number | undefined): number {
  const reverseUmask = umask === undefined ? PERM_BITS : umask ^ PERM_BITS;
  const applyX = isDirectory || (current & EXEC_BITS) > 0;
  const shift = { u: 6, g: 3, o: 0 }[user];
  const bit = (perm: number) => (perm << shift) & reverseUmask;
  const copy = (from: 'u' | 'g' | 'o') => {
    const fromShift = { u: 6, g: 3, o: 0 }[from];
    return (((current >> fromShift) & 0o7) << shift) & 0o777;
  };
  let mode = 0;
  for (const perm of perms) {
    if (perm === 'r') mode |= bit(4);
    else if (perm === 'w') mode |= bit(2);
    else if (perm === 'x') mode |= bit(1);
    else if (perm === 'X') mode |= applyX ? 1 << shift : 0;
    else if (perm === 's') mode |= user === 'u' ? S_ISUID : user === 'g' ? S_ISGID : 0;
    else if (perm === 't') mode |= user === 'o' ? S_ISVTX : 0;
    else if (perm === 'u' || perm === 'g' || perm === 'o') mode |= copy(perm);
  }
  return mode;
}

function applyOperation(user: 'u' | 'g' | 'o', operator: string, mode: number, current: number): number {
  if (operator === '=') {
    const mask = user === 'u' ? S_IRWXU | S_ISUID : user === 'g' ? S_IRWXG | S_ISGID : S_IRWXO | S_ISVTX;
    return (current & (mask ^ PERM_BITS)) | mode;
  }
  if (operator === '+') return current | mode;
  return current - (current & mode);
}

/**
 * chmod's symbolic form applied to `current` (Ansible's _symbolic_mode_to_octal). `umask`
 * is needed only when a clause has no who-part ("+x"): then the umask's bits are left alone.
 */
export function symbolicToOctal(symbolic: string, current: number, isDirectory: boolean, umask: number | undefined): number {
  let mode = current & PERM_BITS;
  for (const clause of symbolic.split(',')) {
    const parts = clause.split(/[+=-]/);
    const operators = clause.match(/[+=-]/g) ?? [];
    let users = parts.shift()!;
    const useUmask = users === '';
    if (users === 'a' || users === '') users = 'ugo';
    // As Ansible: only the first character of each part is checked.
    if (/^[^ugo]/.test(users)) throw new ModeError(`bad symbolic permission for mode: ${clause}`);
    parts.forEach((perms, index) => {
      if (/^[^rwxXstugo]/.test(perms)) throw new ModeError(`bad symbolic permission for mode: ${clause}`);
      for (const user of users) {
        const bits = permsFor(user as 'u' | 'g' | 'o', perms, current & PERM_BITS, isDirectory, useUmask ? umask : undefined);
        mode = applyOperation(user as 'u' | 'g' | 'o', operators[index]!, bits, mode);
      }
    });
  }
  return mode;
}

/**
 * The permission bits a mode option gives whatever the path's current mode: a number or
 * an octal string, when chmod takes it; undefined for symbolic modes and anything else.
 */
export function absoluteMode(mode: unknown): number | undefined {
  const value = typeof mode === 'number' ? mode : typeof mode === 'string' ? parseOctal(mode) : undefined;
  return value !== undefined && Number.isInteger(value) && value >= 0 && value <= PERM_BITS ? value : undefined;
}

/** True when the mode is symbolic (needs the target's umask only if a clause lacks its who-part). */
export function needsUmask(mode: unknown): boolean {
  return typeof mode === 'string' && parseOctal(mode) === undefined && mode.split(',').some((clause) => /^[+=-]/.test(clause));
}

/**
 * The permission bits `mode` asks for, given the path's current mode. Fails as Ansible's
 * set_mode_if_different does for a mode that is neither octal nor symbolic.
 */
export function resolveMode(mode: unknown, current: number, isDirectory: boolean, umask: number | undefined, path: string): number {
  if (typeof mode === 'number') return mode;
  const text = String(mode);
  const octal = parseOctal(text);
  if (octal !== undefined) return octal;
  let resolved: number;
  try {
    resolved = symbolicToOctal(text, current, isDirectory, umask);
  } catch (error) {
    throw new ModuleFailure('mode must be in octal or symbolic form', { path, details: (error as Error).message });
  }
  if (resolved !== (resolved & PERM_BITS)) {
    throw new ModuleFailure('Invalid mode supplied, only permission info is allowed', { path, details: resolved });
  }
  return resolved;
}
