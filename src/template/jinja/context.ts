// The render context the compiled code runs against: template-level variables
// (`{% set %}` at top level, macros, imports), blocks for inheritance, and the render
// state that resolves everything else (task variables, templated lazily, and globals).
// It also counts the top-level output nodes: Ansible keeps a single node's native value.
import type { RenderState } from '../render-state.js';

export const STATE_KEY = '\u0000tsplay.state';

type BlockFn = (...args: unknown[]) => void;

export class JContext {
  readonly ctx: Record<string, unknown>;
  readonly blocks: Record<string, BlockFn[]> = {};
  readonly exported: string[] = [];
  readonly state: RenderState;
  /** Top-level output nodes rendered so far. */
  nodes = 0;
  /** The value of the last top-level node (the result when it is the only one). */
  last: unknown = undefined;
  /** Whether that value came from a filter whose output stays text (to_json, ...). */
  lastNative = false;

  constructor(
    ctx: Record<string, unknown>,
    blocks: Record<string, BlockFn>,
    readonly env: unknown,
    state: RenderState,
  ) {
    this.ctx = { ...ctx };
    this.ctx[STATE_KEY] = state;
    this.state = state;
    for (const [name, block] of Object.entries(blocks)) this.addBlock(name, block);
  }

  resolve(name: string): unknown {
    if (Object.hasOwn(this.ctx, name)) return this.ctx[name];
    return this.state.resolve(name);
  }

  /** Top-level template text: counted as a node. */
  data(text: string, many = false): string {
    this.nodes += many ? 2 : 1;
    this.last = text;
    this.lastNative = false;
    return text;
  }

  setVariable(name: string, value: unknown): void {
    this.ctx[name] = value;
  }

  getVariables(): Record<string, unknown> {
    return this.ctx;
  }

  addBlock(name: string, block: BlockFn): this {
    (this.blocks[name] ??= []).push(block);
    return this;
  }

  getBlock(name: string): BlockFn {
    const block = this.blocks[name]?.[0];
    if (!block) throw new Error(`unknown block "${name}"`);
    return block;
  }

  getSuper(env: unknown, name: string, block: BlockFn, frame: unknown, runtime: unknown, cb: unknown): void {
    const list = this.blocks[name] ?? [];
    const next = list[list.indexOf(block) + 1];
    if (!next) throw new Error(`no super block available for "${name}"`);
    next(env, this, frame, runtime, cb);
  }

  addExport(name: string): void {
    this.exported.push(name);
  }

  getExported(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of this.exported) out[name] = this.ctx[name];
    return out;
  }
}
