// Compiles the Jinja2 AST to JS on top of nunjucks' compiler. Every expression goes
// through the Python-semantics runtime (`runtime.add`, `runtime.getattr`, ...) instead
// of JS operators; statements nunjucks compiles differently from Jinja2 (for, set, if,
// output) are compiled here. Macros, call blocks, import, extends/blocks and captures
// keep nunjucks' code generation.
import { CompileFrame, CompilerClass, JNode, nodes, nunjucksRuntime } from './nunjucks.js';

/** Filters whose output Ansible keeps as text (never converted back to a list/dict). */
export const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

function nativeTextFilter(name: string): boolean {
  return STRING_TYPE_FILTERS.has(name.replace(/^ansible\.builtin\./, ''));
}

const COMPARE_FUNCTIONS: Record<string, string> = {
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '>': 'gt',
  '<=': 'le',
  '>=': 'ge',
};

function str(value: string): string {
  return JSON.stringify(value);
}

function objectKey(key: string): string {
  return key === '__proto__' ? `[${str(key)}]` : str(key);
}

export interface CompileOptions {
  /** Newline sequence the template's text is written with (the template module's newline_sequence). */
  newlineSequence: string;
}

export class JinjaCompiler extends CompilerClass {
  /** >0 while compiling a macro, capture or filter block: output there is not a top-level node. */
  private captureDepth = 0;
  /** JS variables of `{% set %}` targets: they may be unassigned when read (set inside an untaken if). */
  private readonly conditionalIds = new Set<string>();
  /** The value the first filter of a `{% filter %}` or `{% set x | f %}` chain applies to. */
  private filterInput: string | null = null;

  constructor(
    name: string | null,
    private readonly options: CompileOptions,
  ) {
    super(name);
  }

  override fail(message: string, lineno?: number): never {
    throw new Error(`${message}${lineno !== undefined ? ` (line ${lineno + 1})` : ''}`);
  }

  _compileExpression(node: JNode, frame: CompileFrame): void {
    this.compile(node, frame);
  }

  private list(items: JNode[], frame: CompileFrame): void {
    items.forEach((item, i) => {
      if (i) this._emit(', ');
      this.compile(item, frame);
    });
  }

  // ---- literals and names ------------------------------------------------------------------

  compileLiteral(node: JNode): void {
    const value = node.value;
    if (typeof value === 'string') this._emit(str(value));
    else if (value === null) this._emit('null');
    else if (typeof value === 'number') this._emit(Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : '-Infinity');
    else this._emit(String(value));
  }

  compileFloatLiteral(node: JNode): void {
    const value = node.value as number;
    if (!Number.isFinite(value)) this._emit(value > 0 ? 'Infinity' : '-Infinity');
    else if (Number.isInteger(value)) this._emit(`runtime.float(${value})`);
    else this._emit(String(value));
  }

  compileTemplateData(node: JNode): void {
    let text = node.value as string;
    if (this.options.newlineSequence !== '\n') text = text.replace(/\n/g, this.options.newlineSequence);
    this._emit(str(text));
  }

  compileSymbol(node: JNode, frame: CompileFrame): void {
    const name = node.value as string;
    const id = frame.lookup(name);
    if (id && this.conditionalIds.has(id)) this._emit(`runtime.local(${id}, context, frame, ${str(name)})`);
    else if (id) this._emit(id);
    else this._emit(`runtime.lookup(context, frame, ${str(name)})`);
  }

  compileArray(node: JNode, frame: CompileFrame): void {
    this._emit('[');
    this.list(node.children, frame);
    this._emit(']');
  }

  compileTuple(node: JNode, frame: CompileFrame): void {
    this._emit('runtime.tuple([');
    this.list(node.children, frame);
    this._emit('])');
  }

  compileDict(node: JNode, frame: CompileFrame): void {
    const pairs = node.children;
    const literalKeys = pairs.every((p) => {
      const key = p.key as JNode;
      return key.typename === 'Literal' && typeof key.value === 'string';
    });
    if (literalKeys) {
      this._emit('{');
      pairs.forEach((pair, i) => {
        if (i) this._emit(', ');
        this._emit(`${objectKey((pair.key as JNode).value as string)}: `);
        this.compile(pair.value as JNode, frame);
      });
      this._emit('}');
      return;
    }
    this._emit('runtime.dict([');
    pairs.forEach((pair, i) => {
      if (i) this._emit(', ');
      this.compile(pair.key as JNode, frame);
      this._emit(', ');
      this.compile(pair.value as JNode, frame);
    });
    this._emit('])');
  }

