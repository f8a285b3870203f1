// get_url: a file downloaded by the target (with curl) into dest (a file, or a directory
// where the server's or the URL's file name is used), skipped when an expected checksum
// already matches, If-Modified-Since when the file exists, checksum verification, and
// the results and messages of Ansible's get_url.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { fileCommonArgSpec, setAttributesIfDifferent, type FileCommonArgs } from './attributes.js';
import { backupFile } from './copy-remote.js';
import { withPathInfo } from './fs.js';
import { Target } from './target.js';

interface GetUrlArgs extends FileCommonArgs {
  url: string;
  dest: string;
  force: boolean;
  http_agent: string;
  use_proxy: boolean;
  validate_certs: boolean;
  url_username?: string | null;
  url_password?: string | null;
  force_basic_auth: boolean;
  client_cert?: string | null;
  client_key?: string | null;
  use_gssapi: boolean;
  backup: boolean;
  checksum: string;
  timeout: number;
  headers?: Record<string, unknown> | null;
  tmp_dest?: string | null;
  unredirected_headers: string[];
  decompress: boolean;
  ciphers?: string[] | null;
  use_netrc: boolean;
}

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request',
  401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout', 410: 'Gone',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

// Positional: $1 url, $2 output file, $3 HEAD or GET, $4 timeout, $5 '1' to skip certificate checks, $6 If-Modified-Since
// or empty, $7 agent, $8 '1' to decompress, $9 '1' to bypass proxies, then header lines. Credentials come on stdin as a
// curl config. Prints the HTTP code and the final URL; the response headers go to $2.headers.
const CURL_SCRIPT = `command -v curl >/dev/null 2>&1 || { echo 'curl is not installed on the target' >&2; exit 127; }
url=$1 out=$2 method=$3 timeout=$4 insecure=$5 ims=$6 agent=$7 decompress=$8 noproxy=$9
shift 9
set -- "$@" -H "User-Agent: $agent"
[ -z "$ims" ] || set -- "$@" -H "If-Modified-Since: $ims"
[ "$insecure" != 1 ] || set -- "$@" -k
[ "$decompress" != 1 ] || set -- "$@" --compressed
[ "$noproxy" != 1 ] || set -- "$@" --noproxy '*'
body=$out
# A HEAD response has no body: the download file stays empty.
if [ "$method" = HEAD ]; then set -- "$@" --head; body=/dev/null; : > "$out"; fi
exec curl -sS -L --max-redirs 10 --max-time "$timeout" -K - -o "$body" -D "$out.headers" -w '%{http_code}\\n%{url_effective}\\n' "$@" -- "$url"`;

interface Response {
  status: number;
  msg: string;
  url: string;
  headers: Map<string, string>;
}

