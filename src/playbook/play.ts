// A play: hosts, keywords, vars and its task sections compiled into blocks.
import type { SourcePosition } from '../errors.js';
import type { Block } from './block.js';
import { PlaybookNode, type Keywords } from './node.js';
import type { RoleInstance } from './role.js';

export class Play extends PlaybookNode {
  readonly kind = 'play';
  /** pre_tasks, roles, tasks, post_tasks with the implicit handler flushes between them. */
  blocks: Block[] = [];
  /** The sections before compilation: force_handlers compiles them differently (see compilePlay). */
  sections: { pre: Block[]; main: Block[]; post: Block[] } = { pre: [], main: [], post: [] };
  handlers: Block[] = [];
  /** Roles of the `roles:` section (for defaults/vars visibility and role names). */
  roles: RoleInstance[] = [];
  /** Roles added with import_role/include_role public (their defaults/vars are play-visible). */
  readonly includedRoles: RoleInstance[] = [];

  constructor(
    keywords: Keywords,
    pos: SourcePosition | undefined,
    /** The directory of the playbook file the play is in (playbook_dir, relative paths). */
    readonly basedir: string,
    /** The playbook file. */
    readonly file: string,
  ) {
    super(keywords, undefined, pos, undefined);
  }

  get name(): string {
    const name = this.keywords.name;
    if (typeof name === 'string' && name) return name;
    const hosts = this.keywords.hosts;
    return Array.isArray(hosts) ? hosts.join(',') : String(hosts ?? '');
  }

  protected override get stopsVarsChain(): boolean {
    return true;
  }
}
