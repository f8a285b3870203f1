// Builds a configuration case on disk and asks either Ansible (`ansible-config dump
// --only-changed -t all --format json`) or tsplay (loadConfig) for the changed settings.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { formatDeprecation } from '../../src/config/config.js';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import type { PluginType } from '../../src/config/settings.js';
import { BASE_SETTINGS } from '../../src/config/settings.js';
import type { ConfigCase } from './cases.js';

const run = promisify(execFile);

export interface Setting {
  name: string;
  origin: string;
  value: unknown;
}

export interface ConfigAnswer {
  base: Setting[];
  plugins: Record<string, Setting[]>;
  warnings: string[];
  deprecations: string[];
  error?: string;
  code: number;
}

/** The plugins whose options tsplay reads, keyed as in ansible-config's JSON. */
const PLUGINS: [PluginType, string, string][] = [
  ['connection', 'ssh', 'CONNECTION_PLUGINS'],
  ['callback', 'default', 'CALLBACK_PLUGINS'],
  ['become', 'sudo', 'BECOME_PLUGINS'],
  ['become', 'su', 'BECOME_PLUGINS'],
  ['shell', 'sh', 'SHELL_PLUGINS'],
];

export interface BuiltCase {
  root: string;
  cwd: string;
  env: Record<string, string>;
}

export function buildCase(c: ConfigCase): BuiltCase {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'tsplay-config-')));
  mkdirSync(join(root, 'home'));
  mkdirSync(join(root, 'project'));
  for (const [path, text] of Object.entries(c.files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  for (const dir of c.worldWritable ?? []) chmodSync(join(root, dir), 0o777);
  const env: Record<string, string> = { HOME: join(root, 'home'), USER: 'tester' };
  for (const [k, v] of Object.entries(c.env ?? {})) env[k] = v.split('<ROOT>').join(root);
  return { root, cwd: join(root, c.cwd ?? 'project'), env };
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

/**
 * Ansible makes a fresh directory inside DEFAULT_LOCAL_TMP on every start (tsplay leaves
 * that to whoever uses it); tuples are lists once in JSON.
 */
function comparable(setting: Setting): Setting {
  if (setting.name === 'DEFAULT_LOCAL_TMP' && typeof setting.value === 'string') {
    return { ...setting, value: setting.value.replace(/\/ansible-local-[^/]+$/, '') };
  }
  return setting;
}

function portableAnswer(answer: ConfigAnswer, root: string): ConfigAnswer {
  return JSON.parse(JSON.stringify(answer).split(root).join('<ROOT>')) as ConfigAnswer;
}

/** ansible-config dump --only-changed -t all --format json, reduced to what tsplay models. */
export async function ansibleAnswer(c: ConfigCase): Promise<ConfigAnswer> {
  const built = buildCase(c);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', ...built.env };
  let stdout = '';
  let stderr = '';
  let code = 0;
  try {
    const args = ['dump', ...(c.full ? [] : ['--only-changed']), '-t', 'all', '--format', 'json'];
    ({ stdout, stderr } = await run('ansible-config', args, { cwd: built.cwd, env }));
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    if (typeof e.code !== 'number') throw err;
    ({ stdout = '', stderr = '', code } = { stdout: e.stdout, stderr: e.stderr, code: e.code });
  }
  stderr = stderr.replace(/\x1b\[[0-9;]*m/g, '');
  const known = new Set([...BASE_SETTINGS.map((d) => d.name), 'CONFIG_FILE']);
  const answer: ConfigAnswer = { base: [], plugins: {}, warnings: [], deprecations: [], code };
  if (stdout.trim()) {
    const data = JSON.parse(stdout) as Record<string, unknown>[];
    for (const entry of data) {
      if ('name' in entry) {
        if (known.has(entry.name as string)) answer.base.push(comparable({ name: entry.name as string, origin: entry.origin as string, value: entry.value }));
        continue;
      }
      for (const [type, plugin, key] of PLUGINS) {
        const list = (entry[key] as Record<string, Setting[]>[] | undefined) ?? [];
        const options = list.find((p) => plugin in p)?.[plugin] ?? [];
        if (key in entry) answer.plugins[`${type}/${plugin}`] = options.map((o) => ({ name: o.name, origin: o.origin, value: o.value }));
      }
    }
  }
  for (const part of squeeze(stderr).split(/(?=\[WARNING\]:|\[DEPRECATIONWARNING\]:|ERROR:)/)) {
    if (part.startsWith('[WARNING]:')) answer.warnings.push(part.slice('[WARNING]:'.length));
    else if (part.startsWith('[DEPRECATIONWARNING]:')) answer.deprecations.push(part.slice('[DEPRECATIONWARNING]:'.length));
  }
  const error = /ERROR: ([\s\S]*)$/.exec(stderr);
  if (error) answer.error = error[1]!.trim();
  return portableAnswer(answer, built.root);
}

/** The same question put to tsplay's loadConfig. */
export function tsplayAnswer(c: ConfigCase): ConfigAnswer {
  const built = buildCase(c);
  try {
    const config = loadConfig({ env: built.env, cwd: built.cwd, home: built.env.HOME! });
    const answer: ConfigAnswer = {
      base: (c.full ? config.all() : config.changed()).map(({ name, origin, value }) => comparable({ name, origin, value })),
      plugins: {},
      warnings: config.warnings.map(squeeze),
      deprecations: config.deprecationWarnings ? config.deprecations.map((d) => squeeze(formatDeprecation(d))) : [],
      code: 0,
    };
    for (const [type, plugin] of PLUGINS) {
      answer.plugins[`${type}/${plugin}`] = config
        .pluginOptions(type, plugin)
        .filter((o) => c.full || o.origin !== 'default')
        .map(({ name, origin, value }) => ({ name, origin, value }));
    }
    return portableAnswer(answer, built.root);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return portableAnswer({ base: [], plugins: {}, warnings: [], deprecations: [], code: err.exitCode, error: err.message }, built.root);
  }
}
