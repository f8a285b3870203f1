// What plays, blocks, role entries and tasks share: their own keywords (raw, not yet
// templated), their parent, their source position, and keyword inheritance.
import type { SourcePosition } from '../errors.js';
import type { RoleInstance } from './role.js';

export type Keywords = Readonly<Record<string, unknown>>;

export abstract class PlaybookNode {
  constructor(
    readonly keywords: Keywords,
    readonly parent: PlaybookNode | undefined,
    readonly pos: SourcePosition | undefined,
    /** The role this node belongs to (tasks, blocks and handlers of a role). */
    readonly role: RoleInstance | undefined,
  ) {}

  /** The node's own value of a keyword, or the nearest ancestor's. */
  inherited(keyword: string): unknown {
    for (let node: PlaybookNode | undefined = this; node; node = node.parent) {
      const value = node.keywords[keyword];
      if (value !== undefined && value !== null) return value;
    }
    return undefined;
  }

  /** Values of an accumulating keyword from the outermost ancestor down to this node. */
  accumulated(keyword: string): unknown[] {
    const chain: unknown[] = [];
    for (let node: PlaybookNode | undefined = this; node; node = node.parent) {
      const value = node.keywords[keyword];
      if (value === undefined || value === null) continue;
      chain.unshift(...(Array.isArray(value) ? value : [value]));
    }
    return chain;
  }

  /** `when` conditions that apply to this node, outermost first. */
  conditionals(): unknown[] {
    return this.accumulated('when');
  }

  /** Tags of this node and every ancestor (tags are inherited downward). */
  tags(): string[] {
    const tags: string[] = [];
    for (const tag of this.accumulated('tags')) {
      for (const t of typeof tag === 'string' ? tag.split(',') : [String(tag)]) {
        const name = t.trim();
        if (name && !tags.includes(name)) tags.push(name);
      }
    }
    return tags;
  }

  /** Vars of the enclosing blocks and this node, outermost first (task vars level). */
  varsChain(): Record<string, unknown>[] {
    const chain: Record<string, unknown>[] = [];
    for (let node: PlaybookNode | undefined = this; node; node = node.parent) {
      if (node.stopsVarsChain) break;
      const vars = node.keywords.vars;
      if (vars && typeof vars === 'object') chain.unshift(vars as Record<string, unknown>);
    }
    return chain;
  }

  /** Plays and role entries hold their vars at other precedence levels than blocks and tasks. */
  protected get stopsVarsChain(): boolean {
    return false;
  }
}
