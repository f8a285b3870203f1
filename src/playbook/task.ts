// A task: one action with its arguments, plus keywords. Handlers are tasks too.
import type { SourcePosition } from '../errors.js';
import { INCLUDE_ROLE_ACTIONS } from './keywords.js';
import { PlaybookNode, type Keywords } from './node.js';
import type { RoleInstance } from './role.js';

let nextTaskId = 0;

export interface LoopSpec {
  /** `loop:` (undefined for with_*). */
  items?: unknown;
  /** For `with_<lookup>:` the lookup's name and its terms. */
  lookup?: string;
  terms?: unknown;
}

export class Task extends PlaybookNode {
  readonly kind = 'task';
  /** Unique per loaded task (results and handlers refer to tasks by it). */
  readonly id = nextTaskId++;

  constructor(
    keywords: Keywords,
    parent: PlaybookNode,
    pos: SourcePosition | undefined,
    role: RoleInstance | undefined,
    /** The action as written (short name or FQCN). */
    readonly action: string,
    /** Raw arguments; strings may hold templates. */
    readonly args: Readonly<Record<string, unknown>>,
    readonly loop: LoopSpec | undefined,
    readonly isHandler = false,
    /** Parameters of an include_tasks/include_role (vars at include-params level). */
    readonly includeParams: Readonly<Record<string, unknown>> | undefined = undefined,
    /** True for tasks the engine adds (flush_handlers between sections, fact gathering). */
    readonly implicit = false,
  ) {
    super(keywords, parent, pos, role);
  }

  /**
   * The name the output shows: the name, or the action when unnamed, after `role : ` for
   * role tasks. An unnamed include_role/import_role shows `include_role : <role>`.
   */
  displayName(renderedName?: string): string {
    const name = renderedName ?? (typeof this.keywords.name === 'string' ? this.keywords.name : '');
    if (!name && INCLUDE_ROLE_ACTIONS.has(this.action)) return `${this.action} : ${String(this.args.name ?? this.args.role ?? '')}`;
    const base = name || this.action;
    return this.role ? `${this.role.name} : ${base}` : base;
  }

  get register(): string | undefined {
    const value = this.keywords.register;
    return typeof value === 'string' ? value : undefined;
  }

  /** Handler topics: its name and every `listen`. */
  listenTopics(): string[] {
    const listen = this.keywords.listen;
    const topics = Array.isArray(listen) ? listen.map(String) : listen !== undefined ? [String(listen)] : [];
    return topics;
  }
}
