// authorized_key (ansible.posix): SSH public keys in a user's authorized_keys, present or
// absent, with options, comment and `exclusive`, matched by the key itself and written
// back in the file's order as Ansible's module does (diff with --diff).
import { posix } from 'node:path';
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { withPathInfo } from '../files/fs.js';
import { Target } from '../files/target.js';
import { getPasswd } from './accounts.js';

export interface AuthorizedKeyArgs {
  user: string;
  key: string;
  path?: string | null;
  manage_dir: boolean;
  state: 'absent' | 'present';
  key_options?: string | null;
  exclusive: boolean;
  comment?: string | null;
  validate_certs: boolean;
  follow: boolean;
}

const KEY_TYPES = new Set([
  'sk-ecdsa-sha2-nistp256@openssh.com', 'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com', 'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521-cert-v01@openssh.com', 'sk-ssh-ed25519@openssh.com', 'sk-ssh-ed25519-cert-v01@openssh.com',
  'ssh-ed25519', 'ssh-ed25519-cert-v01@openssh.com', 'ssh-dss', 'ssh-rsa', 'ssh-xmss@openssh.com', 'ssh-xmss-cert-v01@openssh.com',
  'rsa-sha2-256', 'rsa-sha2-512', 'ssh-rsa-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', 'rsa-sha2-512-cert-v01@openssh.com',
  'ssh-dss-cert-v01@openssh.com',
]);

type Options = [string, string | null][];

/** One line of authorized_keys: the key (its identity), type, options, comment, order. */
interface ParsedKey {
  key: string;
  type: string;
  options: Options;
  comment: string | null;
  rank: number;
  /** The raw line, for lines that are not keys (comments, blank lines). */
  raw?: string;
}

