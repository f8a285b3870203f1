// Where a task's relative file names are looked up (copy src, template src, lookups):
// its role (then the roles it is nested in), then the playbook directory — Ansible's
// task search path.
import { isAbsolute, join } from 'node:path';
import { isDirectory, isFile } from './loader/files.js';
import type { PlaybookNode } from './node.js';
import type { Task } from './task.js';

export function taskSearchPath(task: Task, playbookDir: string): string[] {
  const paths: string[] = [];
  for (let node: PlaybookNode | undefined = task; node; node = node.parent) {
    const role = node.role;
    if (role && !paths.includes(role.path)) paths.push(role.path);
  }
  if (!paths.includes(playbookDir)) paths.push(playbookDir);
  return paths;
}

/** `<dir>/<kind>/<name>`, then `<dir>/<name>`, for each directory of the search path. */
export function findInSearchPath(searchPath: readonly string[], kind: string, name: string): string | undefined {
  if (isAbsolute(name)) return isFile(name) ? name : undefined;
  for (const dir of searchPath) {
    for (const candidate of [join(dir, kind, name), join(dir, name)]) if (isFile(candidate)) return candidate;
  }
  return undefined;
}

/** Like findInSearchPath, for a directory (copy of a whole directory). */
export function findDirectoryInSearchPath(searchPath: readonly string[], kind: string, name: string): string | undefined {
  if (isAbsolute(name)) return isDirectory(name) ? name : undefined;
  for (const dir of searchPath) {
    for (const candidate of [join(dir, kind, name), join(dir, name)]) if (isDirectory(candidate)) return candidate;
  }
  return undefined;
}
