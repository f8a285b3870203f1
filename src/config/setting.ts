// How one configuration setting is declared: where its value may come from and how the
// text found there is turned into a typed value.

/** Ansible's config types; `untyped` settings keep text as text (quotes removed). */
export type SettingType =
  | 'boolean'
  | 'integer'
  | 'float'
  | 'list'
  | 'none'
  | 'path'
  | 'tmppath'
  | 'pathspec'
  | 'pathlist'
  | 'dict'
  | 'string'
  | 'raw'
  | 'untyped';

export interface Deprecation {
  why: string;
  alternatives?: string;
  /** ansible-core version the setting (or this way of setting it) goes away in. */
  version: string;
}

export interface EnvEntry {
  name: string;
  deprecated?: Deprecation;
}

export interface IniEntry {
  section: string;
  key: string;
  deprecated?: Deprecation;
}

/** A default written relative to ANSIBLE_HOME (`{{ ANSIBLE_HOME ~ "/roles:..." }}` in Ansible). */
export interface HomeDefault {
  readonly homeRelative: string;
}

export interface SettingDefinition {
  name: string;
  type: SettingType;
  default: unknown;
  /** Environment variables, lowest precedence first (the last one set wins). */
  env: readonly EnvEntry[];
  /** ansible.cfg entries, lowest precedence first (the last one present wins). */
  ini: readonly IniEntry[];
  /** Host/play variables that override the setting (plugin options only). */
  vars: readonly string[];
  choices?: readonly string[];
  deprecated?: Deprecation;
}

export function homeDefault(homeRelative: string): HomeDefault {
  return { homeRelative };
}

export function isHomeDefault(value: unknown): value is HomeDefault {
  return typeof value === 'object' && value !== null && 'homeRelative' in value;
}

interface SettingOptions {
  env?: readonly (string | EnvEntry)[];
  ini?: readonly (string | { entry: string; deprecated: Deprecation })[];
  vars?: readonly string[];
  choices?: readonly string[];
  deprecated?: Deprecation;
}

function iniEntry(entry: string, deprecated?: Deprecation): IniEntry {
  const dot = entry.indexOf('.');
  const out: IniEntry = { section: entry.slice(0, dot), key: entry.slice(dot + 1) };
  if (deprecated) out.deprecated = deprecated;
  return out;
}

/** Table helper: setting('DEFAULT_FORKS', 'integer', 5, { env: ['ANSIBLE_FORKS'], ini: ['defaults.forks'] }). */
export function setting(name: string, type: SettingType, defaultValue: unknown, options: SettingOptions = {}): SettingDefinition {
  const def: SettingDefinition = {
    name,
    type,
    default: defaultValue,
    env: (options.env ?? []).map((e) => (typeof e === 'string' ? { name: e } : e)),
    ini: (options.ini ?? []).map((e) => (typeof e === 'string' ? iniEntry(e) : iniEntry(e.entry, e.deprecated))),
    vars: options.vars ?? [],
  };
  if (options.choices) def.choices = options.choices;
  if (options.deprecated) def.deprecated = options.deprecated;
  return def;
}
