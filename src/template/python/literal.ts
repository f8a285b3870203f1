// ast.literal_eval: parses the Python literal syntax (strings, numbers, tuples, lists,
// dicts, sets, True/False/None). Ansible runs rendered task arguments that look like a
// list, dict or bool through it (with JSON's true/false/null accepted as well).
import { dictKey } from '../runtime/ops.js';
import { PyFloat, PyTuple, toPyFloat, toTuple } from '../runtime/types.js';
import { decodePythonEscapes } from './strings.js';

export class LiteralSyntaxError extends Error {}

const NAMES: Record<string, unknown> = { True: true, False: false, None: null };
const JSON_NAMES: Record<string, unknown> = { true: true, false: false, null: null };

class LiteralParser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly jsonNames: boolean,
  ) {}

  parse(): unknown {
    if (/^[ \t\f]/.test(this.text)) this.fail('unexpected indent');
    const value = this.expression();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('invalid syntax');
    return value;
  }

  private fail(message: string): never {
    throw new LiteralSyntaxError(message);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const ch = t[this.pos]!;
      if (ch === ' ' || ch === '\t' || ch === '\f' || ch === '\r') this.pos++;
      else if (ch === '\n' || (ch === '\\' && t[this.pos + 1] === '\n')) {
        if (this.depth === 0 && ch === '\n') {
          // A newline outside brackets ends the expression; only blank lines may follow.
          if (/^[\s]*(#[^\n]*)?[\s]*$/.test(t.slice(this.pos))) this.pos = t.length;
          else this.fail('invalid syntax');
          return;
        }
        this.pos += ch === '\\' ? 2 : 1;
      } else if (ch === '#') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      } else return;
    }
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }

  private expression(): unknown {
    const first = this.unary();
    if (this.peek() === ',' && this.depth === 0) {
      // A bare tuple: `1, 2`
      const items = [first];
      while (this.peek() === ',') {
        this.pos++;
        if (this.peek() === '') break;
        items.push(this.unary());
      }
      return toTuple(items);
    }
    return first;
  }

  private unary(): unknown {
    const ch = this.peek();
    if (ch === '-' || ch === '+') {
      this.pos++;
      const value = this.unary();
      if (typeof value === 'number') return ch === '-' ? -value : value;
      if (value instanceof PyFloat) return ch === '-' ? new PyFloat(-value.value) : value;
      this.fail('malformed node or string');
    }
    return this.atom();
  }

  private atom(): unknown {
    const ch = this.peek();
    const t = this.text;
    if (ch === '[') return this.sequence(']');
    if (ch === '(') return this.sequence(')');
    if (ch === '{') return this.braces();
    if (ch === "'" || ch === '"') return this.strings();
    if (/[0-9.]/.test(ch)) return this.number();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(this.pos));
    if (m) {
      const name = m[0];
      if (/^[rRuUbB]{1,2}$/.test(name) && (t[this.pos + name.length] === "'" || t[this.pos + name.length] === '"')) {
        return this.strings();
      }
      this.pos += name.length;
      if (Object.hasOwn(NAMES, name)) return NAMES[name];
      if (this.jsonNames && Object.hasOwn(JSON_NAMES, name)) return JSON_NAMES[name];
      this.fail('malformed node or string');
    }
    this.fail('invalid syntax');
  }

  private sequence(close: string): unknown {
    this.pos++;
    this.depth++;
    const items: unknown[] = [];
    let sawComma = false;
    for (;;) {
      if (this.peek() === close) {
        this.pos++;
        break;
      }
      items.push(this.unary());
      const next = this.peek();
      if (next === ',') {
        this.pos++;
        sawComma = true;
      } else if (next !== close) this.fail('invalid syntax');
    }
    this.depth--;
    if (close === ')') {
      if (items.length === 1 && !sawComma) return items[0];
      return toTuple(items);
    }
    return items;
  }

  private braces(): unknown {
    this.pos++;
    this.depth++;
    if (this.peek() === '}') {
      this.pos++;
      this.depth--;
      return {};
    }
    const first = this.unary();
    if (this.peek() === ':') {
      const dict: Record<string, unknown> = {};
      this.pos++;
      dict[this.key(first)] = this.unary();
      for (;;) {
        const next = this.peek();
        if (next === '}') break;
        if (next !== ',') this.fail('invalid syntax');
        this.pos++;
        if (this.peek() === '}') break;
        const key = this.unary();
        if (this.peek() !== ':') this.fail('invalid syntax');
        this.pos++;
        dict[this.key(key)] = this.unary();
      }
      this.pos++;
      this.depth--;
      return dict;
    }
    const set = [first];
    for (;;) {
      const next = this.peek();
      if (next === '}') break;
      if (next !== ',') this.fail('invalid syntax');
      this.pos++;
      if (this.peek() === '}') break;
      set.push(this.unary());
    }
    this.pos++;
    this.depth--;
    return new Set(set);
  }

  private key(value: unknown): string {
    if (Array.isArray(value) && !(value instanceof PyTuple)) this.fail("unhashable type: 'list'");
    if (typeof value === 'object' && value !== null && !(value instanceof PyTuple) && !(value instanceof PyFloat)) {
      this.fail('unhashable type');
    }
    return dictKey(value);
  }

  private strings(): string {
    let out = '';
    let any = false;
    for (;;) {
      const t = this.text;
      this.skipSpace();
      const m = /^([rRuUbB]{0,2})('''|"""|'|")/.exec(t.slice(this.pos));
      if (!m) break;
      const prefix = m[1]!.toLowerCase();
      if (prefix.includes('b')) this.fail('bytes literals are not supported');
      const quote = m[2]!;
      let i = this.pos + m[0].length;
      const start = i;
      for (;;) {
        if (i >= t.length) this.fail('unterminated string literal');
        const ch = t[i]!;
        if (ch === '\\') {
          i += 2;
          continue;
        }
        if (quote.length === 1 && ch === '\n') this.fail('unterminated string literal');
        if (t.startsWith(quote, i)) break;
        i++;
      }
      const raw = t.slice(start, i);
      this.pos = i + quote.length;
      out += prefix.includes('r') ? raw : decodePythonEscapes(raw);
      any = true;
    }
    if (!any) this.fail('invalid syntax');
    return out;
  }

  private number(): number | PyFloat {
    const t = this.text.slice(this.pos);
    const int = /^(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+)(?![\w.])/.exec(t);
    if (int) {
      this.pos += int[0].length;
      const body = int[0].replace(/_/g, '');
      const radix = { x: 16, o: 8, b: 2 }[body[1]!.toLowerCase() as 'x' | 'o' | 'b'];
      return parseInt(body.slice(2), radix);
    }
    const m = /^(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?/.exec(t);
    if (!m || m[0] === '.') this.fail('invalid syntax');
    const text = m[0];
    if (/^[jJ]/.test(t.slice(text.length))) this.fail('complex numbers are not supported');
    if (/^[\w]/.test(t.slice(text.length))) this.fail('invalid decimal literal');
    this.pos += text.length;
    const clean = text.replace(/_/g, '');
    if (/[.eE]/.test(clean)) return toPyFloat(Number(clean));
    if (/^0\d/.test(clean) && /[1-9]/.test(clean)) this.fail('leading zeros in decimal integer literals are not permitted');
    return Number(clean);
  }
}

/** ast.literal_eval(text); throws LiteralSyntaxError when the text is not a Python literal. */
export function literalEval(text: string, options: { jsonNames?: boolean } = {}): unknown {
  return new LiteralParser(text, options.jsonNames ?? false).parse();
}
