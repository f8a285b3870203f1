// Users and groups as the target's name service sees them (getent), for the user and
// group modules. One round trip answers every question a module run asks.
import type { Target } from '../files/target.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export function parsePasswd(line: string): PasswdEntry | undefined {
  const f = line.split(':');
  if (f.length < 7) return undefined;
  return { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), comment: f[4]!, home: f[5]!, shell: f[6]! };
}

export function parseGroup(line: string): GroupEntry | undefined {
  const f = line.split(':');
  if (f.length < 4) return undefined;
  return { name: f[0]!, gid: Number(f[2]), members: f[3] ? f[3].split(',') : [] };
}

export async function getPasswd(target: Target, name: string, local = false): Promise<PasswdEntry | undefined> {
  const result = local
    ? await target.sh('grep -- "^$1:" /etc/passwd | head -n 1', [name])
    : await target.run(['getent', 'passwd', '--', name]);
  return result.rc === 0 ? parsePasswd(result.stdout.trim()) : undefined;
}

/** A group by name or by gid (digits). */
export async function getGroup(target: Target, nameOrGid: string, local = false): Promise<GroupEntry | undefined> {
  const result = local
    ? await target.sh('awk -F: -v n="$1" \'$1 == n || $3 == n { print; exit }\' /etc/group', [nameOrGid])
    : await target.run(['getent', 'group', '--', nameOrGid]);
  return result.rc === 0 && result.stdout.trim() ? parseGroup(result.stdout.trim().split('\n')[0]!) : undefined;
}

export async function allGroups(target: Target): Promise<GroupEntry[]> {
  const result = await target.run(['getent', 'group']);
  return result.stdout
    .split('\n')
    .map(parseGroup)
    .filter((g): g is GroupEntry => g !== undefined);
}

/** The password hash and expiry fields of /etc/shadow: [hash, lastchg, min, max, ..., expire]. */
export async function getShadow(target: Target, name: string): Promise<string[] | undefined> {
  const result = await target.run(['getent', 'shadow', '--', name]);
  if (result.rc !== 0) return undefined;
  return result.stdout.trim().split(':').slice(1);
}
