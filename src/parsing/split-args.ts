// Ansible's `k=v` argument strings: `copy: src=a dest="b c"`, `command: echo {{ x }} chdir=/tmp`.
// Splitting is on spaces and newlines, but a quoted string or a Jinja2 block ({{ }}, {% %},
// {# #}) stays one token even when it contains spaces or newlines.
import { ParserError } from '../errors.js';

/** Free-form modules keep everything that is not one of these keys as `_raw_params`. */
const FREE_FORM_KEYS = new Set([
  'creates',
  'removes',
  'chdir',
  'executable',
  'warn',
  'stdin',
  'stdin_add_newline',
  'strip_empty_ends',
]);

/** The quote still open after `token` (an unescaped quote opens or closes). */
function openQuoteAfter(token: string, open: string | null): string | null {
  for (let i = 0; i < token.length; i++) {
    const ch = token[i]!;
    if ((ch === '"' || ch === "'") && (i === 0 || token[i - 1] !== '\\')) {
      if (open === null) open = ch;
      else if (ch === open) open = null;
    }
  }
  return open;
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Depth of nested Jinja2 delimiters after `token`, never below zero. */
function depthAfter(token: string, depth: number, open: string, close: string): number {
  const delta = count(token, open) - count(token, close);
  return delta === 0 ? depth : Math.max(0, depth + delta);
}

export function splitArgs(args: string): string[] {
  const params: string[] = [];
  const lines = args.split('\n');
  let quote: string | null = null;
  let inQuotes = false;
  const depth = { print: 0, block: 0, comment: 0 };
  const inJinja = () => depth.print > 0 || depth.block > 0 || depth.comment > 0;
  const appendToLast = (text: string) => {
    if (params.length === 0) throw new ParserError('Unable to parse argument string');
    params[params.length - 1] += text;
  };

  lines.forEach((line, lineIndex) => {
    const tokens = line.split(' ');
    let continuation = false;
    tokens.forEach((token, index) => {
      // Consecutive spaces: keep them inside the previous token.
      if (token.length === 0 && index !== 0) {
        appendToLast(' ');
        return;
      }
      if (token === '\\' && !inQuotes) {
        continuation = true;
        return;
      }
      const wasInQuotes = inQuotes;
      quote = openQuoteAfter(token, quote);
      inQuotes = quote !== null;
      let appended = false;
      if (inQuotes && !wasInQuotes && !inJinja()) {
        params.push(token);
        appended = true;
      } else if (inJinja() || inQuotes || wasInQuotes) {
        if (index === 0 && wasInQuotes) appendToLast(token);
        else if (tokens.length > 1) appendToLast(`${index > 0 ? ' ' : ''}${token}`);
        else appendToLast(`\n${token}`);
        appended = true;
      }
      for (const [key, open, close] of [
        ['print', '{{', '}}'],
        ['block', '{%', '%}'],
        ['comment', '{#', '#}'],
      ] as const) {
        const before = depth[key];
        depth[key] = depthAfter(token, before, open, close);
        if (depth[key] !== before && !appended) {
          params.push(token);
          appended = true;
        }
      }
      if (!inJinja() && !inQuotes && !appended && token !== '') params.push(token);
    });
    if (lines.length > 1 && lineIndex !== lines.length - 1 && !continuation) appendToLast('\n');
  });

  if (inJinja() || inQuotes) {
    throw new ParserError(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`);
  }
  return params;
}

/** Rejoin split tokens, keeping the original newlines. */
export function joinArgs(tokens: readonly string[]): string {
  let out = '';
  for (const token of tokens) out += out.length === 0 || out.endsWith('\n') ? token : ` ${token}`;
  return out;
}

/** Strip one pair of matching surrounding quotes. */
export function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) {
    return text.slice(1, -1);
  }
  return text;
}

const ESCAPES = /\\U[0-9a-fA-F]{8}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\[\\'"abfnrtv]/g;
const SIMPLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function decodeEscapes(text: string): string {
  return text.replace(ESCAPES, (seq) => {
    const kind = seq[1]!;
    if (kind === 'U' || kind === 'u' || kind === 'x') return String.fromCodePoint(parseInt(seq.slice(2), 16));
    return SIMPLE[kind] ?? seq;
  });
}

/**
 * `a=1 b="x y"` -> { a: '1', b: 'x y' }. Words without `=` (and, for free-form modules,
 * every key that is not a recognised option) are kept, joined, as `_raw_params`.
 */
export function parseKv(args: string, freeForm = false): Record<string, string> {
  const options: Record<string, string> = {};
  const raw: string[] = [];
  for (const original of splitArgs(args)) {
    const token = decodeEscapes(original);
    let eq = -1;
    for (let i = token.indexOf('=', 1); i !== -1; i = token.indexOf('=', i + 1)) {
      if (token[i - 1] !== '\\') {
        eq = i;
        break;
      }
    }
    if (!token.includes('=')) {
      raw.push(original);
    } else if (eq === -1) {
      raw.push(token.replace(/\\=/g, '='));
    } else {
      const key = token.slice(0, eq);
      if (freeForm && !FREE_FORM_KEYS.has(key)) raw.push(original);
      else options[key.trim()] = unquote(token.slice(eq + 1).trim());
    }
  }
  if (raw.length > 0) options._raw_params = joinArgs(raw);
  return options;
}
