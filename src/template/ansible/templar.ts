// The Templar: Ansible's templating rules on top of the Jinja2 engine in ../jinja.
//   - task arguments: rendered with backslash pre-escaping, then converted back to a
//     list/dict/bool when the text looks like one (jinja2_native off);
//   - a template that is exactly `{{ name }}` of a bool/number/None variable returns it as is;
//   - template files: no conversion, trim_blocks on, `#jinja2:` overrides, template_* vars;
//   - conditionals: Ansible's `{% if %} True {% else %} False {% endif %}` evaluation.
import { statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, resolve as resolvePath } from 'node:path';
import { LayeredScope, toScope, VarLayer, VarScope } from '../../vars/scope.js';
import { CompiledTemplate, JinjaEnvironment, TemplateSettings } from '../jinja/environment.js';
import { literalEval } from '../python/literal.js';
import { RenderState } from '../render-state.js';
import { isDict } from '../runtime/repr.js';
import { truthy } from '../runtime/ops.js';
import { PyDatetime } from '../runtime/types.js';
import { JinjaSettings, Templar, TemplateError, TemplateOptions } from '../templar.js';
import { countTrailingNewlines, evalConcat, toPlain } from './concat.js';
import { conditionalError, definedTestVerdict } from './conditional.js';
import { toTemplateError } from './errors.js';
import { findTemplateFile } from './search.js';
import { runLookupList } from '../lookups/registry.js';
import { isPossiblyTemplate, isUnsafe, markUnsafe, templateVariable } from './variables.js';

const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;
const JINJA2_OVERRIDE = '#jinja2:';

export interface TemplarOptions {
  /** Default search path for lookups and includes (playbook dir); per-call options add to it. */
  searchPath?: readonly string[];
  /** Maximum number of compiled templates kept (least recently compiled dropped first). */
  cacheSize?: number;
  /** ansible.cfg's ansible_managed string (DEFAULT_MANAGED_STR). */
  ansibleManaged?: string;
}

interface RenderMode {
  convertData: boolean;
  preserveTrailingNewlines: boolean;
  settings: TemplateSettings;
}

const ARG_SETTINGS: TemplateSettings = {
  trimBlocks: true,
  lstripBlocks: false,
  escapeBackslashes: true,
  newlineSequence: '\n',
  keepTrailingNewline: false,
};

export class AnsibleTemplar implements Templar {
  readonly env: JinjaEnvironment;

  constructor(private readonly defaults: TemplarOptions = {}) {
    this.env = new JinjaEnvironment((name, state) => findTemplateFile(name, state.options.searchPath), defaults.cacheSize);
  }

  isTemplate(value: string): boolean {
    return isPossiblyTemplate(value);
  }

  private rootState(vars: VarScope | VarLayer, options: TemplateOptions = {}): RenderState {
    return new RenderState(this, toScope(vars), {
      searchPath: options.searchPath ?? this.defaults.searchPath ?? [],
      disableLookups: options.disableLookups ?? false,
    });
  }

  template(value: string, vars: VarScope | VarLayer, options: TemplateOptions = {}): unknown {
    if (typeof value !== 'string') return this.templateData(value, vars, options);
    if (!isPossiblyTemplate(value)) return value;
    return this.templateString(value, this.rootState(vars, options), options);
  }

  private argMode(options: TemplateOptions): RenderMode {
    const escape = options.escapeBackslashes ?? true;
    return {
      convertData: options.convertData ?? true,
      preserveTrailingNewlines: options.preserveTrailingNewlines ?? true,
      settings: escape ? ARG_SETTINGS : { ...ARG_SETTINGS, escapeBackslashes: false },
    };
  }

  private templateString(value: string, state: RenderState, options: TemplateOptions): unknown {
    const single = SINGLE_VAR.exec(value);
    if (single && state.scope.has(single[1]!)) {
      const raw = state.scope.get(single[1]!);
      if (typeof raw === 'boolean' || typeof raw === 'number') return raw;
      if (raw === null || raw === undefined) return null;
    }
    let result: unknown;
    try {
      result = toPlain(this.render(value, state, this.argMode(options)));
    } catch (e) {
      const error = toTemplateError(e, value);
      // fail_on_undefined=False: Ansible hands back the text as it was.
      if (options.failOnUndefined === false && error.isUndefinedVariable) return value;
      throw error;
    }
    return state.flags.unsafe ? markUnsafe(result) : result;
  }

  /** Renders `source` and applies the concat rules; errors are raised as runtime exceptions. */
  private render(source: string, state: RenderState, mode: RenderMode, template?: CompiledTemplate): unknown {
    const compiled = template ?? this.env.compile(source, mode.settings);
    const { output, context } = compiled.render(state);
    const result = mode.convertData ? evalConcat(output, context) : output;
    if (typeof result === 'string' && mode.preserveTrailingNewlines) {
      const missing = countTrailingNewlines(source) - countTrailingNewlines(result);
      if (missing > 0) return result + mode.settings.newlineSequence.repeat(missing);
    }
    return result;
  }

