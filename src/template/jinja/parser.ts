// Jinja2's grammar on top of nunjucks' parser. The expression grammar is Jinja2's
// (operator precedence, `is` tests with or without parentheses, slices, tuples, keyword
// arguments, filters with dotted names); statements nunjucks lacks or parses differently
// (for-if, set with tuples and namespace attributes, set blocks with filters, with,
// filter blocks, call blocks, include with/without context) are parsed here too.
// Macros, blocks, extends, import and from-import keep nunjucks' parsing.
import { TemplateSyntaxError } from '../runtime/errors.js';
import { T, Token, TokenStream } from './lexer.js';
import { J } from './nodes.js';
import { JNode, nodes, ParserClass } from './nunjucks.js';

const COMPARE_OPS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const TEST_ARG_TOKENS = new Set<string>([T.SYMBOL, T.STRING, T.INT, T.FLOAT, T.LEFT_PAREN, T.LEFT_BRACKET, T.LEFT_CURLY]);

function describe(tok: Token | null): string {
  if (!tok) return 'end of template';
  switch (tok.type) {
    case T.VARIABLE_END:
      return 'end of print statement';
    case T.BLOCK_END:
      return 'end of statement block';
    case T.STRING:
      return 'string';
    case T.INT:
      return 'integer';
    case T.FLOAT:
      return 'float';
    default:
      return tok.value;
  }
}

export class JinjaParser extends ParserClass {
  private readonly stream: TokenStream;
  private pos = 0;

  constructor(stream: TokenStream) {
    super(stream);
    this.stream = stream;
  }

  // ---- token access (array based, so any lookahead is possible) ------------------------

  nextToken(): Token | null {
    return this.stream.tokens[this.pos++] ?? null;
  }

  peekToken(): Token | null {
    return this.stream.tokens[this.pos] ?? null;
  }

  look(offset = 1): Token | null {
    return this.stream.tokens[this.pos + offset] ?? null;
  }

  pushToken(tok: Token | null): void {
    if (tok) this.pos--;
  }

  fail(message: string, lineno?: number): never {
    const tok = this.peekToken();
    throw new TemplateSyntaxError(message, (lineno ?? tok?.lineno ?? 0) + 1);
  }

  error(message: string, lineno?: number): TemplateSyntaxError {
    return new TemplateSyntaxError(message, (lineno ?? this.peekToken()?.lineno ?? 0) + 1);
  }

  skip(type: string): boolean {
    if (this.peekToken()?.type === type) {
      this.pos++;
      return true;
    }
    return false;
  }

  skipValue(type: string, value: string): boolean {
    const tok = this.peekToken();
    if (tok?.type === type && tok.value === value) {
      this.pos++;
      return true;
    }
    return false;
  }

  skipSymbol(value: string): boolean {
    return this.skipValue(T.SYMBOL, value);
  }

  expect(type: string): Token {
    const tok = this.nextToken();
    if (!tok || tok.type !== type) {
      const want = type === T.SYMBOL ? 'name' : type;
      this.pos--;
      this.fail(`expected token '${want}', got '${describe(tok)}'`);
    }
    return tok;
  }

  private isOp(tok: Token | null, value: string): boolean {
    return tok !== null && tok.type === T.OPERATOR && tok.value === value;
  }

  private isName(tok: Token | null, value: string): boolean {
    return tok !== null && tok.type === T.SYMBOL && tok.value === value;
  }

  // ---- template structure --------------------------------------------------------------

  parseNodes(): JNode[] {
    const buf: JNode[] = [];
    let tok: Token | null;
    while ((tok = this.nextToken())) {
      if (tok.type === T.DATA) {
        buf.push(new nodes.Output(tok.lineno, tok.colno, [new nodes.TemplateData(tok.lineno, tok.colno, tok.value)]));
      } else if (tok.type === T.BLOCK_START) {
        const node = this.parseStatement();
        if (!node) break;
        buf.push(node);
      } else if (tok.type === T.VARIABLE_START) {
        const expr = this.parseTuple();
        const end = this.nextToken();
        if (!end || end.type !== T.VARIABLE_END) {
          this.pos--;
          this.fail(`expected token 'end of print statement', got '${describe(end)}'`);
        }
        buf.push(new nodes.Output(tok.lineno, tok.colno, [expr]));
      } else {
        this.fail(`unexpected '${describe(tok)}'`, tok.lineno);
      }
    }
    return buf;
  }

