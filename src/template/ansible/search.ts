// Where lookups and template includes find files: each search-path entry (role dir, then
// playbook dir), first under the kind's subdirectory (files/, templates/, vars/), then
// directly (Ansible's DataLoader.path_dwim_relative_stack).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';

export function expandUser(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return path;
}

/** The candidate paths, in search order, for `source` under `dirname` (files, templates, vars). */
export function searchCandidates(searchPath: readonly string[], dirname: string, source: string): string[] {
  if (source.startsWith('~') || isAbsolute(source)) return [resolve(expandUser(source))];
  const candidates: string[] = [];
  const roots = searchPath.length ? searchPath : [process.cwd()];
  for (const root of roots) {
    if (basename(root) === 'tasks') {
      // A role's tasks folder (a task file's directory): look in the role's <dirname>/.
      candidates.push(join(root, '..', dirname, source), join(root, source));
      continue;
    }
    if (source.split('/')[0] !== dirname) candidates.push(join(root, dirname, source));
    candidates.push(join(root, source));
  }
  return candidates;
}

/** The first existing candidate, or undefined. */
export function findFile(searchPath: readonly string[], dirname: string, source: string): string | undefined {
  return searchCandidates(searchPath, dirname, source).find((candidate) => existsSync(candidate));
}

/** A template named in `{% include %}` / `{% import %}` / lookup('template'). */
export function findTemplateFile(name: string, searchPath: readonly string[]): { source: string; path: string } | undefined {
  const path = findFile(searchPath, 'templates', name);
  if (!path) return undefined;
  return { path, source: readFileSync(path, 'utf8') };
}
