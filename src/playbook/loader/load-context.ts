// What the loaders need to know while turning YAML into plays, blocks, tasks and roles.
import type { Templar } from '../../template/templar.js';
import type { Play } from '../play.js';
import type { RoleDefinition, RoleInstance } from '../role.js';

export interface LoadOptions {
  /** Configured roles_path entries (absolute). */
  rolesPath: readonly string[];
  /** Extra vars (-e): role names and import conditions may template with them. */
  extraVars: Readonly<Record<string, unknown>>;
  templar: Templar;
  /** True when a module (or action) of that name exists in tsplay. */
  moduleExists(name: string): boolean;
  /** True when Ansible knows a module of that name, even if tsplay does not implement it. */
  moduleKnownToAnsible(name: string): boolean;
}

/** Load state of one play: the role directories read so far and the play's role instances. */
export class PlayLoadContext {
  /** Role instances of this play by identity key (same role, same parameters: same instance). */
  readonly roleInstances = new Map<string, RoleInstance>();
  /** Roles whose dependencies are being loaded: meeting one again is a dependency loop. */
  readonly rolesLoading = new Set<RoleInstance>();
  /** Tasks files being loaded, outermost first: importing one of them again never ends. */
  readonly taskFilesLoading: string[] = [];

  constructor(
    readonly options: LoadOptions,
    readonly play: Play,
    /** Role directories read in this run, by absolute path (shared by all plays). */
    readonly roleDefinitions: Map<string, RoleDefinition>,
  ) {}

  get basedir(): string {
    return this.play.basedir;
  }
}