  // ---- operators ---------------------------------------------------------------------------

  private binary(fn: string, node: JNode, frame: CompileFrame): void {
    this._emit(`runtime.${fn}(`);
    this.compile(node.left as JNode, frame);
    this._emit(', ');
    this.compile(node.right as JNode, frame);
    this._emit(')');
  }

  compileAdd(node: JNode, frame: CompileFrame): void {
    this.binary('add', node, frame);
  }
  compileSub(node: JNode, frame: CompileFrame): void {
    this.binary('sub', node, frame);
  }
  compileMul(node: JNode, frame: CompileFrame): void {
    this.binary('mul', node, frame);
  }
  compileDiv(node: JNode, frame: CompileFrame): void {
    this.binary('div', node, frame);
  }
  compileFloorDiv(node: JNode, frame: CompileFrame): void {
    this.binary('floorDiv', node, frame);
  }
  compileMod(node: JNode, frame: CompileFrame): void {
    this.binary('mod', node, frame);
  }
  compilePow(node: JNode, frame: CompileFrame): void {
    this.binary('pow', node, frame);
  }
  compileConcat(node: JNode, frame: CompileFrame): void {
    this.binary('concat', node, frame);
  }

  compileNeg(node: JNode, frame: CompileFrame): void {
    this._emit('runtime.neg(');
    this.compile(node.target as JNode, frame);
    this._emit(')');
  }

  compilePos(node: JNode, frame: CompileFrame): void {
    this._emit('runtime.pos(');
    this.compile(node.target as JNode, frame);
    this._emit(')');
  }

  compileNot(node: JNode, frame: CompileFrame): void {
    this._emit('!runtime.truthy(');
    this.compile(node.target as JNode, frame);
    this._emit(')');
  }

  /** `a and b` / `a or b` return one of their operands, as in Python. */
  private logical(fn: string, node: JNode, frame: CompileFrame): void {
    this._emit(`runtime.${fn}(`);
    this.compile(node.left as JNode, frame);
    this._emit(', () => ');
    this.compile(node.right as JNode, frame);
    this._emit(')');
  }

  compileAnd(node: JNode, frame: CompileFrame): void {
    this.logical('and', node, frame);
  }
  compileOr(node: JNode, frame: CompileFrame): void {
    this.logical('or', node, frame);
  }

  compileInlineIf(node: JNode, frame: CompileFrame): void {
    this._emit('(runtime.truthy(');
    this.compile(node.cond as JNode, frame);
    this._emit(') ? ');
    this.compile(node.body as JNode, frame);
    this._emit(' : ');
    if (node.else_) this.compile(node.else_ as JNode, frame);
    else this._emit(`runtime.noElse(${node.lineno + 1})`);
    this._emit(')');
  }

  private compareOp(type: string, left: () => void, right: () => void): void {
    if (type === 'in' || type === 'notin') {
      this._emit(type === 'in' ? 'runtime.contains(' : '!runtime.contains(');
      right();
      this._emit(', ');
      left();
      this._emit(')');
      return;
    }
    this._emit(`runtime.${COMPARE_FUNCTIONS[type]}(`);
    left();
    this._emit(', ');
    right();
    this._emit(')');
  }

  compileCompare(node: JNode, frame: CompileFrame): void {
    const ops = node.ops as JNode[];
    if (ops.length === 1) {
      this.compareOp(
        ops[0]!.type as string,
        () => this.compile(node.expr as JNode, frame),
        () => this.compile(ops[0]!.expr as JNode, frame),
      );
      return;
    }
    // a < b < c: each operand evaluated once, left to right, stopping at the first false.
    this._emit('runtime.chain(');
    this.compile(node.expr as JNode, frame);
    this._emit(`, ${JSON.stringify(ops.map((o) => o.type))}, [`);
    ops.forEach((op, i) => {
      if (i) this._emit(', ');
      this._emit('() => ');
      this.compile(op.expr as JNode, frame);
    });
    this._emit('])');
  }

  // ---- access and calls --------------------------------------------------------------------

  compileGetattr(node: JNode, frame: CompileFrame): void {
    this._emit('runtime.getattr(');
    this.compile(node.target as JNode, frame);
    this._emit(`, ${str(node.attr as string)})`);
  }

  compileGetitem(node: JNode, frame: CompileFrame): void {
    this._emit('runtime.getitem(');
    this.compile(node.target as JNode, frame);
    this._emit(', ');
    this.compile(node.key as JNode, frame);
    this._emit(')');
  }

