// One HTTP request made ON THE TARGET, as Ansible's uri module makes it there: a short
// python3 program (python3 is what Ansible itself needs on a target; its urllib gives
// redirects, basic auth, TLS verification and timeouts the way Ansible's fetch_url
// does) reads the request as JSON on stdin and prints the response as JSON.
import { ModuleFailure } from '../../module.js';
import type { Target } from '../files/target.js';

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Request body, base64. */
  body?: string;
  /** A file on the target to send as the body. */
  src?: string;
  timeout: number;
  validate_certs: boolean;
  url_username?: string;
  url_password?: string;
  force_basic_auth: boolean;
  follow_redirects: string;
  ca_path?: string;
  client_cert?: string;
  client_key?: string;
  http_agent: string;
  unix_socket?: string;
  /** Send If-Modified-Since with this time (epoch seconds), as uri does for an existing dest. */
  last_mod_time?: number;
  use_proxy: boolean;
}

export interface HttpResponse {
  status: number;
  url: string;
  msg: string;
  headers: [string, string][];
  /** Only for successful requests, as Ansible's fetch_url. */
  cookies?: Record<string, string>;
  cookies_string?: string;
  /** The server answered with an HTTP error status (urllib raised HTTPError). */
  error?: boolean;
  /** Response body, base64 (empty when there was none). */
  body: string;
}

const PROGRAM = String.raw`
import base64, json, socket, ssl, sys, time, email.utils
import urllib.request as u, urllib.error as e, http.cookiejar as cj
q = json.load(sys.stdin)
jar = cj.CookieJar()
class Redirects(u.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, hdrs, newurl):
        mode = q['follow_redirects']
        if mode in ('no', 'none') or (mode == 'safe' and req.get_method() not in ('GET', 'HEAD')):
            raise e.HTTPError(req.get_full_url(), code, msg, hdrs, fp)
        new = u.HTTPRedirectHandler.redirect_request(self, req, fp, code, msg, hdrs, newurl)
        if new is not None and mode in ('all', 'yes') and code in (307, 308):
            new = u.Request(newurl, data=req.data, headers=req.headers, method=req.get_method())
        return new
handlers = [Redirects(), u.HTTPCookieProcessor(jar)]
if q['url'].startswith('https'):
    ctx = ssl.create_default_context(cafile=q.get('ca_path'))
    if not q['validate_certs']:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if q.get('client_cert'):
        ctx.load_cert_chain(q['client_cert'], q.get('client_key'))
    handlers.append(u.HTTPSHandler(context=ctx))
if not q['use_proxy']:
    handlers.append(u.ProxyHandler({}))
headers = dict(q['headers'])
headers.setdefault('User-Agent', q['http_agent'])
if q.get('url_username') is not None:
    if q['force_basic_auth']:
        token = base64.b64encode(('%s:%s' % (q['url_username'], q.get('url_password') or '')).encode()).decode()
        headers['Authorization'] = 'Basic ' + token
    else:
        pm = u.HTTPPasswordMgrWithDefaultRealm()
        pm.add_password(None, q['url'], q['url_username'], q.get('url_password') or '')
        handlers.append(u.HTTPBasicAuthHandler(pm))
        handlers.append(u.HTTPDigestAuthHandler(pm))
if q.get('last_mod_time') is not None:
    headers['If-Modified-Since'] = email.utils.formatdate(q['last_mod_time'], usegmt=True)
data = base64.b64decode(q['body']) if q.get('body') is not None else None
if q.get('src'):
    data = open(q['src'], 'rb').read()
req = u.Request(q['url'], data=data, headers=headers, method=q['method'])
out = {'status': -1, 'url': q['url'], 'msg': '', 'headers': [], 'body': ''}
try:
    r = u.build_opener(*handlers).open(req, timeout=q['timeout'])
    body = r.read()
    out.update(status=r.status, url=r.geturl(), headers=list(r.headers.items()), body=base64.b64encode(body).decode())
    out['msg'] = 'OK (%s bytes)' % r.headers.get('Content-Length', 'unknown')
    out['cookies'] = dict((c.name, c.value) for c in jar)
    out['cookies_string'] = '; '.join('%s=%s' % (c.name, c.value) for c in jar)
except e.HTTPError as x:
    try:
        body = x.read()
    except Exception:
        body = b''
    out.update(status=x.code, error=True, msg='HTTP Error %s: %s' % (x.code, x.reason), headers=list((x.headers or {}).items()), body=base64.b64encode(body or b'').decode())
    if x.code == 304:
        out['msg'] = 'Not Modified'
except e.URLError as x:
    out.update(status=-1, msg='Request failed: %s' % x)
except socket.timeout as x:
    out.update(status=-1, msg='Connection failure: %s' % x)
except (ConnectionError, OSError) as x:
    out.update(status=-1, msg='Connection failure: %s' % x)
json.dump(out, sys.stdout)
`;

export async function httpRequest(target: Target, request: HttpRequest): Promise<HttpResponse> {
  const found = await target.sh('for p in python3 /usr/bin/python3 python; do if command -v "$p" >/dev/null 2>&1; then command -v "$p"; exit 0; fi; done; exit 1');
  if (found.rc !== 0) throw new ModuleFailure('The uri module needs python3 on the target to make HTTP requests, and none was found');
  const result = await target.run([found.stdout.trim(), '-c', PROGRAM], { stdin: JSON.stringify(request), timeoutMs: (request.timeout + 30) * 1000 });
  if (result.rc !== 0) throw new ModuleFailure(`HTTP request failed on the target: ${result.stderr.trim().split('\n').pop() ?? ''}`, { status: -1, url: request.url });
  return JSON.parse(result.stdout) as HttpResponse;
}
