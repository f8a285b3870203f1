// What a module is: a name, an argument spec, whether it supports check mode, and a
// run function that works through the Connection interface only.
import type { BecomeOptions, Connection } from '../connection/connection.js';
import type { Templar } from '../template/templar.js';
import type { VarScope } from '../vars/scope.js';
import type { AsyncJobs } from '../executor/async-jobs.js';

export type ArgType =
  | 'str'
  | 'bool'
  | 'int'
  | 'float'
  | 'list'
  | 'dict'
  | 'path'
  | 'raw'
  | 'json'
  | 'jsonarg'
  | 'bytes'
  | 'bits';

export interface ArgSpecEntry {
  type?: ArgType;
  required?: boolean;
  default?: unknown;
  choices?: readonly unknown[];
  aliases?: readonly string[];
  /** Type of list elements (type: list). */
  elements?: ArgType;
  /** Sub-options of a dict (or of each dict in a list). */
  options?: ArgSpec;
  /** The value is a secret: never printed, replaced by ******** in output. */
  noLog?: boolean;
  /** Checks among the sub-options (with `options`), as a module's top-level constraints. */
  constraints?: ArgConstraints;
  /** With `options`: build the sub-options' defaults even when the option is not given. */
  applyDefaults?: boolean;
  /**
   * Accepted, but not named in the "Supported parameters include" message: options the
   * action plugin consumes before the module sees the arguments (copy's decrypt...).
   */
  unlisted?: boolean;
}

export type ArgSpec = Readonly<Record<string, ArgSpecEntry>>;

export interface ArgConstraints {
  mutuallyExclusive?: readonly (readonly string[])[];
  requiredOneOf?: readonly (readonly string[])[];
  requiredTogether?: readonly (readonly string[])[];
  /** [key, value, requirements, anyOf?]: when args[key] === value, requirements are required (all, or any when anyOf). */
  requiredIf?: readonly (readonly [string, unknown, readonly string[], boolean?])[];
  requiredBy?: Readonly<Record<string, readonly string[]>>;
}

/** A diff as Ansible's callbacks print it. */
export interface FileDiff {
  before?: string | Record<string, unknown>;
  after?: string | Record<string, unknown>;
  before_header?: string;
  after_header?: string;
  /** Already formatted diff text (printed as is). */
  prepared?: string;
}

/** Ansible's module result: the keys playbooks read from `register`. */
export interface ModuleResult {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  /** Usually text; debug and fail pass any value through. */
  msg?: unknown;
  rc?: number;
  diff?: FileDiff | FileDiff[];
  warnings?: string[];
  ansible_facts?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ModuleContext {
  /** The connection to the host the task runs on (the delegate when delegate_to is set). */
  connection: Connection;
  /** inventory_hostname of the host the task is for. */
  inventoryHostname: string;
  /** The task's name as its banner shows it (pause prompts name their task). */
  taskName?: string;
  checkMode: boolean;
  diffMode: boolean;
  /** Privilege escalation for this task; undefined when become is off. */
  become: BecomeOptions | undefined;
  /** The task's variables, for modules that template on the controller (template, assert...). */
  vars: VarScope;
  templar: Templar;
  /**
   * Find a controller-side file the way Ansible's action plugins do: in the role's
   * `kind` folder (files, templates, vars, tasks), then the play's, then relative paths.
   * Undefined when not found.
   */
  findFile(kind: 'files' | 'templates' | 'vars' | 'tasks', name: string): string | undefined;
  /** Paths the lookup/template search uses, most specific first. */
  searchPath: readonly string[];
  /** Print a warning the way Ansible does ([WARNING]: ...). */
  warn(message: string): void;
  /** Show a line to the user right away (pause prompts); modules otherwise only return results. */
  say(message: string): void;
  /** -v count. */
  verbosity: number;
  /** Aborted when the run is interrupted; long waits must stop early. */
  signal: AbortSignal;
  /** The run's background jobs (async tasks), for async_status. */
  asyncJobs?: AsyncJobs | undefined;
  /** The task's environment (task/play `environment:`), already templated. */
  environment: Record<string, string>;
  /** The task has no_log: action plugins (copy, template, assemble) hide file content in their diffs. */
  noLog?: boolean;
}

export interface ModuleDefinition<Args = Record<string, unknown>> {
  /** Fully-qualified collection name, e.g. ansible.builtin.copy. */
  name: string;
  /** Other names it answers to: the short name is added automatically; legacy and other collection names go here. */
  aliases?: readonly string[];
  argSpec: ArgSpec;
  constraints?: ArgConstraints;
  /**
   * The module name validation errors show when it is not the task's action: modules run
   * through an action plugin in Ansible report as `ansible.legacy.<module>` (copy, command...).
   */
  reportedName?: string;
  /** Free-form modules (command, shell, raw, script) take leftover text as `_raw_params`. */
  freeForm?: boolean;
  /**
   * What results report as `invocation.module_args` (shown at -vvv and by the json callback):
   * by default every option of the spec, null when unset; a function adjusts it; false for
   * Ansible's action-only plugins (debug, set_fact...), whose results have none.
   */
  invocation?: false | ((params: Record<string, unknown>) => Record<string, unknown>);
  /** Takes arbitrary keys besides its spec (set_fact, add_host, set_stats): no unknown-argument check. */
  acceptsAnyArgs?: boolean;
  /** In check mode a module without support is skipped ("skipped, running in check mode"). */
  supportsCheckMode: boolean;
  /** Runs once for the first host and stands for all of them, like run_once (pause). */
  bypassHostLoop?: boolean;
  /** Runs entirely on the controller; no connection to the host is opened for it. */
  controllerOnly?: boolean;
  run(args: Args, ctx: ModuleContext): Promise<ModuleResult>;
}

/** A failure a module reports as a normal failed result (not a bug). */
export class ModuleFailure extends Error {
  constructor(
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ModuleFailure';
  }
}
