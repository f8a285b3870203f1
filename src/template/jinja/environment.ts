// Compiling and running templates: the lexer, parser and compiler of this folder turn
// source into nunjucks-style render functions, cached by source and options; templates
// included, imported or extended are loaded from the render's search path.
import { PyException, TemplateSyntaxError } from '../runtime/errors.js';
import { pyStr } from '../runtime/repr.js';
import type { RenderState } from '../render-state.js';
import { compileTemplate } from './compiler.js';
import { JContext, STATE_KEY } from './context.js';
import { tokenize, LexerOptions } from './lexer.js';
import { FrameLike, JNode, nodes, nunjucksRuntime } from './nunjucks.js';
import { JinjaParser } from './parser.js';
import { compiledRuntime } from './runtime.js';

export interface TemplateSettings {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  escapeBackslashes: boolean;
  newlineSequence: string;
  keepTrailingNewline: boolean;
  blockStart?: string;
  blockEnd?: string;
  variableStart?: string;
  variableEnd?: string;
  commentStart?: string;
  commentEnd?: string;
}

type RenderFn = (env: unknown, context: JContext, frame: FrameLike, runtime: unknown, cb: (err: unknown, res?: string) => void) => void;

export interface RenderResult {
  output: string;
  context: JContext;
}

/** Finds a template by name for include/import/extends: its source and path, or undefined. */
export type TemplateLoader = (name: string, state: RenderState) => { source: string; path: string } | undefined;

export class CompiledTemplate {
  readonly rootRenderFunc: RenderFn;
  readonly blocks: Record<string, RenderFn> = {};

  constructor(
    readonly env: JinjaEnvironment,
    readonly path: string | null,
    props: Record<string, RenderFn>,
  ) {
    this.rootRenderFunc = props.root!;
    for (const [key, fn] of Object.entries(props)) if (key.startsWith('b_')) this.blocks[key.slice(2)] = fn;
  }

  /** Runs the template. `ctx` seeds template-level variables (include/import with context). */
  render(state: RenderState, parentFrame?: FrameLike, ctx: Record<string, unknown> = {}): RenderResult {
    const context = new JContext(ctx, this.blocks as never, this.env, state);
    const frame = parentFrame ? parentFrame.push(true) : new nunjucksRuntime.Frame();
    frame.topLevel = true;
    let output: string | undefined;
    let error: unknown;
    this.env.active.push(state);
    try {
      this.rootRenderFunc(this.env, context, frame, compiledRuntime, (err, res) => {
        error = err;
        output = res;
      });
    } finally {
      this.env.active.pop();
    }
    if (error) throw error;
    return { output: output ?? '', context };
  }

  /** nunjucks' import protocol: run the template, hand its exported names to the callback. */
  getExported(ctx: unknown, frame: unknown, cb?: (err: unknown, exported?: Record<string, unknown>) => void): void {
    let callback = cb;
    let context: Record<string, unknown> = {};
    let parentFrame: FrameLike | undefined;
    if (typeof ctx === 'function') callback = ctx as typeof cb;
    else {
      context = (ctx as Record<string, unknown>) ?? {};
      if (typeof frame === 'function') callback = frame as typeof cb;
      else parentFrame = frame as FrameLike;
    }
    try {
      const state = (context[STATE_KEY] as RenderState | undefined) ?? this.env.currentState();
      const { context: rendered } = this.render(state, parentFrame, context);
      callback!(null, rendered.getExported());
    } catch (e) {
      callback!(e);
    }
  }
}

export class JinjaEnvironment {
  private readonly cache = new Map<string, CompiledTemplate>();
  /** Render states of the renders in progress (innermost last); include/import use the innermost. */
  readonly active: RenderState[] = [];

  constructor(
    private readonly loader: TemplateLoader,
    private readonly cacheLimit = 5000,
  ) {}

  currentState(): RenderState {
    const state = this.active[this.active.length - 1];
    if (!state) throw new Error('no template render in progress');
    return state;
  }