  override parseUntilBlocks(...names: string[]): JNode {
    const body = super.parseUntilBlocks(...names);
    if (!this.peekToken()) {
      const shown = names.filter((n) => n !== 'elseif');
      const block = names.find((n) => n.startsWith('end'))?.slice(3) ?? names[0];
      this.fail(
        `Unexpected end of template. Jinja was looking for the following tags: ${shown.map((n) => `'${n}'`).join(' or ')}. The innermost block that needs to be closed is '${block}'.`,
      );
    }
    return body;
  }

  override advanceAfterBlockEnd(name?: string): Token {
    if (!name) {
      const tok = this.peekToken();
      if (!tok) this.fail('unexpected end of template');
      name = this.nextToken()!.value;
    }
    const tok = this.nextToken();
    if (!tok || tok.type !== T.BLOCK_END) {
      this.pos--;
      this.fail(`expected token 'end of statement block', got '${describe(tok)}'`);
    }
    return tok;
  }

  parseStatement(): JNode | null {
    const tok = this.peekToken();
    if (!tok || tok.type !== T.SYMBOL) this.fail('tag name expected');
    if (this.breakOnBlocks && this.breakOnBlocks.includes(tok.value)) return null;
    switch (tok.value) {
      case 'if':
        return this.parseIf();
      case 'for':
        return this.parseFor();
      case 'set':
        return this.parseSet();
      case 'with':
        return this.parseWith();
      case 'filter':
        return this.parseFilterBlock();
      case 'macro':
        return this.parseMacro();
      case 'call':
        return this.parseCallBlock();
      case 'block':
        return this.parseBlock();
      case 'extends':
        return this.parseExtends();
      case 'include':
        return this.parseInclude();
      case 'import':
        return this.parseImport();
      case 'from':
        return this.parseFrom();
      default: {
        const hint = this.breakOnBlocks?.length
          ? ` Jinja was looking for the following tags: ${this.breakOnBlocks.map((b) => `'${b}'`).join(' or ')}. The innermost block that needs to be closed is '${this.breakOnBlocks[this.breakOnBlocks.length - 1]!.replace(/^end/, '')}'.`
          : '';
        return this.fail(`Encountered unknown tag '${tok.value}'.${hint}`, tok.lineno);
      }
    }
  }

  parseIf(): JNode {
    const tag = this.nextToken()!;
    const node = new nodes.If(tag.lineno, tag.colno);
    node.cond = this.parseTuple({ withCondexpr: false });
    this.advanceAfterBlockEnd(tag.value);
    node.body = this.parseUntilBlocks('elif', 'elseif', 'else', 'endif');
    const tok = this.peekToken();
    switch (tok?.value) {
      case 'elif':
      case 'elseif':
        node.else_ = new nodes.NodeList(tok.lineno, tok.colno, [this.parseIf()]);
        break;
      case 'else':
        this.advanceAfterBlockEnd();
        node.else_ = this.parseUntilBlocks('endif');
        this.advanceAfterBlockEnd();
        break;
      case 'endif':
        node.else_ = null;
        this.advanceAfterBlockEnd();
        break;
      default:
        this.fail("Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'.");
    }
    return node;
  }

  parseFor(): JNode {
    const tag = this.nextToken()!;
    const target = this.parseAssignTarget({ extraEndRules: ['in'] });
    if (!this.skipSymbol('in')) this.fail(`expected token 'in', got '${describe(this.peekToken())}'`);
    const iter = this.parseTuple({ withCondexpr: false, extraEndRules: ['recursive'] });
    const test = this.skipSymbol('if') ? this.parseExpression() : null;
    const recursive = this.skipSymbol('recursive');
    if (recursive) this.fail('recursive for loops are not supported');
    this.advanceAfterBlockEnd(tag.value);
    const body = this.parseUntilBlocks('endfor', 'else');
    let else_: JNode | null = null;
    if (this.skipSymbol('else')) {
      this.advanceAfterBlockEnd('else');
      else_ = this.parseUntilBlocks('endfor');
    }
    this.advanceAfterBlockEnd();
    return new J.For(tag.lineno, tag.colno, target, iter, body, else_, test, recursive);
  }