/** Splits `opt1,opt2="a,b"` on the commas outside quotes. */
export function parseOptions(text: string | null | undefined): Options {
  const out: Options = [];
  if (!text) return out;
  for (const m of text.matchAll(/((?:[^,"']|"[^"]*"|'[^']*')+)/g)) {
    const part = m[1]!;
    const eq = part.indexOf('=');
    const entry: [string, string | null] = eq === -1 ? [part, null] : [part.slice(0, eq), part.slice(eq + 1)];
    const existing = out.findIndex(([k]) => k === entry[0]);
    if (existing === -1) out.push(entry);
    else out[existing] = entry;
  }
  return out;
}

export function parseKey(line: string, rank: number): ParsedKey | undefined {
  const raw = line.replace(/\\#/g, '#');
  const parts = raw.split(/\s+/).filter(Boolean);
  if (parts[0] === '#') return { key: raw, type: 'skipped', options: [], comment: null, rank, raw };
  const typeIndex = parts.findIndex((p) => KEY_TYPES.has(p));
  if (typeIndex === -1) return undefined;
  const options = parseOptions(typeIndex > 0 ? parts.slice(0, typeIndex).join(' ') : null);
  const key = parts[typeIndex + 1];
  if (key === undefined) return undefined;
  const comment = parts.length > typeIndex + 1 ? parts.slice(typeIndex + 2).join(' ') : null;
  return { key, type: parts[typeIndex]!, options, comment, rank };
}

function parseKeys(content: string): Map<string, ParsedKey> {
  const keys = new Map<string, ParsedKey>();
  const lines = content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  lines.forEach((line, rank) => {
    const parsed = parseKey(line, rank);
    keys.set(parsed ? parsed.key : line, parsed ?? { key: line, type: 'skipped', options: [], comment: null, rank, raw: line });
  });
  return keys;
}

function serialize(keys: Map<string, ParsedKey>): string {
  return [...keys.values()]
    .sort((a, b) => a.rank - b.rank)
    .map((k) => {
      if (k.type === 'skipped') return k.raw ?? k.key;
      const options = k.options.length ? `${k.options.map(([n, v]) => (v === null ? n : `${n}=${v}`)).join(',')} ` : '';
      return `${options}${k.type} ${k.key} ${k.comment ?? 'None'}\n`;
    })
    .join('');
}

const sameKey = (a: ParsedKey, b: ParsedKey) => a.key === b.key && a.type === b.type && a.comment === b.comment && JSON.stringify(a.options) === JSON.stringify(b.options);

async function fetchKey(target: Target, url: string, validateCerts: boolean): Promise<string> {
  const result = await target.run(['curl', '-fsSL', ...(validateCerts ? [] : ['-k']), '--', url]);
  if (result.rc !== 0) throw new ModuleFailure(`Error getting key from: ${url}`);
  return result.stdout;
}

export async function runAuthorizedKey(args: AuthorizedKeyArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const params: Record<string, unknown> = { ...args, path: args.path ?? null, key_options: args.key_options ?? null, comment: args.comment ?? null };
  let key = args.key;
  if (key.startsWith('http')) key = await fetchKey(target, key, args.validate_certs);
  const newKeys = key.split(/\r?\n/).filter((s) => s && !s.startsWith('#'));
  const path = args.path ? await target.expandPath(args.path) : undefined;

  const user = await getPasswd(target, args.user);
  if (!user && !(ctx.checkMode && path)) {
    if (ctx.checkMode) throw new ModuleFailure('Either user must exist or you must provide full path to key file in check mode');
    throw new ModuleFailure(`Failed to lookup user ${args.user}: "getpwnam(): name not found: '${args.user}'"`);
  }
  let keyfile = path ?? posix.join(user!.home, '.ssh', 'authorized_keys');
  const realpath = async (p: string) => (await target.sh('realpath -m -- "$1"', [p])).stdout.replace(/\n$/, '');
  if (args.follow) keyfile = await realpath(keyfile);
  params.keyfile = keyfile;

  const existingContent = (await target.stat(keyfile, { follow: true }))?.type === 'file' ? (await target.readFile(keyfile)).toString('utf8') : '';
  const existing = parseKeys(existingContent);
  const wanted: string[] = [];
  const maxRank = existing.size;
  let write = false;
  for (const [index, line] of newKeys.entries()) {
    const parsed = parseKey(line, index);
    if (!parsed || parsed.type === 'skipped') throw new ModuleFailure(`invalid key specified: ${line}`);
    if (args.key_options !== undefined && args.key_options !== null) parsed.options = parseOptions(args.key_options);
    if (args.comment !== undefined && args.comment !== null) parsed.comment = args.comment;
    const current = existing.get(parsed.key);
    let matched = false;
    let replace = false;
    if (current) {
      if (!sameKey(parsed, current) && args.state === 'present') replace = true;
      else matched = true;
    }
    if (args.state === 'present') {
      wanted.push(parsed.key);
      if (replace) {
        existing.delete(parsed.key);
        write = true;
      }
      if (!matched) {
        existing.set(parsed.key, { ...parsed, rank: maxRank + parsed.rank });
        write = true;
      }
    } else if (matched) {
      existing.delete(parsed.key);
      write = true;
    }
  }
  if (args.state === 'present' && args.exclusive) {
    for (const k of [...existing.keys()]) {
      if (!wanted.includes(k)) {
        existing.delete(k);
        write = true;
      }
    }
  }
  if (write) {
    const content = serialize(existing);
    if (ctx.diffMode) params.diff = { before_header: keyfile, after_header: keyfile, before: existingContent, after: content };
    if (!ctx.checkMode) {
      const dir = posix.dirname(keyfile);
      const ids = [String(user!.uid), String(user!.gid)];
      if (args.manage_dir) {
        await target.shOk(`Failed to create directory ${dir}`, '[ -e "$1" ] || { mkdir -m 0700 -- "$1" && chown "$2:$3" -- "$1" && chmod 0700 -- "$1"; }', [dir, ...ids]);
      } else await target.shOk(`Failed to create directory ${dir}`, 'mkdir -p -- "$1"', [dir]);
      await target.writeFile(keyfile, content);
      await target.sh('chown "$2:$3" -- "$1"; chmod 0600 -- "$1"', [keyfile, ...ids]);
    }
    params.changed = true;
  } else params.changed = false;
  return withPathInfo(target, params);
}

export const authorizedKeyModule: ModuleDefinition<AuthorizedKeyArgs> = {
  name: 'ansible.posix.authorized_key',
  aliases: ['ansible.builtin.authorized_key', 'ansible.legacy.authorized_key'],
  argSpec: {
    user: { type: 'str', required: true },
    key: { type: 'str', required: true },
    path: { type: 'path' },
    manage_dir: { type: 'bool', default: true },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    key_options: { type: 'str' },
    exclusive: { type: 'bool', default: false },
    comment: { type: 'str' },
    validate_certs: { type: 'bool', default: true },
    follow: { type: 'bool', default: false },
  },
  supportsCheckMode: true,
  run: runAuthorizedKey,
};
