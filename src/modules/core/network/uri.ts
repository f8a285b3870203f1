// uri: an HTTP(S) request made from the target (see http-request.ts), with Ansible's
// arguments (method, body and body_format json/form-urlencoded/raw, headers,
// status_code, return_content, timeout, validate_certs, url_username/password,
// follow_redirects, dest, creates/removes) and result keys (status, url, msg,
// redirected, elapsed, cookies, response headers lowercased with `_`, content, json).
// Retrying with `until` is the engine's job.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { pythonStr } from '../../arguments.js';
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { pyJsonDumps } from '../../../template/python/json.js';
import { fileCommonArgSpec, setAttributesIfDifferent, type FileCommonArgs } from '../files/attributes.js';
import { withPathInfo } from '../files/fs.js';
import { Target } from '../files/target.js';
import { httpRequest } from './http-request.js';

export interface UriArgs extends FileCommonArgs {
  url: string;
  dest?: string | null;
  url_username?: string | null;
  url_password?: string | null;
  body?: unknown;
  body_format: 'form-urlencoded' | 'json' | 'raw' | 'form-multipart';
  src?: string | null;
  method: string;
  return_content: boolean;
  follow_redirects: string;
  creates?: string | null;
  removes?: string | null;
  status_code: number[];
  timeout: number;
  headers: Record<string, unknown>;
  unix_socket?: string | null;
  remote_src: boolean;
  ca_path?: string | null;
  client_cert?: string | null;
  client_key?: string | null;
  validate_certs: boolean;
  force_basic_auth: boolean;
  use_proxy: boolean;
  http_agent: string;
  force: boolean;
  decompress: boolean;
}

const JSON_CANDIDATES = new Set(['json', 'javascript']);

/** application/x-www-form-urlencoded as Python's urlencode(doseq=True) writes it. */
export function formUrlencoded(body: unknown): string {
  const pairs: [string, unknown][] = Array.isArray(body) ? (body as [string, unknown][]) : Object.entries(body as Record<string, unknown>);
  const encode = (v: unknown) => encodeURIComponent(pythonStr(v)).replace(/%20/g, '+').replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%7E/g, '~');
  const out: string[] = [];
  for (const [key, value] of pairs) {
    if (Array.isArray(value)) for (const v of value) out.push(`${encode(key)}=${encode(v)}`);
    else out.push(`${encode(key)}=${encode(value)}`);
  }
  return out.join('&');
}

function filenameFromResponse(headers: [string, string][], url: string): string | undefined {
  const disposition = headers.find(([k]) => k.toLowerCase() === 'content-disposition')?.[1];
  const m = disposition ? /filename="?([^";]+)"?/.exec(disposition) : null;
  if (m) return posix.basename(m[1]!);
  const path = new URL(url).pathname;
  return posix.basename(path) || undefined;
}