  parseSet(): JNode {
    const tag = this.nextToken()!;
    const target = this.parseAssignTarget({ withNamespace: true });
    if (this.skipValue(T.OPERATOR, '=')) {
      const value = this.parseTuple();
      this.advanceAfterBlockEnd(tag.value);
      return new J.Assign(tag.lineno, tag.colno, target, value);
    }
    const filter = this.peekToken()?.type === T.PIPE ? this.parseFilter(null) : null;
    this.advanceAfterBlockEnd(tag.value);
    const body = this.parseUntilBlocks('endset');
    this.advanceAfterBlockEnd();
    return new J.AssignBlock(tag.lineno, tag.colno, target, filter, body);
  }

  parseWith(): JNode {
    const tag = this.nextToken()!;
    const targets: JNode[] = [];
    const values: JNode[] = [];
    while (this.peekToken()?.type !== T.BLOCK_END) {
      if (targets.length) this.expect(T.COMMA);
      targets.push(this.parseAssignTarget());
      if (!this.skipValue(T.OPERATOR, '=')) this.fail(`expected token '=', got '${describe(this.peekToken())}'`);
      values.push(this.parseExpression());
    }
    this.advanceAfterBlockEnd(tag.value);
    const body = this.parseUntilBlocks('endwith');
    this.advanceAfterBlockEnd();
    return new J.With(tag.lineno, tag.colno, targets, values, body);
  }

  parseFilterBlock(): JNode {
    const tag = this.nextToken()!;
    const filter = this.parseFilter(null, true);
    this.advanceAfterBlockEnd(tag.value);
    const body = this.parseUntilBlocks('endfilter');
    this.advanceAfterBlockEnd();
    return new J.FilterBlock(tag.lineno, tag.colno, body, filter);
  }

  parseCallBlock(): JNode {
    const tag = this.nextToken()!;
    const callerArgs = this.peekToken()?.type === T.LEFT_PAREN ? this.parseSignature() : new nodes.NodeList(tag.lineno, tag.colno);
    const call = this.parseExpression();
    if (call.typename !== 'Call') this.fail('expected call', tag.lineno);
    this.advanceAfterBlockEnd(tag.value);
    const body = this.parseUntilBlocks('endcall');
    this.advanceAfterBlockEnd();
    const callerName = new nodes.Symbol(tag.lineno, tag.colno, 'caller');
    const caller = new nodes.Caller(tag.lineno, tag.colno, callerName, callerArgs, body);
    (call.kwargs as JNode[]).push(new nodes.Pair(tag.lineno, tag.colno, callerName, caller));
    return new nodes.Output(tag.lineno, tag.colno, [call]);
  }

  parseInclude(): JNode {
    const tag = this.nextToken()!;
    const template = this.parseExpression();
    let ignoreMissing = false;
    if (this.isName(this.peekToken(), 'ignore') && this.isName(this.look(), 'missing')) {
      this.pos += 2;
      ignoreMissing = true;
    }
    let withContext = true;
    if ((this.isName(this.peekToken(), 'with') || this.isName(this.peekToken(), 'without')) && this.isName(this.look(), 'context')) {
      withContext = this.nextToken()!.value === 'with';
      this.pos++;
    }
    this.advanceAfterBlockEnd(tag.value);
    return new J.JInclude(tag.lineno, tag.colno, template, ignoreMissing, withContext);
  }

  // ---- assignment targets -------------------------------------------------------------------

