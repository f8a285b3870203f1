// Jinja2's lexer, producing tokens in the shape nunjucks' parser consumes. nunjucks'
// own tokenizer differs from Jinja2 where templates show it: Python string escapes
// ('\d' stays '\d'), `}}` inside a dict literal, trim_blocks after comments, number
// forms (1e3, 0x1f, 1_000), raw blocks. Whitespace control (`-`, `+`, trim_blocks,
// lstrip_blocks) is applied here, so tag tokens reach the parser without modifiers.
import { decodePythonEscapes } from '../python/strings.js';
import { TemplateSyntaxError } from '../runtime/errors.js';

export interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

export interface LexerOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  /** Ansible's task-argument rule: backslashes in string literals inside `{{ }}` are taken literally. */
  escapeBackslashes: boolean;
  blockStart?: string;
  blockEnd?: string;
  variableStart?: string;
  variableEnd?: string;
  commentStart?: string;
  commentEnd?: string;
}

export const T = {
  STRING: 'string',
  DATA: 'data',
  BLOCK_START: 'block-start',
  BLOCK_END: 'block-end',
  VARIABLE_START: 'variable-start',
  VARIABLE_END: 'variable-end',
  LEFT_PAREN: 'left-paren',
  RIGHT_PAREN: 'right-paren',
  LEFT_BRACKET: 'left-bracket',
  RIGHT_BRACKET: 'right-bracket',
  LEFT_CURLY: 'left-curly',
  RIGHT_CURLY: 'right-curly',
  OPERATOR: 'operator',
  COMMA: 'comma',
  COLON: 'colon',
  TILDE: 'tilde',
  PIPE: 'pipe',
  INT: 'int',
  FLOAT: 'float',
  SYMBOL: 'symbol',
} as const;

const PUNCTUATION: Record<string, string> = {
  '(': T.LEFT_PAREN,
  ')': T.RIGHT_PAREN,
  '[': T.LEFT_BRACKET,
  ']': T.RIGHT_BRACKET,
  '{': T.LEFT_CURLY,
  '}': T.RIGHT_CURLY,
  ',': T.COMMA,
  ':': T.COLON,
  '~': T.TILDE,
  '|': T.PIPE,
};

