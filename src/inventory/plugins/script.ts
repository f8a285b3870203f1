// Executable inventory scripts ("dynamic inventories"): run with --list, they print JSON
// groups, and host variables under _meta.hostvars (or per host with --host <name>).
import { accessSync, constants, openSync, readSync, closeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { TsplayError } from '../../errors.js';
import { isMapping } from '../combine-vars.js';
import { parseDataText } from '../data-file.js';
import { pyStr } from '../../template/runtime/repr.js';
import { pyOsError } from '../../template/python/os-error.js';
import { isReadablePath, type InventoryPlugin, type InventoryPluginContext } from './plugin.js';

function hasShebang(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(2);
      return readSync(fd, buf, 0, 2, 0) === 2 && buf.toString('latin1') === '#!';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(path: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(path, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.error) {
    throw new TsplayError(`problem running ${[path, ...args].join(' ')} (${pyOsError(result.error, path)})`);
  }
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function parseGroup(ctx: InventoryPluginContext, name: string, raw: unknown, hosts: Set<string>): void {
  const data = ctx.data;
  const group = data.addGroup(name);
  let groupData: Record<string, unknown>;
  if (!isMapping(raw)) groupData = { hosts: raw };
  else if (!['hosts', 'vars', 'children'].some((k) => k in raw)) groupData = { hosts: [group], vars: raw };
  else groupData = raw;

  if ('hosts' in groupData) {
    if (!Array.isArray(groupData.hosts)) {
      throw new TsplayError(`You defined a group '${group}' with bad data for the host list:\n ${pyStr(groupData)}`);
    }
    for (const host of groupData.hosts) {
      hosts.add(String(host));
      data.addHost(host, group);
    }
  }
  if ('vars' in groupData) {
    if (!isMapping(groupData.vars)) {
      throw new TsplayError(`You defined a group '${group}' with bad data for variables:\n ${pyStr(groupData)}`);
    }
    for (const [k, v] of Object.entries(groupData.vars)) data.setVariable(group, k, v);
  }
  if (group !== '_meta' && 'children' in groupData && Array.isArray(groupData.children)) {
    for (const childName of groupData.children) {
      const child = data.addGroup(childName);
      data.addChild(group, child);
    }
  }
}

export const scriptPlugin: InventoryPlugin = {
  name: 'script',
  aliases: ['ansible.builtin.script'],
  verifyFile: (source) => isReadablePath(source) && (isExecutable(source) || hasShebang(source)),
  parse(ctx, source) {
    const { stdout, stderr, status } = run(source, ['--list']);
    const err = stderr && !stderr.endsWith('\n') ? `${stderr}\n` : stderr;
    if (status !== 0) throw new TsplayError(`Inventory script (${source}) had an execution error: ${err} `);
    let processed: unknown;
    try {
      processed = parseDataText(stdout, source, true);
    } catch (e) {
      throw new TsplayError(`failed to parse executable inventory script results from ${source}: ${(e as Error).message}\n${err}`);
    }
    if (!isMapping(processed)) {
      throw new TsplayError(`failed to parse executable inventory script results from ${source}: needs to be a json dict\n${err}`);
    }
    const hosts = new Set<string>();
    let metaHostvars: unknown;
    for (const [group, groupData] of Object.entries(processed)) {
      if (group === '_meta') {
        if (isMapping(groupData) && 'hostvars' in groupData) metaHostvars = groupData.hostvars;
      } else {
        parseGroup(ctx, group, groupData, hosts);
      }
    }
    for (const host of hosts) {
      let got: unknown = {};
      if (metaHostvars === undefined) {
        // Ansible 2.14 compares the script's bytes with '' here, so empty output is not
        // skipped: it loads as None and the host is rejected below.
        const out = run(source, ['--host', host]).stdout;
        try {
          got = out.trim() === '' ? null : parseDataText(out, source);
        } catch {
          throw new TsplayError(`could not parse post variable response: ${pyStr([source, '--host', host])}, ${out}`);
        }
      } else if (isMapping(metaHostvars)) {
        got = metaHostvars[host] ?? {};
      } else {
        throw new TsplayError(`Improperly formatted host information for ${host}: 'hostvars' is not a dictionary`);
      }
      if (!isMapping(got)) throw new TsplayError(`Invalid data from file, expected dictionary and got:\n\n${pyStr(got)}`);
      ctx.data.addHost(host);
      for (const [k, v] of Object.entries(got)) ctx.data.setVariable(host, k, v);
    }
  },
};
