// urlsplit and urldecode.
import { defineFilter } from '../plugins.js';
import { filterError } from '../runtime/errors.js';
import { toStr } from './util.js';

/** urllib.parse.urlsplit */
function urlsplit(url: string): Record<string, unknown> {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(url)!;
  const netloc = m[2] ?? '';
  const userinfoAt = netloc.lastIndexOf('@');
  const userinfo = userinfoAt >= 0 ? netloc.slice(0, userinfoAt) : null;
  const hostport = userinfoAt >= 0 ? netloc.slice(userinfoAt + 1) : netloc;
  const [username, password] = userinfo === null ? [null, null] : userinfo.includes(':') ? userinfo.split(/:(.*)/s, 2) : [userinfo, null];
  let hostname: string | null = null;
  let port: number | null = null;
  if (hostport) {
    const bracket = /^\[([^\]]+)\](?::(\d*))?$/.exec(hostport);
    if (bracket) {
      hostname = bracket[1]!.toLowerCase();
      port = bracket[2] ? Number(bracket[2]) : null;
    } else {
      const colon = hostport.lastIndexOf(':');
      hostname = (colon >= 0 ? hostport.slice(0, colon) : hostport).toLowerCase() || null;
      port = colon >= 0 && hostport.slice(colon + 1) ? Number(hostport.slice(colon + 1)) : null;
    }
  }
  return {
    fragment: m[5] ?? '',
    hostname,
    netloc,
    password: password ?? null,
    path: m[3] ?? '',
    port,
    query: m[4] ?? '',
    scheme: (m[1] ?? '').toLowerCase(),
    username: username ?? null,
  };
}

defineFilter('urlsplit', 'value, query=""', ({ value, query }) => {
  const parts = urlsplit(toStr(value));
  const q = toStr(query);
  if (!q) return parts;
  if (!Object.hasOwn(parts, q)) throw filterError(`urlsplit: unknown URL component: ${q}`);
  return parts[q];
});

defineFilter('urldecode', 'string', ({ string }) => {
  const text = toStr(string).replace(/\+/g, ' ');
  return decodeURIComponent(text.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
});
