// The nunjucks modules this engine extends: CommonJS files without type declarations,
// typed where they are used (nunjucks.ts).
declare module 'nunjucks/src/compiler.js' {
  const compiler: unknown;
  export default compiler;
}
declare module 'nunjucks/src/nodes.js' {
  const nodes: unknown;
  export default nodes;
}
declare module 'nunjucks/src/parser.js' {
  const parser: unknown;
  export default parser;
}
declare module 'nunjucks/src/runtime.js' {
  const runtime: unknown;
  export default runtime;
}
