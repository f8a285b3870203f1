// ansible.utils.ipaddr and its ipv4/ipv6/ipwrap variants: the common queries on IPv4 and
// IPv6 addresses and networks (netaddr's IPNetwork semantics).
import { defineFilter } from '../plugins.js';
import { filterError } from '../runtime/errors.js';
import { numberOf, truthy } from '../runtime/ops.js';
import { PyIterable } from '../runtime/types.js';
import { toStr } from './util.js';

interface Net {
  version: 4 | 6;
  ip: bigint;
  prefix: number;
  bits: number;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseV6(text: string): bigint | undefined {
  let t = text;
  const zone = t.indexOf('%');
  if (zone >= 0) t = t.slice(0, zone);
  let tail: bigint[] = [];
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const n = parseV4(v4[2]!);
    if (n === undefined) return undefined;
    tail = [n >> 16n, n & 0xffffn];
    t = v4[1]!.endsWith('::') ? v4[1]! : v4[1]!.slice(0, -1);
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s ? s.split(':') : []).map((h) => (/^[0-9a-fA-F]{1,4}$/.test(h) ? BigInt(parseInt(h, 16)) : -1n));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const groups = [...head, ...rest, ...tail];
  if (groups.some((g) => g < 0n)) return undefined;
  const missing = 8 - groups.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  const full = halves.length === 2 ? [...head, ...Array(missing).fill(0n), ...rest, ...tail] : groups;
  return full.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parseNet(value: unknown): Net | undefined {
  const text = toStr(value).trim();
  const [addr, prefixText, ...extra] = text.split('/');
  if (extra.length || !addr) return undefined;
  const v4 = parseV4(addr);
  const version: 4 | 6 = v4 !== undefined ? 4 : 6;
  const ip = v4 ?? parseV6(addr);
  if (ip === undefined) return undefined;
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (/^\d+$/.test(prefixText)) prefix = Number(prefixText);
    else if (version === 4 && parseV4(prefixText) !== undefined) {
      const mask = parseV4(prefixText)!;
      const ones = mask.toString(2).replace(/0+$/, '');
      if (/0/.test(ones)) return undefined;
      prefix = mask === 0n ? 0 : ones.length;
    } else return undefined;
    if (prefix > bits) return undefined;
  }
  return { version, ip, prefix, bits };
}

function fmt(n: bigint, version: 4 | 6): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => (n >> BigInt(112 - i * 16)) & 0xffffn);
  // Compress the longest run of zero groups (at least two), as netaddr prints.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] === 0n) {
      let j = i;
      while (j < 8 && groups[j] === 0n) j++;
      if (j - i > bestLen && j - i > 1) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    } else i++;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

const mask = (net: Net) => ((1n << BigInt(net.bits)) - 1n) ^ ((1n << BigInt(net.bits - net.prefix)) - 1n);
const network = (net: Net) => net.ip & mask(net);
const size = (net: Net) => 1n << BigInt(net.bits - net.prefix);
const broadcast = (net: Net) => network(net) + size(net) - 1n;
const hostmask = (net: Net) => size(net) - 1n;

function inRange(net: Net, cidr: string): boolean {
  const range = parseNet(cidr)!;
  return range.version === net.version && network({ ...net, prefix: range.prefix }) === network(range) && net.prefix >= range.prefix;
}

function isPrivate(net: Net): boolean {
  const ranges4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', '100.64.0.0/10', '192.0.0.0/24', '192.0.2.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4', '0.0.0.0/8', '255.255.255.255/32'];
  const ranges6 = ['::1/128', '::/128', '::ffff:0:0/96', 'fc00::/7', 'fe80::/10', '2001:db8::/32', '100::/64'];
  return (net.version === 4 ? ranges4 : ranges6).some((r) => inRange({ ...net, prefix: net.bits }, r));
}

type Query = (net: Net, vtype: 'address' | 'network', value: string) => unknown;

