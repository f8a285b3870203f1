// Files on the controller that modules send to the target (copy src, template src,
// script, unarchive src): looked up in the task's search path as Ansible's
// _find_needle does, with its "Could not find or access" message when missing.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { homedir } from 'node:os';
import { ModuleFailure, type ModuleContext } from '../../module.js';

type Kind = 'files' | 'templates' | 'vars' | 'tasks';

// Ansible's path_dwim_relative_stack: a role is searched in its `kind` folder and its tasks
// folder, other directories in `kind` and themselves, and the playbook directory (the last
// of the search path) once more at the end.
function candidates(ctx: ModuleContext, kind: Kind, name: string): string[] {
  const out: string[] = [];
  const paths = ctx.searchPath;
  const withKind = name.split('/')[0] !== kind;
  paths.forEach((dir, index) => {
    const isRole = index < paths.length - 1;
    if (isRole) out.push(join(dir, kind, name), join(dir, 'tasks', name));
    else {
      if (withKind) out.push(join(dir, kind, name));
      out.push(join(dir, name));
    }
  });
  const basedir = paths[paths.length - 1];
  if (basedir !== undefined) {
    if (withKind) out.push(join(basedir, kind, name));
    out.push(join(basedir, name));
  }
  return out;
}

/** The controller path of `name` (a file or, with `directories`, a directory); undefined when missing. */
export function findOnController(ctx: ModuleContext, kind: Kind, name: string, options: { directories?: boolean } = {}): string | undefined {
  if (name.startsWith('~')) name = join(homedir(), name.slice(1));
  if (isAbsolute(name)) return existsSync(name) ? name : undefined;
  const file = ctx.findFile(kind, name);
  if (file !== undefined || !options.directories) return file;
  return candidates(ctx, kind, name).find((path) => existsSync(path));
}

export function notFoundMessage(ctx: ModuleContext, kind: Kind, name: string): string {
  const searched = isAbsolute(name) ? [] : candidates(ctx, kind, name);
  return (
    `Could not find or access '${name}'\nSearched in:\n${searched.map((p) => `\t${p}`).join('\n')} on the Ansible Controller.\n` +
    'If you are using a module and expect the file to exist on the remote, see the remote_src option'
  );
}

/** The `exception` text Ansible's result carries for a missing file (its callback shows the last line). */
export function notFoundException(message: string): string {
  return `Traceback (most recent call last):\n  File "tsplay", in find_needle\nansible.errors.AnsibleFileNotFound: ${message}\n`;
}

/** findOnController, failing the task with Ansible's message when the file is not there. */
export function requireOnController(ctx: ModuleContext, kind: Kind, name: string, options: { directories?: boolean } = {}): string {
  const path = findOnController(ctx, kind, name, options);
  if (path === undefined) throw new ModuleFailure(notFoundMessage(ctx, kind, name));
  return path;
}
