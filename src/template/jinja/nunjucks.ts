// Typed access to the nunjucks 3.2.4 internals this engine extends (parser, compiler,
// node classes, runtime). nunjucks publishes no types for them; these declarations cover
// exactly the members the subclasses in this folder use.
// Imported, not required at run time, so that the CLI bundle carries them (scripts/bundle.ts).
import compilerModule from 'nunjucks/src/compiler.js';
import nodesModule from 'nunjucks/src/nodes.js';
import parserModule from 'nunjucks/src/parser.js';
import runtimeModule from 'nunjucks/src/runtime.js';

/** A nunjucks AST node; fields are set by name from the constructor arguments. */
export interface JNode {
  readonly typename: string;
  lineno: number;
  colno: number;
  fields: string[];
  children: JNode[];
  [field: string]: unknown;
  addChild(node: JNode): void;
  findAll(type: NodeClass, results?: JNode[]): JNode[];
}

export interface NodeClass {
  new (lineno: number, colno: number, ...fields: unknown[]): JNode;
  extend(name: string, props?: Record<string, unknown>): NodeClass;
}

export interface NodesModule {
  Node: NodeClass;
  NodeList: NodeClass;
  Root: NodeClass;
  Literal: NodeClass;
  Symbol: NodeClass;
  Group: NodeClass;
  Array: NodeClass;
  Pair: NodeClass;
  Dict: NodeClass;
  Output: NodeClass;
  Capture: NodeClass;
  TemplateData: NodeClass;
  If: NodeClass;
  InlineIf: NodeClass;
  Macro: NodeClass;
  Caller: NodeClass;
  KeywordArgs: NodeClass;
  Import: NodeClass;
  FromImport: NodeClass;
  Block: NodeClass;
  Super: NodeClass;
  Extends: NodeClass;
  Include: NodeClass;
  Or: NodeClass;
  And: NodeClass;
  Not: NodeClass;
  Add: NodeClass;
  Concat: NodeClass;
  Sub: NodeClass;
  Mul: NodeClass;
  Div: NodeClass;
  FloorDiv: NodeClass;
  Mod: NodeClass;
  Pow: NodeClass;
  Neg: NodeClass;
  Pos: NodeClass;
  Compare: NodeClass;
  CompareOperand: NodeClass;
}

export const nodes = nodesModule as NodesModule;

export interface FrameLike {
  set(name: string, value: unknown, resolveUp?: boolean): void;
  lookup(name: string): unknown;
  push(isolateWrites?: boolean): FrameLike;
  pop(): FrameLike;
  topLevel: boolean;
}

export const nunjucksRuntime = runtimeModule as Record<string, unknown> & {
  Frame: new (parent?: FrameLike, isolateWrites?: boolean) => FrameLike;
  SafeString: new (value: string) => String;
};

/** The base parser's members used by the Jinja2 parser. */
export interface ParserBase {
  tokens: { nextToken(): unknown; tags: Record<string, string> };
  peeked: unknown;
  breakOnBlocks: string[] | null;
  dropLeadingWhitespace: boolean;
  extensions: unknown[];
  parseAsRoot(): JNode;
  parseUntilBlocks(...names: string[]): JNode;
  parseMacro(): JNode;
  parseBlock(): JNode;
  parseExtends(): JNode;
  parseImport(): JNode;
  parseFrom(): JNode;
  parseSignature(tolerant?: boolean, noParens?: boolean): JNode | null;
  advanceAfterBlockEnd(name?: string): unknown;
  advanceAfterVariableEnd(): void;
}

export const ParserClass = (parserModule as { Parser: new (tokens: unknown) => ParserBase }).Parser;

/** The base compiler's members used by the Jinja2 compiler. */
export interface CompilerBase {
  templateName: string | null;
  buffer: string;
  codebuf: string[];
  _emit(code: string): void;
  _emitLine(code: string): void;
  _tmpid(): string;
  _pushBuffer(): string;
  _popBuffer(): void;
  _withScopedSyntax(fn: () => void): void;
  _compileChildren(node: JNode, frame: CompileFrame): void;
  compile(node: JNode, frame?: CompileFrame): void;
  compileMacro(node: JNode, frame: CompileFrame): void;
  compileCaller(node: JNode, frame: CompileFrame): void;
  compileCapture(node: JNode, frame: CompileFrame): void;
  compileInclude(node: JNode, frame: CompileFrame): void;
  getCode(): string;
  fail(message: string, lineno?: number, colno?: number): never;
}

/** Compile-time frame: maps template names to the JS variables holding them. */
export interface CompileFrame {
  set(name: string, id: string): void;
  lookup(name: string): string | undefined | null;
  get(name: string): string | null;
  push(isolateWrites?: boolean): CompileFrame;
  pop(): CompileFrame;
  parent?: CompileFrame;
  variables: Record<string, string>;
}

export const CompilerClass = (compilerModule as { Compiler: new (name: string | null) => CompilerBase })
  .Compiler;