  compileSlice(node: JNode, frame: CompileFrame): void {
    this._emit('runtime.slice(');
    this.compile(node.target as JNode, frame);
    for (const part of ['start', 'stop', 'step']) {
      this._emit(', ');
      if (node[part]) this.compile(node[part] as JNode, frame);
      else this._emit('null');
    }
    this._emit(')');
  }

  private callArgs(node: JNode, frame: CompileFrame): void {
    this._emit('[');
    this.list(node.args as JNode[], frame);
    this._emit(']');
    if (node.dynArgs) {
      this._emit('.concat(runtime.iterate(');
      this.compile(node.dynArgs as JNode, frame);
      this._emit('))');
    }
    this._emit(', ');
    const kwargs = node.kwargs as JNode[];
    if (node.dynKwargs) {
      this._emit('runtime.mergeKwargs(');
      this.compile(node.dynKwargs as JNode, frame);
      this._emit(', ');
    }
    this._emit('{');
    kwargs.forEach((pair, i) => {
      if (i) this._emit(', ');
      this._emit(`${objectKey((pair.key as JNode).value as string)}: `);
      this.compile(pair.value as JNode, frame);
    });
    this._emit('}');
    if (node.dynKwargs) this._emit(')');
  }

  compileCall(node: JNode, frame: CompileFrame): void {
    const fn = node.node as JNode;
    if (fn.typename === 'Getattr') {
      this._emit('runtime.callMethod(');
      this.compile(fn.target as JNode, frame);
      this._emit(`, ${str(fn.attr as string)}, `);
    } else {
      this._emit('runtime.call(');
      this.compile(fn, frame);
      this._emit(', ');
    }
    this.callArgs(node, frame);
    this._emit(')');
  }

  private filterValue(node: JNode, frame: CompileFrame): void {
    if (node.node) this.compile(node.node as JNode, frame);
    else if (this.filterInput) this._emit(this.filterInput);
    else this._emit('null');
  }

  compileFilterCall(node: JNode, frame: CompileFrame): void {
    this._emit(`runtime.filter(context, ${str(node.name as string)}, `);
    this.filterValue(node, frame);
    this._emit(', ');
    this.callArgs(node, frame);
    this._emit(')');
  }

  compileTestCall(node: JNode, frame: CompileFrame): void {
    this._emit(`runtime.test(context, ${str(node.name as string)}, `);
    this.compile(node.node as JNode, frame);
    this._emit(', ');
    this.callArgs(node, frame);
    this._emit(')');
  }

  // ---- output ---------------------------------------------------------------------------

  compileOutput(node: JNode, frame: CompileFrame): void {
    for (const child of node.children) {
      if (child.typename === 'TemplateData') {
        if (!child.value) continue;
        this._emit(this.captureDepth === 0 ? `${this.buffer} += context.data(` : `${this.buffer} += (`);
        this.compileTemplateData(child);
        this._emitLine(');');
        continue;
      }
      if (this.captureDepth === 0) {
        const native = child.typename === 'FilterCall' && nativeTextFilter(child.name as string);
        this._emit(`${this.buffer} += runtime.emit(context, `);
        this.compile(child, frame);
        this._emitLine(`, ${native});`);
      } else {
        this._emit(`${this.buffer} += runtime.out(`);
        this.compile(child, frame);
        this._emitLine(');');
      }
    }
  }

  // ---- statements -------------------------------------------------------------------------

  compileIf(node: JNode, frame: CompileFrame): void {
    this._emit('if (runtime.truthy(');
    this.compile(node.cond as JNode, frame);
    this._emitLine(')) {');
    this._withScopedSyntax(() => this.compile(node.body as JNode, frame));
    if (node.else_) {
      this._emitLine('} else {');
      this._withScopedSyntax(() => this.compile(node.else_ as JNode, frame));
    }
    this._emitLine('}');
  }

