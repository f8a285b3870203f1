// Ansible's ensure_type: the text of a setting (from ansible.cfg or the environment)
// turned into the setting's type. Relative paths from ansible.cfg are relative to the
// directory of that file; from the environment or defaults, to the current directory.
import { unfrackPath, type PathContext } from './paths.js';
import type { SettingType } from './setting.js';
import { pyStrRepr } from '../template/runtime/repr.js';

export class SettingTypeError extends Error {}

const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't']);

/** module_utils boolean(value, strict=False). */
export function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1;
  return TRUE_WORDS.has(String(value).toLowerCase().trim());
}

/** Python's unquote: drop one pair of matching surrounding quotes. */
export function unquote(text: string): string {
  if (text.length > 1 && text[0] === text.at(-1) && (text[0] === '"' || text[0] === "'") && text.at(-2) !== '\\') {
    return text.slice(1, -1);
  }
  return text;
}

/** Python int(text). */
function pyInt(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'boolean') return Number(value);
  const text = String(value);
  const t = text.trim();
  if (/^[-+]?[0-9](?:_?[0-9])*$/.test(t)) return Number.parseInt(t.replace(/_/g, ''), 10);
  throw new SettingTypeError(`invalid literal for int() with base 10: ${pyStrRepr(text)}`);
}

/** Python float(text). */
function pyFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  const text = String(value);
  const t = text.trim().toLowerCase();
  if (/^[-+]?(?:inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/.test(t)) return NaN;
  if (/^[-+]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:e[-+]?[0-9](?:_?[0-9])*)?$/.test(t)) {
    return Number(t.replace(/_/g, ''));
  }
  throw new SettingTypeError(`could not convert string to float: ${pyStrRepr(text)}`);
}

export interface ConvertContext extends PathContext {
  cwd: string;
  /** Directory of the config file when the value came from it. */
  baseDir: string | undefined;
}

function resolvePath(path: string, ctx: ConvertContext): string {
  // {{CWD}} lets a config file force paths relative to where Ansible runs
  const expanded = path.includes('{{CWD}}') ? path.split('{{CWD}}').join(ctx.cwd) : path;
  return unfrackPath(expanded, ctx.baseDir ?? ctx.cwd, ctx);
}

/** Convert a raw setting value to its type; throws SettingTypeError with Python's wording. */
export function ensureType(value: unknown, type: SettingType, ctx: ConvertContext): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'boolean':
      return toBoolean(value);
    case 'integer':
      return pyInt(value);
    case 'float':
      return pyFloat(value);
    case 'list':
      if (typeof value === 'string') return value.split(',').map((x) => unquote(x.trim()));
      if (!Array.isArray(value)) throw new SettingTypeError(`Invalid type provided for "list": ${String(value)}`);
      return value;
    case 'none':
      if (value === 'None') return null;
      throw new SettingTypeError(`Invalid type provided for "None": ${String(value)}`);
    case 'path':
    case 'tmppath':
      // Ansible creates a per-run temporary directory inside a tmppath; tsplay resolves the
      // path only and leaves creating directories to whoever uses it.
      if (typeof value !== 'string') throw new SettingTypeError(`Invalid type provided for "${type === 'path' ? 'path' : 'temppath'}": ${String(value)}`);
      return resolvePath(value, ctx);
    case 'pathspec': {
      const parts = typeof value === 'string' ? value.split(':') : value;
      if (!Array.isArray(parts)) throw new SettingTypeError(`Invalid type provided for "pathspec": ${String(value)}`);
      return parts.map((p) => resolvePath(String(p), ctx));
    }
    case 'pathlist': {
      const parts = typeof value === 'string' ? value.split(',').map((x) => x.trim()) : value;
      if (!Array.isArray(parts)) throw new SettingTypeError(`Invalid type provided for "pathlist": ${String(value)}`);
      return parts.map((p) => resolvePath(String(p), ctx));
    }
    case 'dict':
      if (typeof value !== 'object' || Array.isArray(value)) throw new SettingTypeError(`Invalid type provided for "dictionary": ${String(value)}`);
      return value;
    case 'string':
      if (typeof value === 'string') return unquote(value);
      if (typeof value === 'boolean') return value ? 'True' : 'False';
      if (typeof value === 'number') return String(value);
      throw new SettingTypeError(`Invalid type provided for "string": ${String(value)}`);
    case 'raw':
    case 'untyped':
      return typeof value === 'string' ? unquote(value) : value;
  }
}
