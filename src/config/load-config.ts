// Loading the configuration: find ansible.cfg, read it, and resolve every setting with
// Ansible's precedence (environment over file over default). A pure function of its
// inputs (environment, working directory, home) apart from reading the files it finds.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { OptionsError } from '../errors.js';
import { Config, type ResolvedSetting } from './config.js';
import { ensureType, SettingTypeError, type ConvertContext } from './convert.js';
import { IniFile, IniSyntaxError } from './ini-file.js';
import { unfrackPath, type PathContext } from './paths.js';
import { isHomeDefault, type Deprecation, type SettingDefinition } from './setting.js';
import { BASE_SETTINGS } from './settings.js';

export interface LoadConfigInput {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  home: string;
  /** An explicit config file (ansible-config -c); skips the search. */
  configFile?: string;
}

/** A configuration problem: Ansible stops with "ERROR: <message>" and exit code 5. */
export class ConfigError extends OptionsError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface ConfigDeprecation {
  /** "<what> option, <why>, use <alternative> instead" */
  message: string;
  version: string;
}

function isReadableFile(path: string): boolean {
  try {
    statSync(path);
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The ansible.cfg Ansible would use, first found of: $ANSIBLE_CONFIG (a file, or a
 * directory holding ansible.cfg), ./ansible.cfg (unless the directory is world-writable),
 * ~/.ansible.cfg, /etc/ansible/ansible.cfg.
 */
export function findConfigFile(input: Omit<LoadConfigInput, 'configFile'>, warnings: string[] = []): string | undefined {
  const ctx: PathContext = { env: input.env, home: input.home };
  const candidates: string[] = [];
  let fromEnv: string | undefined;
  if (input.env.ANSIBLE_CONFIG !== undefined) {
    fromEnv = unfrackPath(input.env.ANSIBLE_CONFIG, input.cwd, ctx);
    try {
      if (statSync(fromEnv).isDirectory()) fromEnv = join(fromEnv, 'ansible.cfg');
    } catch {
      // not there: the search goes on
    }
    candidates.push(fromEnv);
  }
  let skippedWorldWritable = false;
  const cwdConfig = join(input.cwd, 'ansible.cfg');
  try {
    if (statSync(input.cwd).mode & 0o002) {
      skippedWorldWritable = isReadableFile(cwdConfig) || statExists(cwdConfig);
    } else {
      candidates.push(cwdConfig);
    }
  } catch {
    // an unreadable working directory is no config source
  }
  candidates.push(unfrackPath('~/.ansible.cfg', input.cwd, ctx));
  candidates.push('/etc/ansible/ansible.cfg');
  const found = candidates.find(isReadableFile);
  if (skippedWorldWritable && found !== fromEnv) {
    warnings.push(
      `Ansible is being run in a world writable directory (${input.cwd}), ignoring it as an ansible.cfg source. ` +
        'For more information see https://docs.ansible.com/ansible/devel/reference_appendices/config.html#cfg-in-world-writable-dir',
    );
  }
  return found;
}

function statExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function readConfigFile(path: string): IniFile {
  const ext = extname(path);
  if (ext === '.yaml' || ext === '.yml') throw new ConfigError('Unsupported configuration file type: yaml');
  if (ext !== '.ini' && ext !== '.cfg') throw new ConfigError(`Unsupported configuration file extension for ${path}: ${ext}`);
  let text: string;
  try {
    // ignoreBOM: a byte order mark stays in the text, as with Python's utf-8 codec
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(path));
  } catch (err) {
    if (err instanceof TypeError) {
      throw new ConfigError(`Error reading config file(${path}) because the config file was not utf8 encoded: ${err.message}`);
    }
    throw new ConfigError(`Error reading config file (${path}): ${(err as Error).message}`);
  }
  try {
    return IniFile.parse(text);
  } catch (err) {
    if (err instanceof IniSyntaxError) throw new ConfigError(`Error reading config file (${path}): ${err.message}`);
    throw err;
  }
}

function deprecationMessage(what: string, dep: Deprecation): ConfigDeprecation {
  const alternative = dep.alternatives ? `, use ${dep.alternatives} instead` : '';
  return { message: `${what} option, ${dep.why}${alternative}`, version: dep.version };
}

/** Context for resolving settings: the parsed file and where relative things are. */
export interface SettingSource {
  env: LoadConfigInput['env'];
  cwd: string;
  home: string;
  file: string | undefined;
  ini: IniFile | undefined;
  ansibleHome: string;
}

/**
 * One setting's value and origin: `vars` (plugin options only) over the environment over
 * the config file over the default. Throws ConfigError for bad types or choices.
 */
export function resolveSetting(
  def: SettingDefinition,
  source: SettingSource,
  entryLabel: string,
  deprecations: ConfigDeprecation[] = [],
  vars?: Readonly<Record<string, unknown>>,
): ResolvedSetting {
  let value: unknown;
  let origin: string | undefined;
  if (vars) {
    for (const name of def.vars) {
      if (vars[name] !== undefined && vars[name] !== null) {
        value = vars[name];
        origin = `var: ${name}`;
      }
    }
  }
  if (value === undefined) {
    for (const entry of def.env) {
      const found = source.env[entry.name];
      if (found !== undefined) {
        value = found;
        origin = `env: ${entry.name}`;
        if (entry.deprecated) deprecations.push(deprecationMessage(entry.name, entry.deprecated));
      }
    }
  }
  if (value === undefined && source.ini && source.file) {
    for (const entry of def.ini) {
      const found = source.ini.get(entry.section, entry.key);
      if (found !== undefined) {
        value = found;
        origin = source.file;
        if (entry.deprecated) deprecations.push(deprecationMessage(`[${entry.section}]${entry.key}`, entry.deprecated));
      }
    }
  }
  if (value === undefined) {
    origin = 'default';
    value = isHomeDefault(def.default) ? source.ansibleHome + def.default.homeRelative : def.default;
  }

  const ctx: ConvertContext = {
    env: source.env,
    home: source.home,
    cwd: source.cwd,
    baseDir: origin === source.file && source.file ? dirname(source.file) : undefined,
  };
  try {
    value = ensureType(value, def.type, ctx);
  } catch (err) {
    if (!(err instanceof SettingTypeError)) throw err;
    if (origin!.startsWith('env:') && value === '') {
      origin = 'default';
      value = ensureType(isHomeDefault(def.default) ? source.ansibleHome + def.default.homeRelative : def.default, def.type, ctx);
    } else {
      throw new ConfigError(`Invalid type for configuration option ${entryLabel.trim()} (from ${origin}): ${err.message}`);
    }
  }

  if (value !== null && def.choices) {
    const valid = Array.isArray(value)
      ? value.every((v) => def.choices!.includes(String(v)))
      : def.choices.includes(String(value));
    if (!valid) {
      throw new ConfigError(
        `Invalid value "${Array.isArray(value) ? `[${value.map((v) => `'${String(v)}'`).join(', ')}]` : String(value)}" for configuration option "${entryLabel}", valid values are: ${def.choices.join(', ')}`,
      );
    }
  }
  if (def.deprecated && origin !== 'default') deprecations.push(deprecationMessage(def.name, def.deprecated));
  return { name: def.name, value, origin: origin! };
}

/**
 * Load the configuration as Ansible 2.14 does. Throws ConfigError (exit 5) for an
 * unreadable or invalid ansible.cfg or a setting of the wrong type.
 */
export function loadConfig(input: LoadConfigInput): Config {
  const warnings: string[] = [];
  const file =
    input.configFile !== undefined
      ? unfrackPath(input.configFile, input.cwd, { env: input.env, home: input.home })
      : findConfigFile(input, warnings);
  const ini = file ? readConfigFile(file) : undefined;
  const source: SettingSource = { env: input.env, cwd: input.cwd, home: input.home, file, ini, ansibleHome: '' };
  const deprecations: ConfigDeprecation[] = [];
  const settings = new Map<string, ResolvedSetting>();

  // ANSIBLE_HOME first: other defaults are written relative to it.
  const homeDef = BASE_SETTINGS.find((d) => d.name === 'ANSIBLE_HOME')!;
  const home = resolveSetting(homeDef, source, `setting: ${homeDef.name} `, deprecations);
  source.ansibleHome = String(home.value);
  for (const def of [...BASE_SETTINGS].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    settings.set(def.name, def === homeDef ? home : resolveSetting(def, source, `setting: ${def.name} `, deprecations));
  }
  return new Config(file, settings, source, warnings, deprecations);
}