  private parseAssignTarget(options: { withNamespace?: boolean; extraEndRules?: string[] } = {}): JNode {
    const tok = this.peekToken();
    if (options.withNamespace && tok?.type === T.SYMBOL && this.isOp(this.look(), '.')) {
      this.pos += 2;
      const attr = this.expect(T.SYMBOL);
      return new J.NSRef(tok.lineno, tok.colno, tok.value, attr.value);
    }
    const target = this.parseTuple({ simplified: true, extraEndRules: options.extraEndRules });
    this.checkAssignable(target);
    return target;
  }

  private checkAssignable(target: JNode): void {
    if (target.typename === 'Symbol') {
      if (['true', 'false', 'none', 'True', 'False', 'None'].includes(target.value as string)) {
        this.fail(`can't assign to '${target.value as string}'`, target.lineno);
      }
      return;
    }
    if (target.typename === 'Tuple') {
      for (const child of target.children) this.checkAssignable(child);
      return;
    }
    this.fail(`can't assign to '${target.typename.toLowerCase()}'`, target.lineno);
  }

  // ---- expressions -------------------------------------------------------------------------------

  private isTupleEnd(extraEndRules?: string[]): boolean {
    const tok = this.peekToken();
    if (!tok) return true;
    if (tok.type === T.VARIABLE_END || tok.type === T.BLOCK_END || tok.type === T.RIGHT_PAREN) return true;
    return tok.type === T.SYMBOL && (extraEndRules?.includes(tok.value) ?? false);
  }

  /** Jinja's parse_tuple: `a, b` is a tuple wherever a tuple may appear without parentheses. */
  parseTuple(
    options: { simplified?: boolean; withCondexpr?: boolean; extraEndRules?: string[]; explicitParentheses?: boolean } = {},
  ): JNode {
    const start = this.peekToken();
    const parse = options.simplified
      ? () => this.parsePrimary()
      : () => this.parseExpression(options.withCondexpr ?? true);
    const args: JNode[] = [];
    let isTuple = false;
    for (;;) {
      if (args.length) this.expect(T.COMMA);
      if (this.isTupleEnd(options.extraEndRules)) break;
      args.push(parse());
      if (this.peekToken()?.type === T.COMMA) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (args.length) return args[0]!;
      if (!options.explicitParentheses) this.fail(`Expected an expression, got '${describe(this.peekToken())}'`);
    }
    return new J.Tuple(start?.lineno ?? 0, start?.colno ?? 0, args);
  }