const OPERATORS = ['**', '//', '==', '!=', '>=', '<=', '+', '-', '*', '/', '%', '>', '<', '=', '.', ';'];
const FLOAT_RE = /(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?[eE][+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/y;
const INT_RE = /0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[\da-fA-F])+|[1-9](?:_?\d)*|0(?:_?0)*/y;
const NAME_RE = /[\p{L}_][\p{L}\p{N}_]*/uy;
const WHITESPACE_RE = /\s+/y;

/** A lexed template: the token list plus the adapter nunjucks' parser expects. */
export class TokenStream {
  private index = 0;
  readonly tags: { VARIABLE_END: string; BLOCK_END: string; COMMENT_END: string; VARIABLE_START: string };

  constructor(
    readonly tokens: Token[],
    options: LexerOptions,
  ) {
    this.tags = {
      VARIABLE_END: options.variableEnd ?? '}}',
      BLOCK_END: options.blockEnd ?? '%}',
      COMMENT_END: options.commentEnd ?? '#}',
      VARIABLE_START: options.variableStart ?? '{{',
    };
  }

  nextToken(): Token | null {
    return this.tokens[this.index++] ?? null;
  }
}

export function tokenize(source: string, options: LexerOptions): TokenStream {
  return new TokenStream(new Lexer(source, options).run(), options);
}

class Lexer {
  private pos = 0;
  private line = 0;
  private lineStart = 0;
  private readonly tokens: Token[] = [];
  private readonly blockStart: string;
  private readonly blockEnd: string;
  private readonly variableStart: string;
  private readonly variableEnd: string;
  private readonly commentStart: string;
  private readonly commentEnd: string;
  /** Strip leading whitespace of the next data token (after a `-` end tag). */
  private stripNext = false;

  constructor(
    private readonly src: string,
    private readonly options: LexerOptions,
  ) {
    this.blockStart = options.blockStart ?? '{%';
    this.blockEnd = options.blockEnd ?? '%}';
    this.variableStart = options.variableStart ?? '{{';
    this.variableEnd = options.variableEnd ?? '}}';
    this.commentStart = options.commentStart ?? '{#';
    this.commentEnd = options.commentEnd ?? '#}';
  }

  private fail(message: string): never {
    throw new TemplateSyntaxError(message, this.line + 1);
  }

  private advanceTo(pos: number): void {
    const src = this.src;
    for (let i = this.pos; i < pos; i++) {
      if (src.charCodeAt(i) === 10) {
        this.line++;
        this.lineStart = i + 1;
      }
    }
    this.pos = pos;
  }

  private push(type: string, value: string, at: number, line: number, lineStart: number): void {
    this.tokens.push({ type, value, lineno: line, colno: at - lineStart });
  }

  run(): Token[] {
    const src = this.src;
    while (this.pos < src.length) {
      const next = this.findTag(this.pos);
      let dataEnd = next ? next.at : src.length;
      let data = src.slice(this.pos, dataEnd);
      if (next) {
        const modifier = src[next.at + next.open.length];
        if (modifier === '-') data = data.replace(/\s+$/, '');
        else if (this.options.lstripBlocks && modifier !== '+' && next.kind !== 'variable') {
          // Only whitespace that starts a line is stripped.
          const lineStarting = this.pos === 0 || src[this.pos - 1] === '\n';
          const m = /(^|\n)[ \t]*$/.exec(data);
          if (m && (m[1] || lineStarting)) data = data.slice(0, m.index + m[1]!.length);
        }
      }
      if (this.stripNext) {
        data = data.replace(/^\s+/, '');
        this.stripNext = false;
      }
      if (data) this.push(T.DATA, data, this.pos, this.line, this.lineStart);
      this.advanceTo(dataEnd);
      if (!next) break;
      if (next.kind === 'comment') this.comment();
      else if (next.kind === 'variable') this.code(this.variableStart, this.variableEnd, T.VARIABLE_START, T.VARIABLE_END);
      else if (!this.raw()) this.code(this.blockStart, this.blockEnd, T.BLOCK_START, T.BLOCK_END);
      dataEnd = this.pos;
    }
    return this.tokens;
  }

  private findTag(from: number): { at: number; kind: 'block' | 'variable' | 'comment'; open: string } | undefined {
    const src = this.src;
    const candidates: [number, 'block' | 'variable' | 'comment', string][] = [
      [src.indexOf(this.blockStart, from), 'block', this.blockStart],
      [src.indexOf(this.variableStart, from), 'variable', this.variableStart],
      [src.indexOf(this.commentStart, from), 'comment', this.commentStart],
    ];
    let best: { at: number; kind: 'block' | 'variable' | 'comment'; open: string } | undefined;
    for (const [at, kind, open] of candidates) {
      if (at >= 0 && (!best || at < best.at)) best = { at, kind, open };
    }
    return best;
  }

  /** After a block or comment end: `-` strips following whitespace, trim_blocks one newline. */
  private afterTagEnd(modifier: string): void {
    if (modifier === '-') this.stripNext = true;
    else if (this.options.trimBlocks && modifier !== '+' && this.src[this.pos] === '\n') this.advanceTo(this.pos + 1);
  }

  private comment(): void {
    const src = this.src;
    const start = this.pos + this.commentStart.length;
    const end = src.indexOf(this.commentEnd, start);
    if (end < 0) this.fail('Missing end of comment tag');
    const modifier = src[end - 1] === '-' && end - 1 >= start ? '-' : '';
    this.advanceTo(end + this.commentEnd.length);
    this.afterTagEnd(modifier);
  }

  /** `{% raw %}...{% endraw %}`: the content is data, untouched. */
  private raw(): boolean {
    const src = this.src;
    const open = new RegExp(`${escapeRe(this.blockStart)}([-+]?)\\s*raw\\s*(-?)${escapeRe(this.blockEnd)}`, 'y');
    open.lastIndex = this.pos;
    const m = open.exec(src);
    if (!m) return false;
    const close = new RegExp(`${escapeRe(this.blockStart)}(-?)\\s*endraw\\s*([-+]?)${escapeRe(this.blockEnd)}`, 'g');
    close.lastIndex = open.lastIndex;
    const c = close.exec(src);
    if (!c) this.fail('Missing end of raw directive');
    let content = src.slice(open.lastIndex, c.index);
    if (m[2] === '-') content = content.replace(/^\s+/, '');
    if (c[1] === '-') content = content.replace(/\s+$/, '');
    const line = this.line;
    const lineStart = this.lineStart;
    this.advanceTo(open.lastIndex);
    if (content) this.push(T.DATA, content, this.pos, line, lineStart);
    this.advanceTo(close.lastIndex);
    this.afterTagEnd(c[2]!);
    return true;
  }

  private code(open: string, close: string, startType: string, endType: string): void {
    const src = this.src;
    this.push(startType, open, this.pos, this.line, this.lineStart);
    this.advanceTo(this.pos + open.length);
    if (src[this.pos] === '-' || src[this.pos] === '+') this.advanceTo(this.pos + 1);
    const balance: string[] = [];
    const inVariable = startType === T.VARIABLE_START;
    for (;;) {
      WHITESPACE_RE.lastIndex = this.pos;
      const ws = WHITESPACE_RE.exec(src);
      if (ws) this.advanceTo(this.pos + ws[0].length);
      if (this.pos >= src.length) {
        this.fail(`unexpected end of template, expected '${inVariable ? 'end of print statement' : 'end of statement block'}'.`);
      }
      if (balance.length === 0) {
        const modifier = src[this.pos] === '-' || src[this.pos] === '+' ? src[this.pos]! : '';
        if (src.startsWith(close, this.pos + modifier.length) && (modifier !== '+' || !inVariable)) {
          this.push(endType, close, this.pos, this.line, this.lineStart);
          this.advanceTo(this.pos + modifier.length + close.length);
          if (inVariable) {
            if (modifier === '-') this.stripNext = true;
          } else this.afterTagEnd(modifier);
          return;
        }
      }
      const at = this.pos;
      const line = this.line;
      const lineStart = this.lineStart;
      const ch = src[at]!;
      if (ch === '"' || ch === "'") {
        this.push(T.STRING, this.string(ch, inVariable), at, line, lineStart);
        continue;
      }
      if (ch >= '0' && ch <= '9') {
        FLOAT_RE.lastIndex = at;
        const f = src[at - 1] === '.' ? null : FLOAT_RE.exec(src);
        if (f) {
          this.push(T.FLOAT, f[0].replace(/_/g, ''), at, line, lineStart);
          this.advanceTo(at + f[0].length);
          continue;
        }
        INT_RE.lastIndex = at;
        const i = INT_RE.exec(src);
        if (i) {
          this.push(T.INT, i[0].replace(/_/g, ''), at, line, lineStart);
          this.advanceTo(at + i[0].length);
          continue;
        }
      }
      NAME_RE.lastIndex = at;
      const name = NAME_RE.exec(src);
      if (name) {
        this.push(T.SYMBOL, name[0], at, line, lineStart);
        this.advanceTo(at + name[0].length);
        continue;
      }
      const punct = PUNCTUATION[ch];
      if (punct) {
        if (ch === '(' || ch === '[' || ch === '{') balance.push(ch);
        else if (ch === ')' || ch === ']' || ch === '}') {
          const expected = { ')': '(', ']': '[', '}': '{' }[ch];
          const top = balance.pop();
          if (top !== expected) this.fail(top ? `unexpected '${ch}', expected '${{ '(': ')', '[': ']', '{': '}' }[top]}'` : `unexpected '${ch}'`);
        }
        this.push(punct, ch, at, line, lineStart);
        this.advanceTo(at + 1);
        continue;
      }
      const op = OPERATORS.find((o) => src.startsWith(o, at));
      if (op) {
        this.push(T.OPERATOR, op, at, line, lineStart);
        this.advanceTo(at + op.length);
        continue;
      }
      this.fail(`unexpected char ${JSON.stringify(ch).replace(/^"|"$/g, "'")} at ${at}`);
    }
  }

  private string(quote: string, inVariable: boolean): string {
    const src = this.src;
    let i = this.pos + 1;
    for (;;) {
      if (i >= src.length) this.fail('unexpected end of template, string literal not terminated');
      const ch = src[i]!;
      if (ch === '\\') i += 2;
      else if (ch === quote) break;
      else i++;
    }
    const raw = src.slice(this.pos + 1, i);
    this.advanceTo(i + 1);
    if (this.options.escapeBackslashes && inVariable) return decodePythonEscapes(raw.replace(/\\/g, '\\\\'));
    try {
      return decodePythonEscapes(raw);
    } catch (e) {
      return this.fail((e as Error).message);
    }
  }
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
