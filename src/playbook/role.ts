// A role directory (RoleDefinition, read once per path) and one use of it in a play
// (RoleInstance: the definition with the entry's parameters and keywords).
import type { SourcePosition } from '../errors.js';
import type { Block } from './block.js';
import { PlaybookNode, type Keywords } from './node.js';

export interface RoleMeta {
  dependencies: unknown[];
  allowDuplicates: boolean;
  pos?: SourcePosition | undefined;
}

export interface RoleDefinition {
  name: string;
  /** Absolute path of the role directory. */
  path: string;
  meta: RoleMeta;
}

/** The role entry's keywords (become, tags, when...); the parent of the role's blocks. */
export class RoleEntry extends PlaybookNode {
  readonly kind = 'role-entry';
  protected override get stopsVarsChain(): boolean {
    return true;
  }
}

export class RoleInstance {
  /** Blocks compiled from tasks/<tasks_from>.yml; set by the loader. */
  blocks: Block[] = [];
  handlerBlocks: Block[] = [];
  /** defaults/<defaults_from> */
  defaults: Record<string, unknown> = {};
  /** vars/<vars_from> */
  vars: Record<string, unknown> = {};
  dependencies: RoleInstance[] = [];
  /** Hosts this instance has completed on (roles run once per host unless duplicates are allowed). */
  readonly ranOn = new Set<string>();
  /** Hosts on which at least one task of the role ran (not skipped); role_complete reads it. */
  readonly hadTaskRun = new Set<string>();

  constructor(
    readonly definition: RoleDefinition,
    /** Role parameters (role entry keys that are not keywords, and the entry's vars). */
    readonly params: Readonly<Record<string, unknown>>,
    readonly entry: RoleEntry,
    /** Added by include_role/import_role rather than `roles:`. */
    readonly fromInclude: boolean,
    /** include_role public: its defaults and vars become visible to the rest of the play. */
    readonly isPublic: boolean,
  ) {}

  get name(): string {
    return this.definition.name;
  }

  get path(): string {
    return this.definition.path;
  }

  /** include_role/import_role `allow_duplicates:` overrides the role's meta. */
  allowDuplicatesOverride: boolean | undefined;

  get allowDuplicates(): boolean {
    return this.allowDuplicatesOverride ?? this.definition.meta.allowDuplicates;
  }

  /** The blocks to run: each dependency's (recursively) before the role's own. */
  *blocksWithDependencies(): Generator<Block> {
    for (const dep of this.dependencies) yield* dep.blocksWithDependencies();
    yield* this.blocks;
  }

  /** Handler blocks of the role and its dependencies. */
  *handlersWithDependencies(): Generator<Block> {
    for (const dep of this.dependencies) yield* dep.handlersWithDependencies();
    yield* this.handlerBlocks;
  }

  /** This role and its dependencies, dependencies first (for defaults/vars visibility). */
  *withDependencies(): Generator<RoleInstance> {
    for (const dep of this.dependencies) yield* dep.withDependencies();
    yield this;
  }
}

export type { Keywords };