export async function runUri(args: UriArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const method = args.method.toUpperCase();
  const headers: Record<string, string> = Object.fromEntries(Object.entries(args.headers ?? {}).map(([k, v]) => [k, pythonStr(v)]));
  const hasHeader = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
  let body: Buffer | undefined;
  if (args.body !== undefined && args.body !== null) {
    if (args.body_format === 'json') {
      body = Buffer.from(typeof args.body === 'string' ? args.body : pyJsonDumps(args.body));
      if (!hasHeader('content-type')) headers['Content-Type'] = 'application/json';
    } else if (args.body_format === 'form-urlencoded') {
      if (typeof args.body === 'string') body = Buffer.from(args.body);
      else {
        if (typeof args.body !== 'object') throw new ModuleFailure('failed to parse body as form_urlencoded: dictionary update sequence element #0 has length 1; 2 is required', { elapsed: 0 });
        body = Buffer.from(formUrlencoded(args.body));
      }
      if (!hasHeader('content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (args.body_format === 'form-multipart') {
      throw new ModuleFailure('body_format form-multipart is not supported by tsplay yet');
    } else body = Buffer.from(typeof args.body === 'string' ? args.body : pythonStr(args.body));
  }
  let remoteSrc: string | undefined;
  if (args.src) {
    if (args.remote_src) remoteSrc = await target.expandPath(args.src);
    else {
      const local = ctx.findFile('files', args.src);
      if (!local) throw new ModuleFailure(`Could not find or access '${args.src}'`);
      body = readFileSync(local);
    }
  }
  const [creates, removes] = await target.expandPaths([args.creates ?? '', args.removes ?? '']);
  if (creates && (await target.stat(creates, { follow: true }))) return { stdout: `skipped, since '${creates}' exists`, changed: false, stdout_lines: [`skipped, since '${creates}' exists`] };
  if (removes && !(await target.stat(removes, { follow: true }))) return { stdout: `skipped, since '${removes}' does not exist`, changed: false, stdout_lines: [`skipped, since '${removes}' does not exist`] };

  let dest = (await target.expandOptional(args.dest)) ?? undefined;
  const destStat = dest ? await target.stat(dest, { follow: true }) : undefined;
  const started = Date.now();
  const response = await httpRequest(target, {
    url: args.url,
    method,
    headers,
    ...(body !== undefined ? { body: body.toString('base64') } : {}),
    ...(remoteSrc ? { src: remoteSrc } : {}),
    timeout: args.timeout,
    validate_certs: args.validate_certs,
    ...(args.url_username != null ? { url_username: args.url_username, url_password: args.url_password ?? '' } : {}),
    force_basic_auth: args.force_basic_auth,
    follow_redirects: args.follow_redirects,
    ...(args.ca_path ? { ca_path: args.ca_path } : {}),
    ...(args.client_cert ? { client_cert: args.client_cert } : {}),
    ...(args.client_key ? { client_key: args.client_key } : {}),
    http_agent: args.http_agent,
    ...(destStat?.type === 'file' && !args.force ? { last_mod_time: destStat.mtime } : {}),
    use_proxy: args.use_proxy,
  });
  const elapsed = Math.floor((Date.now() - started) / 1000);
  const content = Buffer.from(response.body, 'base64');
  const headerMap = new Map(response.headers.map(([k, v]) => [k.toLowerCase(), v]));
  const contentType = headerMap.get('content-type') ?? 'application/octet-stream';
  const [mime = '', ...params] = contentType.split(';').map((p) => p.trim());
  const subType = mime.split('/')[1] ?? '';
  const charset = params.find((p) => p.toLowerCase().startsWith('charset='))?.slice(8) ?? 'utf-8';
  const maybeJson = subType.includes('+') ? JSON_CANDIDATES.has(subType.split('+')[1]!.toLowerCase()) : JSON_CANDIDATES.has(subType.toLowerCase());

  const result: ModuleResult = {
    redirected: response.url !== args.url,
    url: response.url,
    status: response.status,
    msg: response.msg,
    ...(response.cookies !== undefined ? { cookies: response.cookies, cookies_string: response.cookies_string } : {}),
    elapsed,
    changed: false,
  };
  for (const [key, value] of headerMap) result[key.replace(/-/g, '_')] = value;
  result.status = response.status;
  if (result.location !== undefined) result.location = new URL(String(result.location), args.url).toString();

  if (dest && response.status !== -1) {
    if (destStat?.type === 'directory') dest = posix.join(dest, filenameFromResponse(response.headers, response.url) ?? 'index.html');
    if (args.status_code.includes(response.status) && response.status !== 304) {
      if (!ctx.checkMode) await target.writeFile(dest, content);
      result.changed = true;
      result.changed = await setAttributesIfDifferent(target, dest, args, true, undefined, ctx.checkMode);
    }
    result.path = dest;
  }
  const text = charset.toLowerCase().replace('-', '') === 'utf8' ? content.toString('utf8') : new TextDecoder(charset, { fatal: false }).decode(content);
  if (maybeJson && content.length) {
    try {
      result.json = JSON.parse(text);
    } catch {
      // Not JSON after all: no `json` key, as in Ansible.
    }
  }
  // An error answer's body that nothing read stays in the result, as fetch_url leaves it.
  if (response.error && !(maybeJson || args.return_content || !args.status_code.includes(response.status))) result.body = text;
  if (!args.status_code.includes(response.status)) {
    const failure: ModuleResult = { ...result, msg: `Status code was ${response.status} and not [${args.status_code.join(', ')}]: ${response.msg}` };
    if (args.return_content) failure.content = text;
    throw new ModuleFailure(String(failure.msg), await withPathInfo(target, failure));
  }
  if (args.return_content) result.content = text;
  return withPathInfo(target, result);
}

export const uriModule: ModuleDefinition<UriArgs> = {
  name: 'ansible.builtin.uri',
  argSpec: {
    ...fileCommonArgSpec,
    url: { type: 'str', required: true },
    force: { type: 'bool', default: false, aliases: ['thirsty'] },
    http_agent: { type: 'str', default: 'ansible-httpget' },
    use_proxy: { type: 'bool', default: true },
    validate_certs: { type: 'bool', default: true },
    url_username: { type: 'str', aliases: ['user'] },
    url_password: { type: 'str', aliases: ['password'], noLog: true },
    force_basic_auth: { type: 'bool', default: false },
    client_cert: { type: 'path' },
    client_key: { type: 'path' },
    use_gssapi: { type: 'bool', default: false },
    dest: { type: 'path' },
    body: { type: 'raw' },
    body_format: { type: 'str', default: 'raw', choices: ['form-urlencoded', 'json', 'raw', 'form-multipart'] },
    src: { type: 'path' },
    method: { type: 'str', default: 'GET' },
    return_content: { type: 'bool', default: false },
    follow_redirects: { type: 'str', default: 'safe', choices: ['all', 'no', 'none', 'safe', 'urllib2', 'yes'] },
    creates: { type: 'path' },
    removes: { type: 'path' },
    status_code: { type: 'list', elements: 'int', default: [200] },
    timeout: { type: 'int', default: 30 },
    headers: { type: 'dict', default: {} },
    unix_socket: { type: 'path' },
    remote_src: { type: 'bool', default: false },
    ca_path: { type: 'path' },
    unredirected_headers: { type: 'list', elements: 'str', default: [] },
    decompress: { type: 'bool', default: true },
    ciphers: { type: 'list', elements: 'str' },
    use_netrc: { type: 'bool', default: true },
  },
  constraints: { mutuallyExclusive: [['body', 'src']] },
  // Ansible's uri does not support check mode: the task is skipped.
  supportsCheckMode: false,
  run: runUri,
};