const curlQuote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function headerArgs(headers: Record<string, unknown> | null | undefined): string[] {
  return Object.entries(headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${String(value)}`]);
}

/** The headers of the last response (after redirects). */
function parseHeaders(text: string): { statusLine: string; headers: Map<string, string> } {
  const blocks = text.split(/\r?\n\r?\n/).filter((b) => b.trim());
  const last = blocks[blocks.length - 1] ?? '';
  const [statusLine = '', ...lines] = last.split(/\r?\n/);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { statusLine, headers };
}

async function download(target: Target, args: GetUrlArgs, url: string, out: string, method: 'GET' | 'HEAD', ifModifiedSince: string | undefined): Promise<Response> {
  const config = args.url_username ? `user = ${curlQuote(`${args.url_username}:${args.url_password ?? ''}`)}\n` : '';
  const run = await target.sh(
    CURL_SCRIPT,
    [url, out, method, String(args.timeout), args.validate_certs ? '' : '1', ifModifiedSince ?? '', args.http_agent, args.decompress ? '1' : '', args.use_proxy ? '' : '1', ...headerArgs(args.headers)],
    { stdin: config },
  );
  if (run.rc === 127) throw new ModuleFailure(run.stderr.trim());
  const [code = '000', effective = url] = run.stdout.split('\n');
  const status = Number(code);
  const headersText = (await target.sh('cat -- "$1.headers" 2>/dev/null; rm -f -- "$1.headers"', [out])).stdout;
  const { statusLine, headers } = parseHeaders(headersText);
  if (run.rc !== 0 && status === 0) {
    const reason = run.rc === 7 ? '[Errno 111] Connection refused' : run.rc === 6 ? '[Errno -2] Name or service not known' : run.rc === 28 ? 'timed out' : run.stderr.replace(/^curl: \(\d+\) /, '').trim();
    return { status: -1, msg: `Request failed: <urlopen error ${reason}>`, url: effective, headers };
  }
  if (url.startsWith('file:')) return { status: 200, msg: `OK (${headers.get('content-length') ?? 'unknown'} bytes)`, url: effective, headers };
  if (status === 200) return { status, msg: `OK (${headers.get('content-length') ?? 'unknown'} bytes)`, url: effective, headers };
  const phrase = statusLine.replace(/^HTTP\/\S+\s+\d+\s*/, '') || REASONS[status] || '';
  return { status, msg: `HTTP Error ${status}: ${phrase}`, url: effective, headers };
}

/** Python's url_filename: the last path part, index.html when there is none. */
function urlFilename(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // keep the text
  }
  const name = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  return name || 'index.html';
}

function filenameFromHeaders(headers: Map<string, string>): string | undefined {
  const disposition = headers.get('content-disposition');
  const m = disposition && /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return m ? posix.basename(m[1]!.trim()) : undefined;
}

const httpDate = (seconds: number) => new Date(Math.floor(seconds) * 1000).toUTCString();

async function digest(target: Target, algorithm: string, path: string): Promise<string> {
  const result = await target.sh(`${algorithm}sum < "$1" | cut -d' ' -f1`, [path]);
  if (result.rc !== 0) throw new ModuleFailure(`Could not hash file '${path}' with algorithm '${algorithm}'. Available algorithms: md5, sha1, sha224, sha256, sha384, sha512`);
  return result.stdout.trim();
}

async function run(args: GetUrlArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const url = args.url;
  let dest = await target.expandPath(args.dest);
  let force = args.force;
  const result: ModuleResult = { changed: false, checksum_dest: null, checksum_src: null, dest, elapsed: 0, url };
  const destIsDir = (await target.stat(dest, { follow: true }))?.type === 'directory';
  const tmpRoot = args.tmp_dest ? await target.expandPath(args.tmp_dest) : undefined;

  let algorithm = '';
  let checksum = args.checksum;
  if (checksum) {
    const colon = checksum.indexOf(':');
    if (colon === -1) throw new ModuleFailure('The checksum parameter has to be in format <algorithm>:<checksum>', result);
    algorithm = checksum.slice(0, colon);
    checksum = checksum.slice(colon + 1);
    if (/^(https?|ftp|file):\/\//.test(checksum)) {
      const listUrl = checksum;
      const tmp = `/tmp/.tsplay-checksum.${randomBytes(6).toString('hex')}`;
      const response = await download(target, args, listUrl, tmp, 'GET', undefined);
      const text = (await target.sh('cat -- "$1"; rm -f -- "$1"', [tmp])).stdout;
      if (response.status !== 200) throw new ModuleFailure('Request failed', { status_code: response.status, response: response.msg, url: listUrl, dest, elapsed: 0 });
      const lines = text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
      const filename = urlFilename(url);
      const map: [string, string][] = [];
      if (lines.length === 1 && lines[0]!.split(/\s+/).filter(Boolean).length === 1) map.push([lines[0]!.trim(), filename]);
      else {
        for (const line of lines) {
          const space = line.indexOf(' ');
          if (space === -1) continue;
          let name = line.slice(space + 1);
          if (name.startsWith(' ') || name.startsWith('*')) name = name.slice(1);
          map.push([line.slice(0, space), name.replace(/^[./]+/, '')]);
        }
      }
      const found = map.find(([, name]) => name === filename);
      if (!found) throw new ModuleFailure(`Unable to find a checksum for file '${filename}' in '${listUrl}'`);
      checksum = found[0];
    }
    checksum = checksum.replace(/[^\p{L}\p{N}_]+/gu, '').toLowerCase();
    if (!/^[0-9a-f]+$/.test(checksum)) throw new ModuleFailure('The checksum format is invalid', result);
  }

  let ifModifiedSince: string | undefined;
  const destStat = destIsDir ? undefined : await target.stat(dest, { follow: true });
  if (destStat) {
    let mismatch = false;
    if (!force && checksum) mismatch = checksum !== (await digest(target, algorithm, dest));
    if (!force && checksum && !mismatch) {
      result.changed = await setAttributesIfDifferent(target, dest, args, false, undefined, ctx.checkMode);
      return withPathInfo(target, { ...result, msg: result.changed ? 'file already exists but file attributes changed' : 'file already exists' });
    }
    if (!force) ifModifiedSince = httpDate(destStat.mtime);
    if (mismatch) force = true;
  }

  const started = Date.now();
  const tmpDir = tmpRoot ?? (await target.shOk('could not create a temporary directory', `d="\${HOME:-/tmp}/.ansible/tmp/$1"; (umask 077; mkdir -p -- "$d") && printf '%s' "$d"`, [`ansible-tmp-${(Date.now() / 1000).toFixed(7)}-${process.pid}-${randomBytes(6).readUIntBE(0, 6)}`])).stdout;
  if (tmpRoot) {
    const stat = await target.stat(tmpRoot, { follow: true });
    if (stat?.type !== 'directory') throw new ModuleFailure(stat ? `${tmpRoot} is a file but should be a directory.` : `${tmpRoot} directory does not exist.`, { elapsed: 0 });
  }
  const tmpsrc = `${tmpDir}/tmp${randomBytes(6).toString('hex').slice(0, 8)}`;
  const cleanup = async () => {
    await target.sh(tmpRoot ? 'rm -f -- "$1"' : 'rm -rf -- "${1%/*}"', [tmpsrc]);
  };
  try {
    const response = await download(target, args, url, tmpsrc, ctx.checkMode ? 'HEAD' : 'GET', ifModifiedSince);
    const elapsed = Math.floor((Date.now() - started) / 1000);
    if (response.status === 304) return withPathInfo(target, { url, dest, changed: false, msg: response.msg, status_code: 304, elapsed });
    if (response.status === -1) throw new ModuleFailure(response.msg, { url, dest, elapsed });
    if (response.status !== 200 && !url.startsWith('file:/')) {
      throw new ModuleFailure('Request failed', { status_code: response.status, response: response.msg, url, dest, elapsed });
    }
    result.elapsed = elapsed;
    result.src = tmpsrc;
    if (destIsDir) {
      dest = posix.join(dest, filenameFromHeaders(response.headers) ?? urlFilename(response.url));
      result.dest = dest;
    }
    if (ctx.checkMode && !(await target.stat(tmpsrc))) await target.sh(': > "$1"', [tmpsrc]);
    result.checksum_src = await target.checksum(tmpsrc);
    const existing = await target.stat(dest, { follow: true });
    if (existing) {
      if ((await target.sh('[ -w "$1" ]', [dest])).rc !== 0) throw new ModuleFailure(`Destination ${dest} is not writable`, result);
      if ((await target.sh('[ -r "$1" ]', [dest])).rc !== 0) throw new ModuleFailure(`Destination ${dest} is not readable`, result);
      result.checksum_dest = (await target.checksum(dest)) ?? null;
    } else {
      const dir = posix.dirname(dest);
      if (!(await target.stat(dir, { follow: true }))) throw new ModuleFailure(`Destination ${dir} does not exist`, result);
      if ((await target.sh('[ -w "$1" ]', [dir])).rc !== 0) throw new ModuleFailure(`Destination ${dir} is not writable`, result);
    }
    if (ctx.checkMode) {
      result.changed = result.checksum_dest === null || result.checksum_src !== result.checksum_dest;
      return withPathInfo(target, { ...result, msg: response.msg });
    }
    let backup: string | undefined;
    if (result.checksum_src !== result.checksum_dest) {
      if (args.backup && existing) backup = await backupFile(target, dest);
      const moved = await target.sh(
        `if [ -e "$2" ]; then chmod --reference="$2" -- "$1" && { chown --reference="$2" -- "$1" 2>/dev/null || :; }
else chmod "$(printf '%o' $((0666 & ~0$(umask))))" -- "$1"; fi
t="\${2%/*}/.tsplay.$3.tmp"; cp -- "$1" "$t" && mv -f -- "$t" "$2"`,
        [tmpsrc, dest, randomBytes(6).toString('hex')],
      );
      if (moved.rc !== 0) throw new ModuleFailure(`failed to copy ${tmpsrc} to ${dest}: ${moved.stderr.trim()}`, result);
      result.changed = true;
    }
    if (checksum) {
      const actual = await digest(target, algorithm, dest);
      if (actual !== checksum) {
        await target.sh('rm -f -- "$1"', [dest]);
        throw new ModuleFailure(`The checksum for ${dest} did not match ${checksum}; it was ${actual}.`, result);
      }
    }
    result.changed = await setAttributesIfDifferent(target, dest, args, result.changed as boolean, undefined, false);
    result.md5sum = (await target.sh('md5sum < "$1" | cut -d" " -f1', [dest])).stdout.trim();
    if (backup) result.backup_file = backup;
    return withPathInfo(target, { ...result, msg: response.msg, status_code: response.status });
  } finally {
    await cleanup();
  }
}

export const getUrlModule: ModuleDefinition<GetUrlArgs> = {
  name: 'ansible.builtin.get_url',
  argSpec: {
    url: { type: 'str', required: true },
    force: { type: 'bool', default: false },
    http_agent: { type: 'str', default: 'ansible-httpget' },
    use_proxy: { type: 'bool', default: true },
    validate_certs: { type: 'bool', default: true },
    url_username: { type: 'str', aliases: ['username'] },
    url_password: { type: 'str', noLog: true, aliases: ['password'] },
    force_basic_auth: { type: 'bool', default: false },
    client_cert: { type: 'path' },
    client_key: { type: 'path' },
    use_gssapi: { type: 'bool', default: false },
    dest: { type: 'path', required: true },
    backup: { type: 'bool', default: false },
    checksum: { type: 'str', default: '' },
    timeout: { type: 'int', default: 10 },
    headers: { type: 'dict' },
    tmp_dest: { type: 'path' },
    unredirected_headers: { type: 'list', elements: 'str', default: [] },
    decompress: { type: 'bool', default: true },
    ciphers: { type: 'list', elements: 'str' },
    use_netrc: { type: 'bool', default: true },
    ...fileCommonArgSpec,
  },
  supportsCheckMode: true,
  run,
};