const QUERIES: Record<string, Query> = {
  '': (n, vtype, value) => (vtype === 'address' ? fmt(n.ip, n.version) : value),
  address: (n) => {
    if (size(n) === 1n) return fmt(n.ip, n.version);
    if (n.ip !== network(n) || size(n) <= 2n || n.version === 6) return fmt(n.ip, n.version);
    return undefined;
  },
  bool: () => true,
  broadcast: (n) => (size(n) > 2n ? fmt(broadcast(n), n.version) : undefined),
  cidr: (n) => `${fmt(n.ip, n.version)}/${n.prefix}`,
  host: (n) => {
    if (size(n) === 1n) return `${fmt(n.ip, n.version)}/${n.prefix}`;
    if (n.ip !== network(n) || size(n) <= 2n) return `${fmt(n.ip, n.version)}/${n.prefix}`;
    return undefined;
  },
  hostmask: (n) => fmt(hostmask(n), n.version),
  int: (n, vtype) => (vtype === 'address' ? Number(n.ip) : `${n.ip}/${n.prefix}`),
  'ip/prefix': (n) => (size(n) === 2n || (size(n) > 1n && n.ip !== network(n)) ? `${fmt(n.ip, n.version)}/${n.prefix}` : undefined),
  ip_netmask: (n) => (size(n) === 2n || (size(n) > 1n && n.ip !== network(n)) ? `${fmt(n.ip, n.version)} ${fmt(mask(n), n.version)}` : undefined),
  net: (n) => (size(n) > 1n && n.ip === network(n) ? `${fmt(network(n), n.version)}/${n.prefix}` : undefined),
  netmask: (n) => fmt(mask(n), n.version),
  network: (n) => fmt(network(n), n.version),
  network_netmask: (n) => `${fmt(network(n), n.version)} ${fmt(mask(n), n.version)}`,
  network_wildcard: (n) => `${fmt(network(n), n.version)} ${fmt(hostmask(n), n.version)}`,
  prefix: (n) => n.prefix,
  private: (n, _v, value) => (isPrivate(n) ? value : undefined),
  public: (n, _v, value) => (!isPrivate(n) && !inRange({ ...n, prefix: n.bits }, n.version === 4 ? '224.0.0.0/4' : 'ff00::/8') ? value : undefined),
  size: (n) => Number(size(n)),
  size_usable: (n) => (size(n) === 1n ? 0 : size(n) === 2n ? 2 : Number(size(n) - 2n)),
  subnet: (n) => `${fmt(network(n), n.version)}/${n.prefix}`,
  type: (n) => (size(n) === 1n || n.ip !== network(n) ? 'address' : 'network'),
  version: (n) => n.version,
  loopback: (n, _v, value) => (inRange({ ...n, prefix: n.bits }, n.version === 4 ? '127.0.0.0/8' : '::1/128') ? value : undefined),
  multicast: (n, _v, value) => (inRange({ ...n, prefix: n.bits }, n.version === 4 ? '224.0.0.0/4' : 'ff00::/8') ? value : undefined),
  'link-local': (n, _v, value) => (inRange({ ...n, prefix: n.bits }, n.version === 4 ? '169.254.0.0/16' : 'fe80::/10') ? value : undefined),
  unicast: (n, _v, value) => (!inRange({ ...n, prefix: n.bits }, n.version === 4 ? '224.0.0.0/4' : 'ff00::/8') ? value : undefined),
  revdns: (n) =>
    n.version === 4
      ? `${fmt(n.ip, 4).split('.').reverse().join('.')}.in-addr.arpa.`
      : `${n.ip.toString(16).padStart(32, '0').split('').reverse().join('.')}.ip6.arpa.`,
  wrap: (n, vtype, value) => (n.version === 6 ? (vtype === 'address' ? `[${fmt(n.ip, 6)}]` : `[${fmt(n.ip, 6)}]/${n.prefix}`) : value),
  first_usable: (n, vtype) => {
    if (vtype === 'address') throw filterError('Not a network address');
    if (size(n) === 2n) return fmt(network(n), n.version);
    return size(n) > 1n ? fmt(network(n) + 1n, n.version) : undefined;
  },
  last_usable: (n, vtype) => {
    if (vtype === 'address') throw filterError('Not a network address');
    if (size(n) === 2n) return fmt(broadcast(n), n.version);
    return size(n) > 1n ? fmt(broadcast(n) - 1n, n.version) : undefined;
  },
  next_usable: (n, vtype) => {
    if (vtype === 'address') throw filterError('Not a network address');
    if (size(n) <= 1n) return undefined;
    const [first, last] = size(n) === 2n ? [network(n), broadcast(n)] : [network(n) + 1n, broadcast(n) - 1n];
    const next = n.ip + 1n;
    return next >= first && next <= last ? fmt(next, n.version) : undefined;
  },
  previous_usable: (n, vtype) => {
    if (vtype === 'address') throw filterError('Not a network address');
    if (size(n) <= 1n) return undefined;
    const [first, last] = size(n) === 2n ? [network(n), broadcast(n)] : [network(n) + 1n, broadcast(n) - 1n];
    const prev = n.ip - 1n;
    return prev >= first && prev <= last ? fmt(prev, n.version) : undefined;
  },
  range_usable: (n, vtype) => {
    if (vtype === 'address') throw filterError('Not a network address');
    if (size(n) <= 1n) return undefined;
    const [first, last] = size(n) === 2n ? [network(n), broadcast(n)] : [network(n) + 1n, broadcast(n) - 1n];
    return `${fmt(first, n.version)}-${fmt(last, n.version)}`;
  },
};
QUERIES.ip = QUERIES.address!;
QUERIES.network_id = QUERIES.network!;
QUERIES['network/prefix'] = QUERIES.subnet!;
QUERIES.wildcard = QUERIES.hostmask!;
QUERIES.lo = QUERIES.loopback!;
QUERIES.v4 = (n, _v, value) => (n.version === 4 ? value : undefined);

