// Path handling shared by configuration and inventory: Ansible's unfrackpath, i.e.
// expand $VARS and ~, make absolute against a base directory, normalise (symlinks kept).
import { isAbsolute, join, normalize } from 'node:path';

export interface PathContext {
  /** Environment for $VAR expansion. */
  env: Readonly<Record<string, string | undefined>>;
  /** Home directory for ~ expansion. */
  home: string;
}

/** os.path.expandvars: $NAME and ${NAME} of set variables; others left as written. */
export function expandVars(path: string, env: PathContext['env']): string {
  if (!path.includes('$')) return path;
  return path.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => {
    const key = name.startsWith('{') ? name.slice(1, -1) : name;
    const value = env[key];
    return value === undefined ? whole : value;
  });
}

/** os.path.expanduser for the current user's `~`. */
export function expandUser(path: string, home: string): string {
  if (path === '~') return home || '~';
  if (path.startsWith('~/')) return (home.replace(/\/+$/, '') || '') + path.slice(1);
  return path;
}

/** unfrackpath(path, follow=False, basedir): absolute, normalised, vars and ~ expanded. */
export function unfrackPath(path: string, baseDir: string, ctx: PathContext): string {
  let out = expandUser(expandVars(path, ctx.env), ctx.home);
  if (!isAbsolute(out)) out = join(baseDir, out);
  const normal = normalize(out);
  return normal.length > 1 ? normal.replace(/\/+$/, '') : normal;
}