  /** Compiles (or returns the cached) template for this source and these settings. */
  compile(source: string, settings: TemplateSettings, path: string | null = null): CompiledTemplate {
    const key = `${settings.trimBlocks ? 1 : 0}${settings.lstripBlocks ? 1 : 0}${settings.escapeBackslashes ? 1 : 0}${settings.keepTrailingNewline ? 1 : 0}${settings.newlineSequence}\u0000${settings.blockStart ?? ''}${settings.blockEnd ?? ''}${settings.variableStart ?? ''}${settings.variableEnd ?? ''}${settings.commentStart ?? ''}${settings.commentEnd ?? ''}\u0000${path ?? ''}\u0000${source}`;
    let template = this.cache.get(key);
    if (template) return template;
    template = new CompiledTemplate(this, path, this.build(source, settings, path));
    if (this.cache.size >= this.cacheLimit) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, template);
    return template;
  }

  private build(source: string, settings: TemplateSettings, path: string | null): Record<string, RenderFn> {
    // Jinja2 normalises newlines and, without keep_trailing_newline, drops one trailing newline.
    let text = source.replace(/\r\n?/g, '\n');
    if (!settings.keepTrailingNewline && text.endsWith('\n')) text = text.slice(0, -1);
    const lexerOptions: LexerOptions = {
      trimBlocks: settings.trimBlocks,
      lstripBlocks: settings.lstripBlocks,
      escapeBackslashes: settings.escapeBackslashes,
      blockStart: settings.blockStart,
      blockEnd: settings.blockEnd,
      variableStart: settings.variableStart,
      variableEnd: settings.variableEnd,
      commentStart: settings.commentStart,
      commentEnd: settings.commentEnd,
    };
    const parser = new JinjaParser(tokenize(text, lexerOptions));
    const root = parser.parseAsRoot();
    liftSuper(root);
    let code: string;
    try {
      code = compileTemplate(root, path, { newlineSequence: settings.newlineSequence });
    } catch (e) {
      if (e instanceof TemplateSyntaxError) throw e;
      throw new TemplateSyntaxError((e as Error).message);
    }
    return new Function(code)() as Record<string, RenderFn>;
  }

  private fileSettings(): TemplateSettings {
    return { trimBlocks: true, lstripBlocks: false, escapeBackslashes: false, newlineSequence: '\n', keepTrailingNewline: false };
  }

  private load(name: unknown, state: RenderState, ignoreMissing: boolean): CompiledTemplate | undefined {
    const templateName = pyStr(name);
    const found = this.loader(templateName, state);
    if (!found) {
      if (ignoreMissing) return undefined;
      throw new PyException('TemplateNotFound', templateName);
    }
    return this.compile(found.source, this.fileSettings(), found.path);
  }

  /** nunjucks' getTemplate protocol (import, from-import, extends). */
  getTemplate(
    name: unknown,
    _eager: boolean,
    _parent: string | null,
    ignoreMissing: boolean,
    cb: (err: unknown, template?: CompiledTemplate | { render(): string }) => void,
  ): void {
    try {
      const template = this.load(name, this.currentState(), ignoreMissing);
      cb(null, template ?? { render: () => '' });
    } catch (e) {
      cb(e);
    }
  }

  includeTemplate(name: unknown, _parent: string, ignoreMissing: boolean, context: JContext, frame: FrameLike, withContext: boolean): string {
    const template = this.load(name, context.state, ignoreMissing);
    if (!template) return '';
    return withContext ? template.render(context.state, frame, context.getVariables()).output : template.render(context.state).output;
  }
}

/** Visits every node below `node` (fields holding nodes or arrays of nodes). */
function walk(node: JNode, visit: (child: JNode, parent: JNode, field: string, index?: number) => void): void {
  const fields = node.typename === 'NodeList' || node.children ? ['children', ...node.fields] : node.fields;
  for (const field of new Set(fields)) {
    const value = node[field];
    if (Array.isArray(value)) {
      value.forEach((child, i) => {
        if (isNode(child)) {
          visit(child, node, field, i);
          walk(child, visit);
        }
      });
    } else if (isNode(value)) {
      visit(value, node, field);
      walk(value, visit);
    }
  }
}

function isNode(value: unknown): value is JNode {
  return typeof value === 'object' && value !== null && typeof (value as JNode).typename === 'string' && Array.isArray((value as JNode).fields);
}

let superCounter = 0;

/** `{{ super() }}` inside a block: nunjucks renders the parent block first into a variable (its Super node). */
function liftSuper(root: JNode): void {
  for (const block of root.findAll(nodes.Block)) {
    const symbol = `t_super_${superCounter++}`;
    let found = false;
    walk(block.body as JNode, (child, parent, field, index) => {
      const callee = child.node as JNode | undefined;
      if (child.typename !== 'Call' || callee?.typename !== 'Symbol' || callee.value !== 'super') return;
      found = true;
      const replacement = new nodes.Symbol(child.lineno, child.colno, symbol);
      if (index === undefined) parent[field] = replacement;
      else (parent[field] as JNode[])[index] = replacement;
    });
    if (found) {
      (block.body as JNode).children.unshift(new nodes.Super(0, 0, block.name, new nodes.Symbol(0, 0, symbol)));
    }
  }
}