function ipaddr(value: unknown, query: string, version: number | false): unknown {
  if (Array.isArray(value) || value instanceof PyIterable) {
    const items = Array.isArray(value) ? value : value.items;
    return items.map((item) => ipaddr(item, query, version)).filter((item) => truthy(item));
  }
  if (!truthy(value) || value === true) return false;
  let vtype: 'address' | 'network';
  let net: Net | undefined;
  const text = toStr(value);
  if (/^\d+$/.test(text)) {
    const n = BigInt(text);
    const v: 4 | 6 = version === 6 || n > 0xffffffffn ? 6 : 4;
    net = { version: v, ip: n, prefix: v === 4 ? 32 : 128, bits: v === 4 ? 32 : 128 };
    vtype = 'address';
  } else {
    net = parseNet(text);
    if (!net) return false;
    vtype = text.includes('/') ? 'network' : 'address';
  }
  if (version && net.version !== version) return false;
  const canonical = vtype === 'network' ? `${fmt(net.ip, net.version)}/${net.prefix}` : fmt(net.ip, net.version);
  const fn = QUERIES[query];
  if (fn) {
    const result = fn(net, vtype, canonical === text ? text : text);
    return result === undefined ? false : result;
  }
  const range = parseNet(query);
  if (range) return inRange({ ...net, prefix: Math.max(net.prefix, range.prefix) }, query) ? text : false;
  throw filterError(`Unknown IP address query: ${query}`);
}

const spec = "value, query='', version=False, alias='ipaddr'";
defineFilter(['ipaddr', 'ansible.utils.ipaddr', 'ansible.netcommon.ipaddr'], spec, ({ value, query, version }) =>
  ipaddr(value, toStr(query ?? ''), version === false ? false : Number(numberOf(version))),
);
defineFilter(['ipv4', 'ansible.utils.ipv4', 'ansible.netcommon.ipv4'], "value, query=''", ({ value, query }) => ipaddr(value, toStr(query), 4));
defineFilter(['ipv6', 'ansible.utils.ipv6', 'ansible.netcommon.ipv6'], "value, query=''", ({ value, query }) => ipaddr(value, toStr(query), 6));
defineFilter(['ipwrap', 'ansible.utils.ipwrap', 'ansible.netcommon.ipwrap'], "value, query=''", ({ value, query }) => {
  const wrap = (item: unknown) => {
    const result = ipaddr(item, 'wrap', false);
    return result === false ? item : result;
  };
  if (Array.isArray(value)) return value.map(wrap);
  return query ? ipaddr(value, toStr(query), false) : wrap(value);
});
