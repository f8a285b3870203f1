// Files on the controller that modules send to the target (copy src, template src,
// script, unarchive src): looked up in the task's search path as Ansible's
// _find_needle does, with its "Could not find or access" message when missing.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { homedir } from 'node:os';
import { ModuleFailure, type ModuleContext } from '../../module.js';

type Kind = 'files' | 'templates' | 'vars' | 'tasks';

function candidates(ctx: ModuleContext, kind: Kind, name: string): string[] {
  const out: string[] = [];
  for (const dir of ctx.searchPath) {
    // A name that already starts with the folder is not looked up in it twice.
    if (name.split('/')[0] !== kind) out.push(join(dir, kind, name));
    out.push(join(dir, name));
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

/** findOnController, failing the task with Ansible's message when the file is not there. */
export function requireOnController(ctx: ModuleContext, kind: Kind, name: string, options: { directories?: boolean } = {}): string {
  const path = findOnController(ctx, kind, name, options);
  if (path === undefined) throw new ModuleFailure(notFoundMessage(ctx, kind, name));
  return path;
}
