// Python's ast.literal_eval over one line of text, as Ansible's INI inventory applies it
// to every variable value: numbers, quoted strings, True/False/None, lists, tuples,
// dicts and sets become data; anything else is not a literal and the caller keeps the
// text as it was. Tuples and sets become arrays (their JSON form in Ansible's output).
// Complex numbers and Ellipsis have no JSON form and are treated as not literals.

export type LiteralResult = { ok: true; value: unknown } | { ok: false };

const NOT_LITERAL: LiteralResult = { ok: false };

type Token =
  | { kind: 'number'; value: number; complex: boolean }
  | { kind: 'string'; value: string; bytes: boolean }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'end' };

class NotLiteral extends Error {}

const fail = (): never => {
  throw new NotLiteral();
};

const DIGITS = String.raw`[0-9](?:_?[0-9])*`;
const EXPONENT = String.raw`[eE][+-]?${DIGITS}`;
const POINT_FLOAT = String.raw`(?:${DIGITS})?\.${DIGITS}|${DIGITS}\.`;
const FLOAT = String.raw`(?:${POINT_FLOAT})(?:${EXPONENT})?|${DIGITS}${EXPONENT}`;
const NUMBER = new RegExp(
  String.raw`^(?:(?<imag>(?:${FLOAT}|${DIGITS})[jJ])|(?<float>${FLOAT})|(?<hex>0[xX](?:_?[0-9a-fA-F])+)|(?<oct>0[oO](?:_?[0-7])+)|(?<bin>0[bB](?:_?[01])+)|(?<dec>[1-9](?:_?[0-9])*|0(?:_?0)*))`,
);
const STRING_START = /^(?<prefix>[rR][bB]?|[bB][rR]?|[uU]|[fF][rR]?|[rR][fF])?(?<quote>'''|"""|'|")/;
const NAME = /^[\p{L}_][\p{L}\p{N}_]*/u;
const OPERATORS = ['...', '**', '(', ')', '[', ']', '{', '}', ',', ':', '+', '-', '*', '.', '=', '<', '>', '/', '%', '|', '&', '^', '~', '@', '!', ';'];

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '',
};

function decodeEscapes(body: string, bytes: boolean): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[++i]!;
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
    } else if (/[0-7]/.test(next)) {
      let digits = next;
      while (digits.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) digits += body[++i];
      out += String.fromCodePoint(parseInt(digits, 8));
    } else if (next === 'x') {
      const hex = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail();
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else if (!bytes && (next === 'u' || next === 'U')) {
      const width = next === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) fail();
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) fail();
      out += String.fromCodePoint(code);
      i += width;
    } else if (!bytes && next === 'N') {
      // \N{UNICODE NAME} needs Python's name table: not treated as a literal.
      fail();
    } else {
      out += `\\${next}`;
    }
  }
  return out;
}

/** Bytes literals hold code units 0-255; Ansible turns them into text as UTF-8. */
function bytesToText(raw: string): string {
  return Buffer.from(raw, 'latin1').toString('utf8');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\f' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#') break;
    if (ch === '\\' && (text[i + 1] === '\n' || i + 1 === text.length)) fail();

    const str = STRING_START.exec(rest);
    if (str) {
      const prefix = (str.groups!.prefix ?? '').toLowerCase();
      const quote = str.groups!.quote!;
      if (prefix.includes('f')) fail();
      const raw = prefix.includes('r');
      const bytes = prefix.includes('b');
      let j = str[0].length;
      let closed = false;
      let body = '';
      while (j < rest.length) {
        if (rest[j] === '\\') {
          body += rest.slice(j, j + 2);
          j += 2;
          continue;
        }
        if (rest.startsWith(quote, j)) {
          closed = true;
          j += quote.length;
          break;
        }
        if (quote.length === 1 && rest[j] === '\n') break;
        body += rest[j];
        j++;
      }
      if (!closed) fail();
      if (bytes && /[^\x00-\x7f]/.test(body)) fail();
      let value = raw ? body : decodeEscapes(body, bytes);
      if (bytes) value = bytesToText(value);
      tokens.push({ kind: 'string', value, bytes });
      i += j;
      continue;
    }

    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = NUMBER.exec(rest);
      if (!m) fail();
      const match = m![0];
      // Python's tokenizer rejects a number glued to a name or more digits (0644, 5x).
      if (/^[\p{L}\p{N}_.]/u.test(rest.slice(match.length))) fail();
      const g = m!.groups!;
      const clean = match.replace(/_/g, '');
      let value: number;
      if (g.imag) value = Number(clean.slice(0, -1));
      else if (g.float) value = Number(clean);
      else if (g.hex) value = parseInt(clean.slice(2), 16);
      else if (g.oct) value = parseInt(clean.slice(2), 8);
      else if (g.bin) value = parseInt(clean.slice(2), 2);
      else value = Number(clean);
      tokens.push({ kind: 'number', value, complex: g.imag !== undefined });
      i += match.length;
      continue;
    }

    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }

    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (!op) fail();
    tokens.push({ kind: 'op', value: op! });
    i += op!.length;
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

/** A parsed value, remembering what Python would need to know about it. */
interface Node {
  value: unknown;
  /** 'num' for int/float constants: only they may take a sign. */
  kind: 'num' | 'other';
  hashable: boolean;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === value;
  }

  private expectOp(value: string): void {
    if (!this.isOp(value)) fail();
    this.pos++;
  }

  parseTop(): unknown {
    const node = this.parseExprList('end');
    if (this.peek().kind !== 'end') fail();
    return node.value;
  }

  /** `a, b, c` (a tuple when a comma appears) up to the closing token. */
  private parseExprList(close: string): Node {
    const first = this.parseExpr();
    if (!this.isOp(',')) return first;
    const items: Node[] = [first];
    while (this.isOp(',')) {
      this.pos++;
      if (this.atClose(close)) break;
      items.push(this.parseExpr());
    }
    return { value: items.map((n) => n.value), kind: 'other', hashable: items.every((n) => n.hashable) };
  }

  private atClose(close: string): boolean {
    const t = this.peek();
    return close === 'end' ? t.kind === 'end' : t.kind === 'op' && t.value === close;
  }

  /**
   * An atom with an optional sign. literal_eval also allows `real +/- imaginary`, but
   * complex numbers have no JSON form, so any binary operator ends the literal.
   */
  private parseExpr(): Node {
    const node = this.parseSigned();
    if (this.isOp('+') || this.isOp('-')) fail();
    return node;
  }

  private parseSigned(): Node {
    if (this.isOp('+') || this.isOp('-')) {
      const negative = this.isOp('-');
      this.pos++;
      const operand = this.parseAtom();
      if (operand.kind !== 'num') fail();
      return { value: negative ? -(operand.value as number) : operand.value, kind: 'other', hashable: true };
    }
    return this.parseAtom();
  }

  private parseAtom(): Node {
    const t = this.peek();
    if (t.kind === 'number') {
      if (t.complex) fail();
      this.pos++;
      return { value: t.value, kind: 'num', hashable: true };
    }
    if (t.kind === 'string') {
      let value = '';
      const bytes = t.bytes;
      while (this.peek().kind === 'string') {
        const s = this.peek() as Extract<Token, { kind: 'string' }>;
        if (s.bytes !== bytes) fail();
        value += s.value;
        this.pos++;
      }
      return { value, kind: 'other', hashable: true };
    }
    if (t.kind === 'name') {
      this.pos++;
      if (t.value === 'True') return { value: true, kind: 'other', hashable: true };
      if (t.value === 'False') return { value: false, kind: 'other', hashable: true };
      if (t.value === 'None') return { value: null, kind: 'other', hashable: true };
      if (t.value === 'set' && this.isOp('(')) {
        this.pos++;
        this.expectOp(')');
        return { value: [], kind: 'other', hashable: false };
      }
      return fail();
    }
    if (t.kind === 'op') {
      if (t.value === '(') {
        this.pos++;
        if (this.isOp(')')) {
          this.pos++;
          return { value: [], kind: 'other', hashable: true };
        }
        const inner = this.parseExprList(')');
        this.expectOp(')');
        return inner;
      }
      if (t.value === '[') {
        this.pos++;
        const items = this.parseItems(']');
        return { value: items.map((n) => n.value), kind: 'other', hashable: false };
      }
      if (t.value === '{') return this.parseBrace();
    }
    return fail();
  }

  private parseItems(close: string): Node[] {
    const items: Node[] = [];
    while (!this.isOp(close)) {
      items.push(this.parseExpr());
      if (this.isOp(',')) this.pos++;
      else if (!this.isOp(close)) fail();
    }
    this.pos++;
    return items;
  }

  private parseBrace(): Node {
    this.pos++;
    if (this.isOp('}')) {
      this.pos++;
      return { value: {}, kind: 'other', hashable: false };
    }
    const first = this.parseExpr();
    if (!this.isOp(':')) {
      // A set: Ansible's JSON output shows it as a list.
      const items = [first];
      if (this.isOp(',')) {
        this.pos++;
        items.push(...this.parseItems('}'));
      } else {
        this.expectOp('}');
      }
      if (items.some((n) => !n.hashable)) fail();
      const unique: unknown[] = [];
      for (const n of items) if (!unique.some((u) => samePyValue(u, n.value))) unique.push(n.value);
      return { value: unique, kind: 'other', hashable: false };
    }
    // Python keys 1, 1.0 and True are the same key: the first spelling stays, the last value wins.
    const entries = new Map<string, { key: string; value: unknown }>();
    let key = first;
    for (;;) {
      this.expectOp(':');
      const value = this.parseExpr();
      if (!key.hashable) fail();
      const identity = pyHashKey(key.value);
      const existing = entries.get(identity);
      if (existing) existing.value = value.value;
      else entries.set(identity, { key: pyKey(key.value), value: value.value });
      if (this.isOp(',')) this.pos++;
      else if (!this.isOp('}')) fail();
      if (this.isOp('}')) break;
      key = this.parseExpr();
    }
    this.pos++;
    const out: Record<string, unknown> = {};
    for (const { key: k, value } of entries.values()) out[k] = value;
    return { value: out, kind: 'other', hashable: false };
  }
}

function samePyValue(a: unknown, b: unknown): boolean {
  // Python: 1 == 1.0 == True in a set.
  const norm = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** Equal Python dict keys get the same identity (True == 1 == 1.0). */
function pyHashKey(key: unknown): string {
  if (typeof key === 'boolean') return `n:${Number(key)}`;
  if (typeof key === 'number') return `n:${key}`;
  if (typeof key === 'string') return `s:${key}`;
  return JSON.stringify(key);
}

/** How json.dumps writes a non-string dict key. */
function pyKey(key: unknown): string {
  if (key === null) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (Array.isArray(key)) fail();
  return String(key);
}

/** ast.literal_eval(text); `{ ok: false }` where Python raises ValueError or SyntaxError. */
export function literalEval(text: string): LiteralResult {
  try {
    const source = text.replace(/^[ \t]+/, '');
    return { ok: true, value: new Parser(tokenize(source)).parseTop() };
  } catch (err) {
    if (err instanceof NotLiteral) return NOT_LITERAL;
    throw err;
  }
}
