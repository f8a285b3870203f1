// tempfile: a new private temporary file or directory on the target, named as Python's
// mkstemp/mkdtemp name them (prefix, eight random characters, suffix).
import { randomBytes } from 'node:crypto';
import { ModuleFailure, type ModuleDefinition } from '../../module.js';
import { withPathInfo } from './fs.js';
import { Target } from './target.js';

interface TempfileArgs {
  state: 'file' | 'directory';
  path?: string | null;
  prefix: string;
  suffix: string;
}

const CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_';

// $1 directory (empty: the system's), $2 'd' for a directory, then candidate names. Creates the
// first name that does not exist yet, private to its owner, and prints its path.
const CREATE_SCRIPT = `d=$1 kind=$2; shift 2
[ -n "$d" ] || d=\${TMPDIR:-/tmp}
[ -d "$d" ] || { printf "[Errno 2] No such file or directory: '%s'" "\${d%/}/$1" >&2; exit 2; }
umask 077
for n do
  p="\${d%/}/$n"
  if [ "$kind" = d ]; then mkdir -- "$p" 2>/dev/null && { printf '%s' "$p"; exit 0; }
  else (set -C; : > "$p") 2>/dev/null && { printf '%s' "$p"; exit 0; }
  fi
  [ -e "$p" ] || { mkdir -- "$p" 2>&1 >/dev/null | head -n1 >&2; exit 1; }
done
echo 'No usable temporary file name found' >&2; exit 1`;

export const tempfileModule: ModuleDefinition<TempfileArgs> = {
  name: 'ansible.builtin.tempfile',
  argSpec: {
    state: { type: 'str', default: 'file', choices: ['file', 'directory'] },
    path: { type: 'path' },
    prefix: { type: 'str', default: 'ansible.' },
    suffix: { type: 'str', default: '' },
  },
  supportsCheckMode: false,
  async run(args, ctx) {
    const target = new Target(ctx);
    const dir = args.path ? await target.expandPath(args.path) : '';
    const names = Array.from({ length: 10 }, () => `${args.prefix}${[...randomBytes(8)].map((b) => CHARS[b % CHARS.length]).join('')}${args.suffix}`);
    const result = await target.sh(CREATE_SCRIPT, [dir, args.state === 'directory' ? 'd' : 'f', ...names]);
    if (result.rc !== 0) {
      const message = result.stderr.trim();
      throw new ModuleFailure(message, { exception: `${result.rc === 2 ? 'FileNotFoundError' : 'OSError'}: ${message}\n` });
    }
    return withPathInfo(target, { changed: true, path: result.stdout });
  },
};