  /** Binds an assignment target (name, tuple of names, namespace attribute) to a JS value. */
  private assign(target: JNode, value: string, frame: CompileFrame, exportable: boolean): void {
    if (target.typename === 'Symbol') {
      const name = target.value as string;
      let id = frame.get(name);
      if (!id) {
        id = this._tmpid();
        this._emitLine(`var ${id};`);
        frame.set(name, id);
      }
      if (exportable) this.conditionalIds.add(id);
      this._emitLine(`${id} = ${value};`);
      this._emitLine(`frame.set(${str(name)}, ${id});`);
      if (exportable) {
        this._emitLine(`if (frame.topLevel) { context.setVariable(${str(name)}, ${id});${name.startsWith('_') ? '' : ` context.addExport(${str(name)});`} }`);
      }
      return;
    }
    if (target.typename === 'Tuple') {
      const unpacked = this._tmpid();
      this._emitLine(`var ${unpacked} = runtime.unpack(${value}, ${target.children.length});`);
      target.children.forEach((child, i) => this.assign(child, `${unpacked}[${i}]`, frame, exportable));
      return;
    }
    if (target.typename === 'NSRef') {
      this._emit('runtime.setNamespaceAttr(');
      this.compileSymbol(new nodes.Symbol(target.lineno, target.colno, target.name), frame);
      this._emitLine(`, ${str(target.attr as string)}, ${value});`);
      return;
    }
    this.fail(`can't assign to ${target.typename}`, target.lineno);
  }

  compileAssign(node: JNode, frame: CompileFrame): void {
    const id = this._tmpid();
    this._emit(`var ${id} = `);
    this.compile(node.value as JNode, frame);
    this._emitLine(';');
    this.assign(node.target as JNode, id, frame, true);
  }

  private captured(body: JNode, frame: CompileFrame): string {
    const id = this._tmpid();
    this._emit(`var ${id} = `);
    this.captureDepth++;
    try {
      this.compileCapture(new nodes.Capture(body.lineno, body.colno, body), frame);
    } finally {
      this.captureDepth--;
    }
    this._emitLine(';');
    return id;
  }

  private applyFilterChain(filter: JNode, input: string, frame: CompileFrame): string {
    const id = this._tmpid();
    const saved = this.filterInput;
    this.filterInput = input;
    this._emit(`var ${id} = `);
    this.compile(filter, frame);
    this._emitLine(';');
    this.filterInput = saved;
    return id;
  }

  compileAssignBlock(node: JNode, frame: CompileFrame): void {
    let id = this.captured(node.body as JNode, frame);
    if (node.filter) id = this.applyFilterChain(node.filter as JNode, id, frame);
    this.assign(node.target as JNode, id, frame, true);
  }

  compileFilterBlock(node: JNode, frame: CompileFrame): void {
    const body = this.captured(node.body as JNode, frame);
    const id = this.applyFilterChain(node.filter as JNode, body, frame);
    if (this.captureDepth === 0) this._emitLine(`${this.buffer} += runtime.emit(context, ${id}, false);`);
    else this._emitLine(`${this.buffer} += runtime.out(${id});`);
  }

  compileWith(node: JNode, frame: CompileFrame): void {
    const values = (node.values as JNode[]).map((value) => {
      const id = this._tmpid();
      this._emit(`var ${id} = `);
      this.compile(value, frame);
      this._emitLine(';');
      return id;
    });
    const inner = frame.push();
    this._emitLine('frame = frame.push();');
    (node.targets as JNode[]).forEach((target, i) => this.assign(target, values[i]!, inner, false));
    this._withScopedSyntax(() => this.compile(node.body as JNode, inner));
    this._emitLine('frame = frame.pop();');
  }

  compileJFor(node: JNode, frame: CompileFrame): void {
    const items = this._tmpid();
    const i = this._tmpid();
    const loop = this._tmpid();
    const inner = frame.push();
    this._emitLine('frame = frame.push();');
    this._emit(`var ${items} = runtime.iterate(`);
    this.compile(node.iter as JNode, frame);
    this._emitLine(');');
    if (node.test) {
      const source = this._tmpid();
      const item = this._tmpid();
      this._emitLine(`var ${source} = ${items}; ${items} = [];`);
      this._emitLine(`for (var ${i} = 0; ${i} < ${source}.length; ${i}++) {`);
      this._emitLine(`var ${item} = ${source}[${i}];`);
      this.assign(node.target as JNode, item, inner, false);
      this._emit('if (runtime.truthy(');
      this.compile(node.test as JNode, inner);
      this._emitLine(`)) ${items}.push(${item});`);
      this._emitLine('}');
    }
    this._emitLine(`var ${loop} = new runtime.LoopContext(${items});`);
    this._emitLine(`for (var ${i} = 0; ${i} < ${items}.length; ${i}++) {`);
    this._emitLine(`${loop}.index0 = ${i};`);
    this._emitLine(`frame.set("loop", ${loop});`);
    inner.set('loop', loop);
    this.assign(node.target as JNode, `${items}[${i}]`, inner, false);
    this._withScopedSyntax(() => this.compile(node.body as JNode, inner));
    this._emitLine('}');
    if (node.else_) {
      this._emitLine(`if (!${items}.length) {`);
      this._withScopedSyntax(() => this.compile(node.else_ as JNode, frame));
      this._emitLine('}');
    }
    this._emitLine('frame = frame.pop();');
  }