  /** A variable's raw value, templated as AnsibleJ2Vars does (called by RenderState). */
  readVariable(state: RenderState, name: string): unknown {
    return templateVariable(state, name, state.scope.get(name));
  }

  /** Templar.template on a nested string (a variable's value): task-arg rules, same call state. */
  renderNested(value: string, state: RenderState): unknown {
    const single = SINGLE_VAR.exec(value);
    if (single && state.scope.has(single[1]!)) {
      const raw = state.scope.get(single[1]!);
      if (typeof raw === 'boolean' || typeof raw === 'number') return raw;
      if (raw === null || raw === undefined) return null;
    }
    return this.render(value, state, this.argMode({}));
  }

  templateData(data: unknown, vars: VarScope | VarLayer, options: TemplateOptions = {}): unknown {
    return this.templateIn(data, this.rootState(vars, options), options);
  }

  lookup(name: string, terms: unknown, vars: VarScope | VarLayer, options: TemplateOptions = {}): unknown[] {
    const state = this.rootState(vars, options);
    // listify_lookup_plugin_terms: template the terms, a single value becomes a one-item list.
    let templated: unknown;
    try {
      templated = typeof terms === 'string' ? this.templateStringIn(terms.trim(), state, options) : this.templateIn(terms, state, options);
    } catch (e) {
      throw toTemplateError(e, typeof terms === 'string' ? terms : String(terms));
    }
    const list = loopTerms(name, templated);
    try {
      return toPlain(runLookupList(state, name, list)) as unknown[];
    } catch (e) {
      throw toTemplateError(e, name);
    }
  }

  private templateStringIn(value: string, state: RenderState, options: TemplateOptions): unknown {
    return isPossiblyTemplate(value) ? this.templateString(value, state, options) : value;
  }

  private templateIn(value: unknown, state: RenderState, options: TemplateOptions): unknown {
    if (typeof value === 'string') return this.templateStringIn(value, state, options);
    if (typeof value !== 'object' || value === null || isUnsafe(value)) return value;
    if (Array.isArray(value)) return value.map((v) => this.templateIn(v, state, options));
    if (isDict(value)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) out[key] = this.templateIn(value[key], state, options);
      return out;
    }
    return value;
  }

  /** A bare expression; one already written as a template (`{{ x }}`) is templated as it is (convert_bare). */
  evaluateExpression(expression: string, vars: VarScope | VarLayer, options: TemplateOptions = {}): unknown {
    return this.template(expression.includes('{{') ? expression : `{{ ${expression} }}`, vars, options);
  }

  evaluateConditional(conditional: unknown, vars: VarScope | VarLayer, options: TemplateOptions = {}): boolean {
    if (conditional === null || conditional === undefined || conditional === '') return true;
    if (typeof conditional === 'boolean') return conditional;
    const original = String(conditional);
    const state = this.rootState(vars, options);
    let templated: unknown = original;
    try {
      templated = typeof conditional === 'string' ? this.templateConditionalText(original, state, options) : conditional;
      if (typeof templated !== 'string' || templated === '') return truthy(templated);
      const presented = `{% if ${templated} %} True {% else %} False {% endif %}`;
      const value = String(this.templateString(presented, state, options)).trim();
      if (value === 'True') return true;
      if (value === 'False') return false;
      throw new TemplateError(`unable to evaluate conditional: ${original}`);
    } catch (e) {
      const error = e instanceof TemplateError ? e : toTemplateError(e, original);
      if (error.isUndefinedVariable) {
        const verdict = definedTestVerdict(typeof templated === 'string' ? templated : original, error);
        if (verdict !== undefined) return verdict;
      }
      throw conditionalError(original, error);
    }
  }

  private templateConditionalText(text: string, state: RenderState, options: TemplateOptions): unknown {
    return isPossiblyTemplate(text) ? this.templateString(text, state, options) : text;
  }

  renderFile(
    text: string,
    vars: VarScope | VarLayer,
    options: TemplateOptions & { path: string; destPath?: string; templatePath?: string },
  ): string {
    const result = this.renderTemplateText(text, vars, {
      ...options,
      convertData: options.convertData ?? false,
      searchPath: [...(options.searchPath ?? this.defaults.searchPath ?? []), dirname(options.path)],
    });
    return typeof result === 'string' ? result : String(result);
  }

  /** lookup('template'): like the template module, but converting data unless told not to. */
  renderTemplateLookup(text: string, vars: VarScope | VarLayer, options: TemplateOptions & { path: string; templatePath?: string }): unknown {
    if (!isPossiblyTemplate(text)) return text;
    return this.renderTemplateText(text, vars, { ...options, convertData: options.convertData ?? true });
  }

  /** Renders a template file's text (template_* variables, `#jinja2:` overrides, no backslash escaping). */
  private renderTemplateText(
    text: string,
    vars: VarScope | VarLayer,
    options: TemplateOptions & { path: string; destPath?: string; templatePath?: string },
  ): unknown {
    const layered = combine(toScope(vars), new LayeredScope([this.templateVars(options.path, options.destPath, options.templatePath)]));
    const state = this.rootState(layered, options);
    let source = text;
    const settings: TemplateSettings = fileSettings(options.jinja);
    try {
      if (source.startsWith(JINJA2_OVERRIDE)) {
        const eol = source.indexOf('\n');
        const line = source.slice(JINJA2_OVERRIDE.length, eol < 0 ? undefined : eol);
        source = eol < 0 ? '' : source.slice(eol + 1);
        applyOverrides(settings, line);
      }
      const mode: RenderMode = {
        convertData: options.convertData ?? false,
        preserveTrailingNewlines: options.preserveTrailingNewlines ?? true,
        settings,
      };
      return toPlain(this.render(source, state, mode, this.env.compile(source, settings, options.path)));
    } catch (e) {
      throw toTemplateError(e, source);
    }
  }

  /** The variables the template module adds (generate_ansible_template_vars). */
  private templateVars(path: string, destPath: string | undefined, templatePath = path): VarLayer {
    let mtime = new Date();
    let uid = '';
    try {
      const st = statSync(path);
      mtime = st.mtime;
      uid = st.uid === userInfo().uid ? userInfo().username : String(st.uid);
    } catch {
      // A template given as text only (tests, lookups of generated text): no file facts.
    }
    const host = hostname();
    const managed = (this.defaults.ansibleManaged ?? 'Ansible managed')
      .replace(/\{host\}/g, host)
      .replace(/\{uid\}/g, uid)
      .replace(/\{file\}/g, templatePath);
    return {
      template_host: host,
      template_path: templatePath,
      template_mtime: PyDatetime.fromDate(mtime),
      template_uid: uid,
      template_run_date: PyDatetime.fromDate(new Date()),
      template_destpath: destPath ?? null,
      template_fullpath: resolvePath(path),
      ansible_managed: managed,
    };
  }
}

