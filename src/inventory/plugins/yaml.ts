// YAML (and JSON) inventories: top-level groups with `hosts`, `vars` and `children`,
// nested to any depth, host patterns as keys.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { TsplayError, type SourcePosition } from '../../errors.js';
import { parseYaml } from '../../yaml/loader.js';
import { keyPositionOf, positionOf } from '../../yaml/positions.js';
import { expandHostPattern } from '../address.js';
import { isMapping } from '../combine-vars.js';
import { loadDataFile } from '../data-file.js';
import { pyStr } from '../../template/runtime/repr.js';
import { pyTypeRepr } from '../../yaml/python-types.js';
import { InventorySourceError, isReadablePath, type InventoryPlugin, type InventoryPluginContext } from './plugin.js';

const SECTIONS = ['vars', 'children', 'hosts'] as const;

/**
 * The loader gives every mapping key as a string; Ansible sees `1:` or `true:` as an int or
 * a bool and rejects it as a host or group name. Re-read the key as written to tell.
 */
class KeyTypes {
  private lines: string[] | undefined;
  constructor(private readonly file: string) {}

  isNonString(container: object, key: string): boolean {
    if (!/^[-+.0-9]|^(?:None|True|False)$/.test(key)) return false;
    const pos = keyPositionOf(container, key);
    if (!pos || pos.file !== this.file) return false;
    this.lines ??= readFileSync(this.file, 'utf8').split(/\r?\n/);
    const rest = this.lines[pos.line - 1]?.slice(pos.column - 1) ?? '';
    const text = /^(.*?)\s*:(?:\s|$)/.exec(rest)?.[1];
    if (text === undefined || /^['"]/.test(text)) return false;
    try {
      return typeof parseYaml(text, '<key>') !== 'string';
    } catch {
      return false;
    }
  }
}

function withPosition<T>(pos: SourcePosition | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TsplayError && !err.pos && pos) throw new InventorySourceError(err.message, { pos, cause: err });
    throw err;
  }
}

function parseGroup(
  ctx: InventoryPluginContext,
  keys: KeyTypes,
  name: string,
  nameIsString: boolean,
  groupData: unknown,
  pos: SourcePosition | undefined,
): string {
  const data = ctx.data;
  if (!(groupData === null || isMapping(groupData))) {
    ctx.warn(`Skipping '${name}' as this is not a valid group definition`);
    return name;
  }
  let group: string;
  try {
    if (!nameIsString) {
      throw new InventorySourceError(`Invalid group name supplied, expected a string but got ${pyTypeRepr(parseYaml(name, '<key>'))} for ${name}`);
    }
    group = data.addGroup(name);
  } catch (err) {
    throw new InventorySourceError(`Unable to add group ${name}: ${(err as Error).message}`, { pos });
  }
  if (groupData === null) return group;

  for (const section of SECTIONS) {
    if (!(section in groupData)) continue;
    if (typeof groupData[section] === 'string') groupData[section] = { [groupData[section] as string]: null };
    const value = groupData[section];
    if (!(value === null || isMapping(value))) {
      throw new InventorySourceError(
        `Invalid "${section}" entry for "${group}" group, requires a dictionary, found "${pyTypeRepr(value)}" instead.`,
        { pos: keyPositionOf(groupData, section) ?? pos },
      );
    }
  }

  for (const [key, value] of Object.entries(groupData)) {
    if (!(value === null || isMapping(value))) {
      ctx.warn(`Skipping key (${key}) in group (${group}) as it is not a mapping, it is a ${pyTypeRepr(value)}`);
      continue;
    }
    if (value === null) continue;
    if (key === 'vars') {
      for (const [varName, varValue] of Object.entries(value)) data.setVariable(group, varName, varValue);
    } else if (key === 'children') {
      for (const [childName, childData] of Object.entries(value)) {
        const childPos = keyPositionOf(value, childName);
        const child = parseGroup(ctx, keys, childName, !keys.isNonString(value, childName), childData, childPos);
        withPosition(childPos, () => data.addChild(group, child));
      }
    } else if (key === 'hosts') {
      for (const [pattern, hostVars] of Object.entries(value)) {
        const hostPos = keyPositionOf(value, pattern);
        if (keys.isNonString(value, pattern)) {
          throw new InventorySourceError(`Host pattern ${pattern} must be a string. Enclose integers/floats in quotation marks.`, { pos: hostPos });
        }
        const { hostnames, port } = withPosition(hostPos, () => expandHostPattern(pattern));
        const vars = hostVars || {};
        if (!isMapping(vars)) {
          throw new InventorySourceError(`Invalid data from file, expected dictionary and got:\n\n${pyStr(vars)}`, {
            pos: positionOf(vars) ?? hostPos,
          });
        }
        for (const host of hostnames) {
          withPosition(hostPos, () => data.addHost(host, group, port));
          for (const [varName, varValue] of Object.entries(vars)) data.setVariable(host, varName, varValue);
        }
      }
    } else {
      ctx.warn(`Skipping unexpected key (${key}) in group (${group}), only "vars", "children" and "hosts" are valid`);
    }
  }
  return group;
}

export const yamlPlugin: InventoryPlugin & { extensions: string[] } = {
  name: 'yaml',
  aliases: ['ansible.builtin.yaml'],
  extensions: ['.yaml', '.yml', '.json'],
  verifyFile(source) {
    if (!isReadablePath(source)) return false;
    const ext = extname(source);
    return !ext || this.extensions.includes(ext);
  },
  parse(ctx, source) {
    const data = loadDataFile(source);
    if (!data) throw new InventorySourceError('Parsed empty YAML file');
    if (!isMapping(data)) {
      throw new InventorySourceError(`YAML inventory has invalid structure, it should be a dictionary, got: ${pyTypeRepr(data)}`, {
        pos: positionOf(data),
      });
    }
    if (data.plugin) throw new InventorySourceError('Plugin configuration YAML file, not YAML inventory');
    const keys = new KeyTypes(source);
    for (const [name, groupData] of Object.entries(data)) {
      parseGroup(ctx, keys, name, !keys.isNonString(data, name), groupData, keyPositionOf(data, name));
    }
  },
};