  /**
   * A macro as Jinja2 defines it: positional and keyword parameters with defaults evaluated
   * at call time, `varargs` / `kwargs` / `caller` when the body uses them. Returns the JS
   * variable holding it (a Python callable, see runtime.makeMacro).
   */
  _compileMacro(node: JNode, frame?: CompileFrame): string {
    const funcId = `macro_${this._tmpid()}`;
    const keepFrame = frame !== undefined;
    const params: { name: string; value: JNode | null }[] = [];
    for (const arg of (node.args as JNode | null)?.children ?? []) {
      if (arg.typename === 'KeywordArgs') {
        for (const pair of arg.children) params.push({ name: (pair.key as JNode).value as string, value: pair.value as JNode });
      } else if (arg.typename === 'Symbol') params.push({ name: arg.value as string, value: null });
      else this.fail(`expected a parameter name in macro definition, got ${arg.typename}`, arg.lineno);
    }
    const used = new Set((node.body as JNode).findAll(nodes.Symbol).map((s) => s.value as string));
    const inner = keepFrame ? frame.push(true) : this.rootFrame();
    const ids = params.map((p) => `l_${p.name}`);
    params.forEach((p) => inner.set(p.name, `l_${p.name}`));
    for (const special of ['varargs', 'kwargs', 'caller']) inner.set(special, `l_${special}`);
    const name = node.name ? ((node.name as JNode).value as string) : 'caller';
    this._emitLine(
      `var ${funcId} = runtime.makeMacro(${str(name)}, ${str(JSON.stringify(params.map((p) => p.name)))}, ${used.has('varargs')}, ${used.has('kwargs')}, ${used.has('caller')}, function (${[...ids, 'l_varargs', 'l_kwargs', 'l_caller'].join(', ')}) {`,
    );
    this._emitLine('var callerFrame = frame;');
    this._emitLine(`frame = ${keepFrame ? 'frame.push(true);' : 'new runtime.Frame();'}`);
    params.forEach((p, i) => {
      if (p.value) {
        this._emit(`if (${ids[i]} === runtime.NO_ARG) ${ids[i]} = `);
        this.compile(p.value, inner);
        this._emitLine(';');
      } else this._emitLine(`if (${ids[i]} === runtime.NO_ARG) ${ids[i]} = runtime.missingParameter(${str(p.name)});`);
      this._emitLine(`frame.set(${str(p.name)}, ${ids[i]});`);
    });
    this._emitLine('frame.set("varargs", l_varargs); frame.set("kwargs", l_kwargs); if (l_caller !== undefined) frame.set("caller", l_caller);');
    const buffer = this._pushBuffer();
    this.captureDepth++;
    try {
      this._withScopedSyntax(() => this.compile(node.body as JNode, inner));
    } finally {
      this.captureDepth--;
    }
    this._emitLine(`frame = ${keepFrame ? 'frame.pop();' : 'callerFrame;'}`);
    this._emitLine(`return ${buffer};`);
    this._emitLine('});');
    this._popBuffer();
    return funcId;
  }

  private rootFrame(): CompileFrame {
    return new nunjucksRuntime.Frame() as unknown as CompileFrame;
  }

  override compileMacro(node: JNode, frame: CompileFrame): void {
    this.captureDepth++;
    try {
      super.compileMacro(node, frame);
    } finally {
      this.captureDepth--;
    }
  }

  override compileCaller(node: JNode, frame: CompileFrame): void {
    this.captureDepth++;
    try {
      super.compileCaller(node, frame);
    } finally {
      this.captureDepth--;
    }
  }

  compileJInclude(node: JNode, frame: CompileFrame): void {
    if (this.captureDepth === 0) this._emitLine('context.data("", true);');
    this._emit(`${this.buffer} += runtime.include(env, context, frame, `);
    this.compile(node.template as JNode, frame);
    this._emitLine(`, ${Boolean(node.ignoreMissing)}, ${Boolean(node.withContext)}, ${str(this.templateName ?? '')});`);
  }
}

/** Compiles a parsed template to the source of a function returning nunjucks' `{root, b_*}`. */
export function compileTemplate(root: JNode, name: string | null, options: CompileOptions): string {
  const compiler = new JinjaCompiler(name, options);
  compiler.compile(root);
  return compiler.getCode();
}