function combine(base: VarScope, top: VarScope): VarScope {
  return {
    has: (name) => top.has(name) || base.has(name),
    get: (name) => (top.has(name) ? top.get(name) : base.get(name)),
    names: () => new Set([...top.names(), ...base.names()]),
  };
}

function fileSettings(jinja: JinjaSettings | undefined): TemplateSettings {
  const settings: TemplateSettings = {
    trimBlocks: jinja?.trimBlocks ?? true,
    lstripBlocks: jinja?.lstripBlocks ?? false,
    escapeBackslashes: false,
    newlineSequence: jinja?.newlineSequence ?? '\n',
    keepTrailingNewline: jinja?.keepTrailingNewline ?? false,
  };
  if (jinja?.blockStartString) settings.blockStart = jinja.blockStartString;
  if (jinja?.blockEndString) settings.blockEnd = jinja.blockEndString;
  if (jinja?.variableStartString) settings.variableStart = jinja.variableStartString;
  if (jinja?.variableEndString) settings.variableEnd = jinja.variableEndString;
  if (jinja?.commentStartString) settings.commentStart = jinja.commentStartString;
  if (jinja?.commentEndString) settings.commentEnd = jinja.commentEndString;
  return settings;
}

const OVERRIDE_KEYS: Record<string, keyof TemplateSettings> = {
  trim_blocks: 'trimBlocks',
  lstrip_blocks: 'lstripBlocks',
  keep_trailing_newline: 'keepTrailingNewline',
  newline_sequence: 'newlineSequence',
  block_start_string: 'blockStart',
  block_end_string: 'blockEnd',
  variable_start_string: 'variableStart',
  variable_end_string: 'variableEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
};

/** `#jinja2: trim_blocks: False, lstrip_blocks: True` */
function applyOverrides(settings: TemplateSettings, line: string): void {
  for (const pair of line.split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) {
      throw new TemplateError(
        `failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`,
      );
    }
    const key = OVERRIDE_KEYS[pair.slice(0, colon).trim()];
    const value = literalEval(pair.slice(colon + 1).trim());
    if (key) (settings as unknown as Record<string, unknown>)[key] = value;
  }
}

/** Lookups whose run() takes a mapping given as the terms themselves (with_dict: {a: 1}). */
const MAPPING_TERMS = new Set(['dict', 'ansible.builtin.dict', 'ansible.legacy.dict']);

/**
 * The terms a lookup plugin receives for a loop: listify_lookup_plugin_terms keeps any
 * iterable as it is and wraps a string or scalar in a list; plugins iterate a mapping's keys.
 */
function loopTerms(name: string, terms: unknown): unknown[] {
  if (Array.isArray(terms)) return terms;
  if (terms instanceof Set) return [...terms];
  if (isDict(terms)) return MAPPING_TERMS.has(name) ? [terms] : Object.keys(terms);
  return [terms];
}
