// Python call signatures for the builtin filters, tests and functions: binds positional
// and keyword arguments to parameter names with Python's rules and error messages.
import { literalEval } from '../python/literal.js';
import { pyTypeError } from './errors.js';
import { Kwargs } from './types.js';

interface Param {
  name: string;
  hasDefault: boolean;
  default: unknown;
  /** Declared after *args: only given by keyword. */
  keywordOnly: boolean;
}

export interface Signature {
  name: string;
  params: Param[];
  varargs?: string | undefined;
  varkw?: string | undefined;
}

export type BoundArgs = Record<string, unknown>;

/** `"value, reverse=False, attribute=None, *args, **kwargs"` -> Signature. Defaults are Python literals. */
export function parseSignature(name: string, spec: string): Signature {
  const sig: Signature = { name, params: [] };
  if (!spec.trim()) return sig;
  for (const raw of splitTopLevel(spec)) {
    const part = raw.trim();
    if (part.startsWith('**')) sig.varkw = part.slice(2);
    else if (part.startsWith('*')) sig.varargs = part.slice(1);
    else {
      const eq = part.indexOf('=');
      const keywordOnly = sig.varargs !== undefined;
      if (eq < 0) sig.params.push({ name: part, hasDefault: false, default: undefined, keywordOnly });
      else sig.params.push({ name: part.slice(0, eq).trim(), hasDefault: true, default: literalEval(part.slice(eq + 1).trim()), keywordOnly });
    }
  }
  return sig;
}

function splitTopLevel(spec: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const ch of spec) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Binds a call's arguments to the signature's parameters (defaults filled in). */
export function bindArgs(sig: Signature, args: readonly unknown[], kwargs: Kwargs): BoundArgs {
  const bound: BoundArgs = {};
  const params = sig.params.filter((p) => !p.keywordOnly);
  if (args.length > params.length && !sig.varargs) {
    const required = params.filter((p) => !p.hasDefault).length;
    const takes = required === params.length ? String(params.length) : `from ${required} to ${params.length}`;
    throw pyTypeError(`${sig.name}() takes ${takes} positional argument${params.length === 1 ? '' : 's'} but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`);
  }
  const n = Math.min(args.length, params.length);
  for (let i = 0; i < n; i++) bound[params[i]!.name] = args[i];
  if (sig.varargs) bound[sig.varargs] = args.slice(params.length);
  let extra: Kwargs | undefined;
  for (const key of Object.keys(kwargs)) {
    const param = sig.params.find((p) => p.name === key);
    if (param) {
      if (Object.hasOwn(bound, key)) throw pyTypeError(`${sig.name}() got multiple values for argument '${key}'`);
      bound[key] = kwargs[key];
    } else if (sig.varkw) (extra ??= {})[key] = kwargs[key];
    else throw pyTypeError(`${sig.name}() got an unexpected keyword argument '${key}'`);
  }
  if (sig.varkw) bound[sig.varkw] = extra ?? {};
  const missing: string[] = [];
  for (const p of sig.params) {
    if (Object.hasOwn(bound, p.name)) continue;
    if (p.hasDefault) bound[p.name] = p.default;
    else missing.push(p.name);
  }
  if (missing.length) {
    const names = missing.map((m) => `'${m}'`);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    throw pyTypeError(`${sig.name}() missing ${plural(missing.length, 'required positional argument')}: ${list}`);
  }
  return bound;
}
