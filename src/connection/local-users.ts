// Numeric id <-> name for the controller's users and groups (local connection only).
import { readFileSync } from 'node:fs';

interface Table {
  byId: Map<number, string>;
  byName: Map<string, number>;
}

function readTable(file: string): Table {
  const table: Table = { byId: new Map(), byName: new Map() };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return table;
  }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (!name || id === undefined) continue;
    const n = Number(id);
    if (!table.byId.has(n)) table.byId.set(n, name);
    table.byName.set(name, n);
  }
  return table;
}

let users: Table | undefined;
let groups: Table | undefined;

export function userName(uid: number): string {
  users ??= readTable('/etc/passwd');
  return users.byId.get(uid) ?? String(uid);
}

export function groupName(gid: number): string {
  groups ??= readTable('/etc/group');
  return groups.byId.get(gid) ?? String(gid);
}

export function lookupUid(owner: string): number {
  users ??= readTable('/etc/passwd');
  const id = /^\d+$/.test(owner) ? Number(owner) : users.byName.get(owner);
  if (id === undefined) throw new Error(`chown failed: failed to look up user ${owner}`);
  return id;
}

export function lookupGid(group: string): number {
  groups ??= readTable('/etc/group');
  const id = /^\d+$/.test(group) ? Number(group) : groups.byName.get(group);
  if (id === undefined) throw new Error(`chgrp failed: failed to look up group ${group}`);
  return id;
}
