// group_vars/ and host_vars/ directories (Ansible's host_group_vars plugin): for a
// directory D and a group or host named N, the variables of D/group_vars/N (or host_vars)
// as a file with no extension, .yml, .yaml or .json — the first that exists — or, when that
// path is a directory, of every file in it (recursively, sorted by name).
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { TsplayError } from '../errors.js';
import { combineVars, type HashBehaviour, type Vars } from './combine-vars.js';
import { loadDataFile } from './data-file.js';

export type VarsEntityKind = 'group' | 'host';

/** ansible-playbook and ansible-inventory exit 4 on parser errors such as a bad vars file. */
const PARSER_ERROR_EXIT = 4;

export const VARS_FILE_EXTENSIONS: readonly string[] = ['.yml', '.yaml', '.json'];

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function dirVarsFiles(dir: string, extensions: readonly string[]): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const ext = extname(entry);
    const full = join(dir, entry);
    if (isDir(full) && !ext) found.push(...dirVarsFiles(full, extensions));
    else if (isFile(full) && (!ext || extensions.includes(ext))) found.push(full);
  }
  return found;
}

/** The files holding the variables of `name` in `dir` (DataLoader.find_vars_files). */
export function findVarsFiles(dir: string, name: string, extensions: readonly string[] = VARS_FILE_EXTENSIONS): string[] {
  const base = join(dir, name);
  for (const ext of ['', ...extensions]) {
    const path = base + ext;
    if (!existsSync(path)) continue;
    return isDir(path) ? dirVarsFiles(path, ['', ...extensions]) : [path];
  }
  return [];
}

/**
 * Loads and caches group_vars/host_vars. One instance per inventory; `clear()` on
 * refresh_inventory. Errors are TsplayErrors with exit code 4, as Ansible's parser errors.
 */
export class VarsFilesLoader {
  private readonly found = new Map<string, string[]>();
  private readonly fileData = new Map<string, unknown>();

  constructor(
    private readonly hashBehaviour: HashBehaviour = 'replace',
    private readonly warn: (message: string) => void = () => {},
  ) {}

  clear(): void {
    this.found.clear();
    this.fileData.clear();
  }

  /** Variables of one group or host from `<basedir>/group_vars` or `<basedir>/host_vars`. */
  varsFor(basedir: string, kind: VarsEntityKind, name: string): Vars {
    // names that look like absolute paths (chroot hosts) never read files
    if (name.startsWith(sep)) return {};
    const subdir = kind === 'host' ? 'host_vars' : 'group_vars';
    let dir = resolve(basedir, subdir);
    try {
      dir = realpathSync(dir);
    } catch {
      return {};
    }
    const key = `${name}\0${dir}`;
    let files = this.found.get(key);
    if (!files) {
      if (!isDir(dir)) {
        this.warn(`Found ${subdir} that is not a directory, skipping: ${dir}`);
        files = [];
      } else {
        files = findVarsFiles(dir, name);
      }
      this.found.set(key, files);
    }
    let data: Vars = {};
    for (const file of files) {
      const loaded = this.load(file);
      if (!loaded) continue;
      try {
        data = combineVars(data, loaded, this.hashBehaviour);
      } catch (err) {
        if (err instanceof TsplayError) throw new TsplayError(err.message, { exitCode: PARSER_ERROR_EXIT, cause: err });
        throw err;
      }
    }
    return data;
  }

  private load(file: string): unknown {
    if (!this.fileData.has(file)) {
      try {
        this.fileData.set(file, loadDataFile(file));
      } catch (err) {
        if (err instanceof TsplayError) {
          throw new TsplayError(err.message, { pos: err.pos, exitCode: PARSER_ERROR_EXIT, cause: err });
        }
        throw err;
      }
    }
    const value = this.fileData.get(file);
    // Ansible skips empty files (and anything falsy)
    if (value === null || value === undefined || value === false || value === 0 || value === '') return undefined;
    if (Array.isArray(value) && value.length === 0) return undefined;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return undefined;
    return value;
  }
}
