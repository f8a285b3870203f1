// The one templating interface used everywhere (task args, conditionals, loops, vars,
// the template module, lookups). The engine behind it is an implementation detail.
import type { SourcePosition } from '../errors.js';
import type { VarScope, VarLayer } from '../vars/scope.js';

export interface TemplateOptions {
  /**
   * Task-argument semantics (jinja2_native off): a rendered string that looks like a
   * list, dict, bool or None is converted back to that type. Default true.
   */
  convertData?: boolean;
  /** Fail when an undefined variable is used (Ansible's default). Default true. */
  failOnUndefined?: boolean;
  /** Keep a trailing newline of the rendered text (the template module does). */
  preserveTrailingNewlines?: boolean;
  /** Where the template text came from, for error messages. */
  source?: SourcePosition | string | undefined;
  /** Extra search paths for lookups and includes (role dirs, playbook dir). */
  searchPath?: readonly string[];
  /**
   * Double backslashes inside `{{ }}` string literals, as Ansible does for task arguments
   * (YAML already unescaped them once). Default true; the template module turns it off.
   */
  escapeBackslashes?: boolean;
  /** Lookups (lookup/query/q) raise an error instead of running (Ansible's disable_lookups). */
  disableLookups?: boolean;
  /** Jinja environment settings the template module exposes (trim_blocks, delimiters...). */
  jinja?: JinjaSettings;
}

/** The template module's Jinja options (also settable by a `#jinja2:` first line). */
export interface JinjaSettings {
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  newlineSequence?: string;
  keepTrailingNewline?: boolean;
  blockStartString?: string;
  blockEndString?: string;
  variableStartString?: string;
  variableEndString?: string;
  commentStartString?: string;
  commentEndString?: string;
}

export interface Templar {
  /** True when the string contains template syntax. Cheap; used to skip rendering. */
  isTemplate(value: string): boolean;
  /** Render a string. Task-arg semantics unless options.convertData is false. */
  template(value: string, vars: VarScope | VarLayer, options?: TemplateOptions): unknown;
  /** Template every string inside a data structure (lists, dicts); returns a new structure. */
  templateData(data: unknown, vars: VarScope | VarLayer, options?: TemplateOptions): unknown;
  /** Evaluate a conditional (`when`, `failed_when`, `until`, ...): bare expression or template. */
  evaluateConditional(conditional: unknown, vars: VarScope | VarLayer, options?: TemplateOptions): boolean;
  /** Evaluate a bare expression (`debug: var=`, `loop: "{{ x }}"` shorthand) and return its value. */
  evaluateExpression(expression: string, vars: VarScope | VarLayer, options?: TemplateOptions): unknown;
  /**
   * Render a template file's text as the template module and lookup('template') do:
   * no type conversion, trailing newline kept, `template_*` variables available.
   */
  renderFile(
    text: string,
    vars: VarScope | VarLayer,
    options: TemplateOptions & {
      path: string;
      destPath?: string;
      /** The template's `src` as the task wrote it (template_path); default `path`. */
      templatePath?: string;
    },
  ): string;
  /**
   * Run a lookup plugin for a `with_<name>:` loop (the engine needs this; please keep it):
   * `terms` are the raw loop terms, listified and templated as Ansible's
   * listify_lookup_plugin_terms does; returns the list of loop items (wantlist=True).
   */
  lookup(name: string, terms: unknown, vars: VarScope | VarLayer, options?: TemplateOptions): unknown[];
}

/**
 * An error raised while templating (undefined variable, bad syntax, filter failure).
 * `type` is the Python exception class Ansible reports (AnsibleUndefinedVariable,
 * AnsibleFilterError, AnsibleError, ...); `message` is its text, as Ansible prints it.
 */
export class TemplateError extends Error {
  readonly type: string;

  constructor(message: string, options?: { cause?: unknown; type?: string }) {
    super(message, options);
    this.name = 'TemplateError';
    this.type = options?.type ?? 'AnsibleError';
  }

  /** `AnsibleUndefinedVariable: 'x' is undefined. 'x' is undefined` */
  describe(): string {
    return `${this.type}: ${this.message}`;
  }

  get isUndefinedVariable(): boolean {
    return this.type === 'AnsibleUndefinedVariable';
  }
}
