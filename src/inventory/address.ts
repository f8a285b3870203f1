// Host names, addresses, ports and [x:y] ranges in inventory sources, with the same
// acceptance rules as Ansible: `web[01:10]`, `db-[a:c]`, `[1:10:2]` steps, `host:port`,
// `[ipv6]:port`, `10.0.0.[1:3]`.
import { TsplayError } from '../errors.js';

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const IPV6_PART = String.raw`(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const IPV4_PART = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
// Python's \w is Unicode-aware; a label may not end with - or _.
const WORD = String.raw`[\p{L}\p{N}_]`;
const LABEL = String.raw`(?:${WORD}|${ALNUM_RANGE})(?:[\p{L}\p{N}_-]|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const IPV4 = new RegExp(String.raw`^(?:${IPV4_PART}\.){3}${IPV4_PART}$`, 'i');
const C = IPV6_PART;
const V4_IN_6 = String.raw`(?:${C}\.){3}${C}`;
// As in Ansible, only the last alternative is anchored at the end: an address that
// merely starts like an IPv6 one is accepted.
const IPV6 = new RegExp(
  '^(?:' +
    [
      `(?:${C}:){7}${C}`,
      `(?:${C}:){1,6}:`,
      `(?:${C}:)(?::${C}){1,6}`,
      `(?:${C}:){2}(?::${C}){1,5}`,
      `(?:${C}:){3}(?::${C}){1,4}`,
      `(?:${C}:){4}(?::${C}){1,3}`,
      `(?:${C}:){5}(?::${C}){1,2}`,
      `(?:${C}:){6}(?::${C})`,
      `:(?::${C}){1,6}`,
      `${C}?::`,
      `(?:0:){6}${V4_IN_6}`,
      `::(?:ffff:)?${V4_IN_6}`,
      `(?:0:){5}ffff:${V4_IN_6}$`,
    ].join('|') +
    ')',
  'i',
);
const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, 'iu');
// Plain names and IPv4 addresses (ASCII letters and digits, inner - and _) are valid
// whichever pattern above takes them: taken at once, as the IPv6 pattern and the Unicode
// classes cost ~4 ms to compile in every run.
const PLAIN_LABEL = '(?:[a-z0-9]|[a-z0-9_][a-z0-9_-]*[a-z0-9])';
const PLAIN_NAME = new RegExp(String.raw`^${PLAIN_LABEL}(?:\.${PLAIN_LABEL})*$`, 'i');

export function isIpv4(name: string): boolean {
  return IPV4.test(name);
}

export function isIpv6(name: string): boolean {
  // Every form has a colon: a name without one is not compared (the pattern compiles slowly).
  return name.includes(':') && IPV6.test(name);
}

/**
 * Split `host:port` / `[host]:port` and check the host is an IPv4, IPv6 or DNS name
 * (ranges allowed when `allowRanges`). Throws TsplayError as Ansible raises.
 */
export function parseAddress(address: string, allowRanges = false): { host: string; port: number | undefined } {
  let port: number | undefined;
  for (const pattern of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = pattern.exec(address);
    if (m) {
      address = m[1]!;
      port = Number.parseInt(m[2]!, 10);
    }
  }
  if (!PLAIN_NAME.test(address) && !IPV4.test(address) && !IPV6.test(address) && !HOSTNAME.test(address)) {
    throw new TsplayError(`Not a valid network hostname: ${address}`);
  }
  if (!allowRanges && address.includes('[')) {
    throw new TsplayError('Detected range in host but was asked to ignore ranges');
  }
  return { host: address, port };
}

export function detectRange(line: string): boolean {
  return line.includes('[');
}

const ASCII_LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** int() of Python: decimal digits with optional sign and surrounding whitespace. */
function pyInt(text: string): number {
  const t = text.trim().replace(/_/g, '');
  if (!/^[-+]?[0-9]+$/.test(t) || /__|^_|_$/.test(text.trim())) {
    throw new TsplayError(`invalid literal for int() with base 10: '${text}'`);
  }
  return Number.parseInt(t, 10);
}

/** Expand every `[begin:end(:step)]` of a host name, as Ansible's expand_hostname_range. */
export function expandHostnameRange(line: string): string[] {
  if (!line) return [];
  const parts = line.replace('[', '|').replace(']', '|').split('|');
  if (parts.length < 3) throw new TsplayError(`not enough values to unpack (expected 3, got ${parts.length})`);
  if (parts.length > 3) throw new TsplayError('too many values to unpack (expected 3)');
  const [head, nrange, tail] = parts as [string, string, string];
  const bounds = nrange.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new TsplayError('host range must be begin:end or begin:end:step');
  let beg = bounds[0]!;
  const end = bounds[1]!;
  const step = bounds.length === 2 ? '1' : bounds[2]!;
  if (!beg) beg = '0';
  if (!end) throw new TsplayError('host range must specify end value');
  let fill = (x: string | number) => String(x);
  if (beg[0] === '0' && beg.length > 1) {
    const width = beg.length;
    if (width !== end.length) throw new TsplayError('host range must specify equal-length begin and end formats');
    fill = (x) => zfill(String(x), width);
  }

  let seq: (string | number)[] | undefined;
  const iBeg = ASCII_LETTERS.indexOf(beg);
  const iEnd = ASCII_LETTERS.indexOf(end);
  const alphaStep = /^\s*[-+]?[0-9]+\s*$/.test(step) ? Number.parseInt(step, 10) : undefined;
  if (iBeg >= 0 && iEnd >= 0 && alphaStep !== undefined) {
    if (iBeg > iEnd) throw new TsplayError('host range must have begin <= end');
    if (alphaStep === 0) throw new TsplayError('slice step cannot be zero');
    // letters[beg:end+1:step]; a negative step from beg can never reach end+1
    seq = [];
    if (alphaStep > 0) for (let i = iBeg; i <= iEnd; i += alphaStep) seq.push(ASCII_LETTERS[i]!);
  } else {
    const from = pyInt(beg);
    const to = pyInt(end) + 1;
    const by = pyInt(step);
    if (by === 0) throw new TsplayError('range() arg 3 must not be zero');
    seq = [];
    for (let n = from; by > 0 ? n < to : n > to; n += by) seq.push(n);
  }

  const hosts: string[] = [];
  for (const item of seq) {
    const name = `${head}${fill(item)}${tail}`;
    if (detectRange(name)) hosts.push(...expandHostnameRange(name));
    else hosts.push(name);
  }
  return hosts;
}

function zfill(text: string, width: number): string {
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  return (negative ? '-' : '') + digits.padStart(width - (negative ? 1 : 0), '0');
}

/**
 * A host pattern of an inventory source: its host names (ranges expanded) and the port
 * it gives them. A pattern that is not a valid address is taken as a name as it is.
 */
export function expandHostPattern(pattern: string): { hostnames: string[]; port: number | undefined } {
  let name = pattern;
  let port: number | undefined;
  try {
    const parsed = parseAddress(pattern, true);
    name = parsed.host;
    port = parsed.port;
  } catch {
    // not a recognizable address: the pattern is the name
  }
  return { hostnames: detectRange(name) ? expandHostnameRange(name) : [name], port };
}
