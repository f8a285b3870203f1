// What the run history keeps of secrets: nothing. Command-line arguments are stored with
// the values of -e/--extra-vars keys that name a secret replaced (here), and every stored
// text has the run's known secret values masked (secret-masker.ts).
//
// Rules for -e values:
//   - `@file` references are kept (the file's content is not stored);
//   - `key=value` pairs keep the value unless the key names a secret (SECRET_KEY);
//   - JSON/YAML objects keep their shape; values under secret-named keys are replaced;
//   - a vault-encrypted value, or a value that cannot be parsed, is replaced whole.
import { parse as parseYaml } from 'yaml';

export const REDACTED = '<redacted>';

/** Key names that hold secrets: passwords, tokens, keys, credentials, certificates. */
export const SECRET_KEY = /pass|pwd|secret|token|key|cred|auth|private|cert|vault|otp|session|cookie|signature|salt/i;

function redactData(value: unknown, key: string | undefined): unknown {
  if (key !== undefined && SECRET_KEY.test(key)) return REDACTED;
  if (typeof value === 'string' && value.includes('$ANSIBLE_VAULT')) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactData(item, undefined));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactData(v, k)]));
  }
  return value;
}

/** Split `a=1 b="two words"` as Ansible's key=value parser does, keeping quotes. */
function splitKeyValues(text: string): string[] | undefined {
  const tokens: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      current += ch;
      if (ch === '\\' && i + 1 < text.length) current += text[++i];
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (/\s/.test(ch)) {
      if (current) tokens.push(current);
      current = '';
    } else current += ch;
  }
  if (quote) return undefined;
  if (current) tokens.push(current);
  return tokens;
}

export function redactExtraVars(value: string): string {
  const text = value.trim();
  if (text.startsWith('@')) return value;
  if (text.includes('$ANSIBLE_VAULT')) return REDACTED;
  if (text.startsWith('{') || text.startsWith('[') || text.includes('\n')) {
    try {
      return JSON.stringify(redactData(parseYaml(text) as unknown, undefined));
    } catch {
      return REDACTED;
    }
  }
  const tokens = splitKeyValues(text);
  if (!tokens) return REDACTED;
  return tokens
    .map((token) => {
      const eq = token.indexOf('=');
      if (eq <= 0) return token;
      const key = token.slice(0, eq);
      return SECRET_KEY.test(key) ? `${key}=${REDACTED}` : token;
    })
    .join(' ');
}

/** Single-dash flags of ansible-playbook that take a value (the rest of the bundle or the next argument). */
const SHORT_WITH_VALUE = new Set(['i', 'l', 't', 'e', 'f', 'u', 'c', 'T', 'M']);

/** The command line with -e values redacted (all spellings: -e v, -ev, -vve v, --extra-vars[=]v, --extra=v). */
export function redactArguments(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--')) {
      const [name, attached] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
      const isExtraVars = name.length >= 3 && '--extra-vars'.startsWith(name);
      if (!isExtraVars) {
        out.push(arg);
        continue;
      }
      if (attached !== undefined) out.push(`${name}=${redactExtraVars(attached)}`);
      else {
        out.push(arg);
        if (i + 1 < argv.length) out.push(redactExtraVars(argv[++i]!));
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      let handled = false;
      for (let j = 1; j < arg.length; j++) {
        const flag = arg[j]!;
        if (!SHORT_WITH_VALUE.has(flag)) continue;
        const rest = arg.slice(j + 1);
        if (flag === 'e') {
          if (rest) out.push(`${arg.slice(0, j + 1)}${redactExtraVars(rest)}`);
          else {
            out.push(arg);
            if (i + 1 < argv.length) out.push(redactExtraVars(argv[++i]!));
          }
          handled = true;
        } else if (!rest) {
          out.push(arg);
          if (i + 1 < argv.length) out.push(argv[++i]!);
          handled = true;
        }
        break;
      }
      if (!handled) out.push(arg);
      continue;
    }
    out.push(arg);
  }
  return out;
}
