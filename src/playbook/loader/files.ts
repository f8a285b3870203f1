// Finding the files plays and roles refer to, the way Ansible searches for them.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadYamlFile } from '../../yaml/loader.js';
import type { RoleInstance } from '../role.js';

const DATA_EXTENSIONS = ['', '.yml', '.yaml', '.json'];

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A role's data file `<role>/<folder>/<name>` with any of the usual extensions. */
export function findRoleFile(rolePath: string, folder: string, name: string): string | undefined {
  for (const ext of DATA_EXTENSIONS) {
    const candidate = join(rolePath, folder, `${name}${ext}`);
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * A tasks file named by import_tasks/include_tasks: in the role's tasks/ folder, then
 * beside the including file, then in the playbook's directory.
 */
export function findTaskFile(
  name: string,
  role: RoleInstance | undefined,
  currentDir: string,
  basedir: string,
): string | undefined {
  if (isAbsolute(name)) return isFile(name) ? name : undefined;
  const candidates = [
    ...(role ? [join(role.path, 'tasks', name), join(role.path, name)] : []),
    join(currentDir, name),
    join(basedir, name),
  ];
  return candidates.map((c) => resolve(c)).find(isFile);
}

/** Load a YAML/JSON data file (cached per run). */
export function loadDataFile(path: string): unknown {
  return loadYamlFile(path);
}

export function pathExists(path: string): boolean {
  return existsSync(path);
}