  parseExpression(withCondexpr = true): JNode {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  private parseCondexpr(): JNode {
    let expr = this.parseOr();
    while (this.skipSymbol('if')) {
      const cond = this.parseOr();
      const else_ = this.skipSymbol('else') ? this.parseCondexpr() : null;
      const node = new nodes.InlineIf(expr.lineno, expr.colno);
      node.cond = cond;
      node.body = expr;
      node.else_ = else_;
      expr = node;
    }
    return expr;
  }

  parseOr(): JNode {
    let left = this.parseAnd();
    while (this.skipSymbol('or')) left = new nodes.Or(left.lineno, left.colno, left, this.parseAnd());
    return left;
  }

  parseAnd(): JNode {
    let left = this.parseNot();
    while (this.skipSymbol('and')) left = new nodes.And(left.lineno, left.colno, left, this.parseNot());
    return left;
  }

  parseNot(): JNode {
    const tok = this.peekToken();
    if (this.isName(tok, 'not')) {
      this.pos++;
      return new nodes.Not(tok!.lineno, tok!.colno, this.parseNot());
    }
    return this.parseCompare();
  }

  parseCompare(): JNode {
    const expr = this.parseMath1();
    const ops: JNode[] = [];
    for (;;) {
      const tok = this.peekToken();
      if (tok?.type === T.OPERATOR && COMPARE_OPS.has(tok.value)) {
        this.pos++;
        ops.push(new nodes.CompareOperand(tok.lineno, tok.colno, this.parseMath1(), tok.value));
      } else if (this.isName(tok, 'in')) {
        this.pos++;
        ops.push(new nodes.CompareOperand(tok!.lineno, tok!.colno, this.parseMath1(), 'in'));
      } else if (this.isName(tok, 'not') && this.isName(this.look(), 'in')) {
        this.pos += 2;
        ops.push(new nodes.CompareOperand(tok!.lineno, tok!.colno, this.parseMath1(), 'notin'));
      } else break;
    }
    return ops.length ? new nodes.Compare(expr.lineno, expr.colno, expr, ops) : expr;
  }

  private parseMath1(): JNode {
    let left = this.parseConcat();
    for (;;) {
      const tok = this.peekToken();
      if (this.isOp(tok, '+')) {
        this.pos++;
        left = new nodes.Add(left.lineno, left.colno, left, this.parseConcat());
      } else if (this.isOp(tok, '-')) {
        this.pos++;
        left = new nodes.Sub(left.lineno, left.colno, left, this.parseConcat());
      } else return left;
    }
  }

  private parseConcat(): JNode {
    let left = this.parseMath2();
    while (this.skip(T.TILDE)) left = new nodes.Concat(left.lineno, left.colno, left, this.parseMath2());
    return left;
  }

  private parseMath2(): JNode {
    let left = this.parsePow();
    const classes: Record<string, typeof nodes.Mul> = { '*': nodes.Mul, '/': nodes.Div, '//': nodes.FloorDiv, '%': nodes.Mod };
    for (;;) {
      const tok = this.peekToken();
      const cls = tok?.type === T.OPERATOR ? classes[tok.value] : undefined;
      if (!cls) return left;
      this.pos++;
      left = new cls(left.lineno, left.colno, left, this.parsePow());
    }
  }

  private parsePow(): JNode {
    let left = this.parseUnary();
    while (this.skipValue(T.OPERATOR, '**')) left = new nodes.Pow(left.lineno, left.colno, left, this.parseUnary());
    return left;
  }

  parseUnary(withFilter = true): JNode {
    const tok = this.peekToken();
    let node: JNode;
    if (this.isOp(tok, '-')) {
      this.pos++;
      node = new nodes.Neg(tok!.lineno, tok!.colno, this.parseUnary(false));
    } else if (this.isOp(tok, '+')) {
      this.pos++;
      node = new nodes.Pos(tok!.lineno, tok!.colno, this.parseUnary(false));
    } else node = this.parsePrimary();
    node = this.parsePostfix(node);
    if (withFilter) node = this.parseFilterExpr(node);
    return node;
  }

  parsePrimary(): JNode {
    const tok = this.nextToken();
    if (!tok) return this.fail('unexpected end of template');
    switch (tok.type) {
      case T.SYMBOL:
        if (tok.value === 'true' || tok.value === 'True') return new nodes.Literal(tok.lineno, tok.colno, true);
        if (tok.value === 'false' || tok.value === 'False') return new nodes.Literal(tok.lineno, tok.colno, false);
        if (tok.value === 'none' || tok.value === 'None') return new nodes.Literal(tok.lineno, tok.colno, null);
        return new nodes.Symbol(tok.lineno, tok.colno, tok.value);
      case T.STRING: {
        let value = tok.value;
        while (this.peekToken()?.type === T.STRING) value += this.nextToken()!.value;
        return new nodes.Literal(tok.lineno, tok.colno, value);
      }
      case T.INT:
        return new nodes.Literal(tok.lineno, tok.colno, parseIntLiteral(tok.value));
      case T.FLOAT:
        return new J.FloatLiteral(tok.lineno, tok.colno, Number(tok.value));
      case T.LEFT_PAREN: {
        const node = this.parseTuple({ explicitParentheses: true });
        this.expect(T.RIGHT_PAREN);
        return node;
      }
      case T.LEFT_BRACKET:
        return this.parseList(tok);
      case T.LEFT_CURLY:
        return this.parseDict(tok);
      default:
        this.pos--;
        return this.fail(`unexpected '${describe(tok)}'`, tok.lineno);
    }
  }

  private parseList(tok: Token): JNode {
    const node = new nodes.Array(tok.lineno, tok.colno);
    while (this.peekToken()?.type !== T.RIGHT_BRACKET) {
      if (node.children.length) this.expect(T.COMMA);
      if (this.peekToken()?.type === T.RIGHT_BRACKET) break;
      node.addChild(this.parseExpression());
    }
    this.expect(T.RIGHT_BRACKET);
    return node;
  }

  private parseDict(tok: Token): JNode {
    const node = new nodes.Dict(tok.lineno, tok.colno);
    while (this.peekToken()?.type !== T.RIGHT_CURLY) {
      if (node.children.length) this.expect(T.COMMA);
      if (this.peekToken()?.type === T.RIGHT_CURLY) break;
      const key = this.parseExpression();
      this.expect(T.COLON);
      const value = this.parseExpression();
      node.addChild(new nodes.Pair(key.lineno, key.colno, key, value));
    }
    this.expect(T.RIGHT_CURLY);
    return node;
  }

  parsePostfix(node: JNode): JNode {
    for (;;) {
      const tok = this.peekToken();
      if (this.isOp(tok, '.') || tok?.type === T.LEFT_BRACKET) node = this.parseSubscript(node);
      else if (tok?.type === T.LEFT_PAREN) node = this.parseCall(node);
      else return node;
    }
  }

  private parseFilterExpr(node: JNode): JNode {
    for (;;) {
      const tok = this.peekToken();
      if (tok?.type === T.PIPE) node = this.parseFilter(node);
      else if (this.isName(tok, 'is')) node = this.parseTest(node);
      else if (tok?.type === T.LEFT_PAREN) node = this.parseCall(node);
      else return node;
    }
  }

  private parseSubscript(node: JNode): JNode {
    const tok = this.nextToken()!;
    if (tok.type === T.OPERATOR) {
      const attr = this.nextToken();
      if (attr?.type === T.SYMBOL) return new J.Getattr(tok.lineno, tok.colno, node, attr.value);
      if (attr?.type === T.INT) {
        return new J.Getitem(tok.lineno, tok.colno, node, new nodes.Literal(attr.lineno, attr.colno, parseIntLiteral(attr.value)));
      }
      this.pos--;
      return this.fail('expected name or number', tok.lineno);
    }
    const args: JNode[] = [];
    while (this.peekToken()?.type !== T.RIGHT_BRACKET) {
      if (args.length) this.expect(T.COMMA);
      args.push(this.parseSubscribed(node));
    }
    this.expect(T.RIGHT_BRACKET);
    if (args.length === 1) {
      const only = args[0]!;
      if (only.typename === 'Slice') {
        only.target = node;
        return only;
      }
      return new J.Getitem(tok.lineno, tok.colno, node, only);
    }
    return new J.Getitem(tok.lineno, tok.colno, node, new J.Tuple(tok.lineno, tok.colno, args));
  }

  private parseSubscribed(target: JNode): JNode {
    const tok = this.peekToken()!;
    const parts: (JNode | null)[] = [];
    if (tok.type === T.COLON) {
      this.pos++;
      parts.push(null);
    } else {
      const node = this.parseExpression();
      if (this.peekToken()?.type !== T.COLON) return node;
      this.pos++;
      parts.push(node);
    }
    const atEnd = () => {
      const t = this.peekToken()?.type;
      return t === T.RIGHT_BRACKET || t === T.COMMA;
    };
    if (this.peekToken()?.type === T.COLON) parts.push(null);
    else parts.push(atEnd() ? null : this.parseExpression());
    if (this.skip(T.COLON)) parts.push(atEnd() ? null : this.parseExpression());
    else parts.push(null);
    return new J.Slice(tok.lineno, tok.colno, target, parts[0], parts[1], parts[2]);
  }

  /** `(args, name=value, *dyn, **dynkw)` */
  private parseCallArgs(): { args: JNode[]; kwargs: JNode[]; dynArgs: JNode | null; dynKwargs: JNode | null } {
    const open = this.expect(T.LEFT_PAREN);
    const args: JNode[] = [];
    const kwargs: JNode[] = [];
    let dynArgs: JNode | null = null;
    let dynKwargs: JNode | null = null;
    let requireComma = false;
    const ensure = (ok: boolean) => {
      if (!ok) this.fail('invalid syntax for function call expression', open.lineno);
    };
    while (this.peekToken()?.type !== T.RIGHT_PAREN) {
      if (requireComma) {
        this.expect(T.COMMA);
        if (this.peekToken()?.type === T.RIGHT_PAREN) break;
      }
      const tok = this.peekToken();
      if (this.isOp(tok, '*')) {
        ensure(dynArgs === null && dynKwargs === null);
        this.pos++;
        dynArgs = this.parseExpression();
      } else if (this.isOp(tok, '**')) {
        ensure(dynKwargs === null);
        this.pos++;
        dynKwargs = this.parseExpression();
      } else if (tok?.type === T.SYMBOL && this.isOp(this.look(), '=')) {
        ensure(dynKwargs === null);
        this.pos += 2;
        const key = new nodes.Symbol(tok.lineno, tok.colno, tok.value);
        kwargs.push(new nodes.Pair(tok.lineno, tok.colno, key, this.parseExpression()));
      } else {
        ensure(dynArgs === null && dynKwargs === null && kwargs.length === 0);
        args.push(this.parseExpression());
      }
      requireComma = true;
    }
    this.expect(T.RIGHT_PAREN);
    return { args, kwargs, dynArgs, dynKwargs };
  }

  private parseCall(node: JNode): JNode {
    const tok = this.peekToken()!;
    const { args, kwargs, dynArgs, dynKwargs } = this.parseCallArgs();
    return new J.Call(tok.lineno, tok.colno, node, args, kwargs, dynArgs, dynKwargs);
  }

  private dottedName(): string {
    let name = this.expect(T.SYMBOL).value;
    while (this.skipValue(T.OPERATOR, '.')) name += `.${this.expect(T.SYMBOL).value}`;
    return name;
  }

  /** `| name(args)`, chained; with `startInline` the first filter has no leading pipe. */
  parseFilter(node: JNode | null, startInline = false): JNode {
    let inline = startInline;
    let result = node;
    while (inline || this.peekToken()?.type === T.PIPE) {
      if (!inline) this.pos++;
      inline = false;
      const tok = this.peekToken()!;
      const name = this.dottedName();
      const call = this.peekToken()?.type === T.LEFT_PAREN ? this.parseCallArgs() : { args: [], kwargs: [], dynArgs: null, dynKwargs: null };
      result = new J.FilterCall(tok.lineno, tok.colno, result, name, call.args, call.kwargs, call.dynArgs, call.dynKwargs);
    }
    return result!;
  }

  private parseTest(node: JNode): JNode {
    const isTok = this.nextToken()!;
    const negated = this.skipSymbol('not');
    const name = this.dottedName();
    let call: { args: JNode[]; kwargs: JNode[]; dynArgs: JNode | null; dynKwargs: JNode | null } = {
      args: [],
      kwargs: [],
      dynArgs: null,
      dynKwargs: null,
    };
    const tok = this.peekToken();
    if (tok?.type === T.LEFT_PAREN) call = this.parseCallArgs();
    else if (tok && TEST_ARG_TOKENS.has(tok.type) && !['else', 'or', 'and'].some((w) => this.isName(tok, w))) {
      if (this.isName(tok, 'is')) this.fail('You cannot chain multiple tests with is');
      call.args = [this.parsePostfix(this.parsePrimary())];
    }
    const test = new J.TestCall(isTok.lineno, isTok.colno, node, name, call.args, call.kwargs, call.dynArgs, call.dynKwargs);
    return negated ? new nodes.Not(isTok.lineno, isTok.colno, test) : test;
  }
}

function parseIntLiteral(text: string): number {
  const lower = text.toLowerCase();
  if (lower.startsWith('0x')) return parseInt(lower.slice(2), 16);
  if (lower.startsWith('0o')) return parseInt(lower.slice(2), 8);
  if (lower.startsWith('0b')) return parseInt(lower.slice(2), 2);
  return Number(text);
}
