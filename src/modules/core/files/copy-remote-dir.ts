// copy with remote_src and a directory source: the tree is merged into dest on the target
// (missing entries copied, differing files replaced with their modes, nothing deleted),
// as the copy module's dircmp-based copy does, then owner/group over the copied tree
// and the file attributes on dest itself.
import { posix } from 'node:path';
import { ModuleFailure, type ModuleResult } from '../../module.js';
import { setAttributesIfDifferent, type FileCommonArgs } from './attributes.js';
import { resolveIds, withPathInfo } from './fs.js';
import type { Target } from './target.js';

export interface RemoteDirectoryCopy extends FileCommonArgs {
  src: string;
  dest: string;
  local_follow?: boolean | null;
}

// $1 source directory (contents), $2 destination directory, $3 '1' in check mode, $4 '1' to follow
// links in the source, $5 uid or empty, $6 gid or empty. Prints "changed" when something was (or would be) changed.
const MERGE_SCRIPT = `src=$1 dest=$2 check=$3 follow=$4 uid=$5 gid=$6 changed=
mark() { changed=1; }
[ -d "$dest" ] || { mark; [ "$check" = 1 ] || mkdir -p -- "$dest" || exit 1; }
cd -- "$src" || exit 1
find . -mindepth 1 -print0 > "\${TMPDIR:-/tmp}/.tsplay-merge.$$" || exit 1
while IFS= read -r -d '' rel; do
  s=$src/\${rel#./} d=$dest/\${rel#./}
  if [ -L "$s" ] && { [ "$follow" != 1 ] || [ ! -e "$s" ]; }; then
    if [ ! -L "$d" ] && [ ! -e "$d" ]; then mark; [ "$check" = 1 ] || ln -s -- "$(readlink -- "$s")" "$d" || exit 1; fi
  elif [ -d "$s" ]; then
    if [ ! -e "$d" ]; then mark; [ "$check" = 1 ] || { mkdir -- "$d" && chmod --reference="$s" -- "$d"; } || exit 1; fi
  elif [ -f "$s" ]; then
    if [ ! -e "$d" ] || ! cmp -s -- "$s" "$d"; then mark; [ "$check" = 1 ] || { cp -- "$s" "$d" && chmod --reference="$s" -- "$d"; } || exit 1; fi
  fi
done < "\${TMPDIR:-/tmp}/.tsplay-merge.$$"
rm -f -- "\${TMPDIR:-/tmp}/.tsplay-merge.$$"
if [ -n "$uid" ] && [ -n "$(find "$dest" ! -uid "$uid" -print -quit 2>/dev/null)" ]; then mark; [ "$check" = 1 ] || chown -hR -- "$uid" "$dest" || exit 1; fi
if [ -n "$gid" ] && [ -n "$(find "$dest" ! -gid "$gid" -print -quit 2>/dev/null)" ]; then mark; [ "$check" = 1 ] || chgrp -hR -- "$gid" "$dest" || exit 1; fi
[ -z "$changed" ] || echo changed`;

export async function copyRemoteDirectory(target: Target, args: RemoteDirectoryCopy, check: boolean): Promise<ModuleResult> {
  const dest = args.dest.includes('/') ? args.dest : `./${args.dest}`;
  const destIsDir = (await target.stat(dest, { follow: true }))?.type === 'directory';
  // rsync's rule: "src/" copies the contents, "src" the directory itself.
  const into = args.src.endsWith('/') ? dest : destIsDir ? posix.join(dest, posix.basename(args.src)) : posix.join(dest, posix.basename(args.src));
  const ids = await resolveIds(target, args.owner ?? undefined, args.group ?? undefined);
  if (ids.uid === null) throw new ModuleFailure(`chown failed: failed to look up user ${args.owner}`, { path: dest });
  if (ids.gid === null) throw new ModuleFailure(`chgrp failed: failed to look up group ${args.group}`, { path: dest });
  const result = await target.run(['/bin/bash', '-c', MERGE_SCRIPT, 'bash', args.src.replace(/\/+$/, '') || '/', into, check ? '1' : '', args.local_follow === false ? '' : '1', ids.uid?.toString() ?? '', ids.gid?.toString() ?? '']);
  if (result.rc !== 0) throw new ModuleFailure(`failed to copy: ${args.src} to ${dest}`, { traceback: result.stderr.trim() });
  let changed = result.stdout.includes('changed');
  // As the module: a dest that was a directory already is reported (and given the attributes) joined with the source's name.
  const reported = destIsDir ? (args.src.endsWith('/') ? `${dest.replace(/\/?$/, '/')}` : posix.join(dest, posix.basename(args.src))) : dest;
  changed = await setAttributesIfDifferent(target, reported, args, changed, undefined, check);
  return withPathInfo(target, { dest: reported, src: args.src, md5sum: null, checksum: null, changed });
}
