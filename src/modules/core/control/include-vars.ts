// include_vars: load variables from a YAML/JSON file (or every file of a directory) into
// the host's variables at include_vars precedence.
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { ModuleFailure, type ModuleDefinition } from '../../module.js';
import { loadYamlFile } from '../../../yaml/loader.js';

interface IncludeVarsArgs {
  file?: string;
  _raw_params?: string;
  dir?: string;
  name?: string;
  depth: number;
  files_matching?: string;
  ignore_files: string[];
  extensions: string[];
  ignore_unknown_extensions: boolean;
  hash_behaviour?: string;
}

function loadVars(path: string): Record<string, unknown> {
  const data = loadYamlFile(path);
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ModuleFailure(`${path} must be stored as a dictionary/hash`);
  }
  return data as Record<string, unknown>;
}

function listDir(dir: string, depth: number, level = 1): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (depth === 0 || level < depth) files.push(...listDir(path, depth, level + 1));
    } else files.push(path);
  }
  return files;
}

export const includeVarsModule: ModuleDefinition<IncludeVarsArgs> = {
  name: 'ansible.builtin.include_vars',
  argSpec: {
    file: { type: 'str' },
    _raw_params: { type: 'str' },
    dir: { type: 'str' },
    name: { type: 'str' },
    depth: { type: 'int', default: 0 },
    files_matching: { type: 'str' },
    ignore_files: { type: 'list', elements: 'str', default: [] },
    extensions: { type: 'list', elements: 'str', default: ['yaml', 'yml', 'json'] },
    ignore_unknown_extensions: { type: 'bool', default: false },
    hash_behaviour: { type: 'str', choices: ['replace', 'merge'] },
  },
  invocation: false,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args, ctx) {
    const files: string[] = [];
    if (args.dir !== undefined) {
      const dir = ctx.findFile('vars', args.dir) ?? resolveDir(args.dir, ctx.searchPath);
      if (!dir) throw new ModuleFailure(`${args.dir} directory does not exist`);
      const matcher = args.files_matching ? new RegExp(args.files_matching) : undefined;
      for (const path of listDir(dir, args.depth)) {
        const name = basename(path);
        if (args.ignore_files.includes(name)) continue;
        if (matcher && !matcher.test(name)) continue;
        const ext = extname(path).slice(1);
        if (!args.extensions.includes(ext)) {
          if (args.ignore_unknown_extensions) continue;
          throw new ModuleFailure(`${path} does not have a valid extension: ${args.extensions.join(', ')}`);
        }
        files.push(path);
      }
    } else {
      const source = args.file ?? args._raw_params;
      if (!source) throw new ModuleFailure('No filename, dir or _raw_params provided');
      const path = ctx.findFile('vars', source);
      if (!path) throw new ModuleFailure(`Could not find or access '${source}'\nSearched in:\n${ctx.searchPath.flatMap((d) => [`\t${join(d, 'vars', source)}`, `\t${join(d, source)}`]).join('\n')} on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`);
      files.push(path);
    }
    let vars: Record<string, unknown> = {};
    for (const file of files) vars = { ...vars, ...loadVars(file) };
    const facts = args.name ? { [args.name]: vars } : vars;
    return { ansible_facts: facts, ansible_included_var_files: files.map((f) => resolve(f)), changed: false };
  },
};

function resolveDir(dir: string, searchPath: readonly string[]): string | undefined {
  for (const base of searchPath) {
    for (const candidate of [join(base, 'vars', dir), join(base, dir)]) {
      try {
        if (statSync(candidate).isDirectory()) return candidate;
      } catch {
        // try the next
      }
    }
  }
  return undefined;
}
