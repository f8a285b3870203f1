// Decodes a form-encoded Query request (EC2's `ec2Query` and ELBv2's `awsQuery` flavours)
// into the SDK's input object, guided by the operation's input schema.
import type { Member, Shape, StructShape } from './schema.js';

export type QueryFlavour = 'ec2' | 'awsQuery';

type Params = Map<string, string>;

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function wireName(member: Member, flavour: QueryFlavour): string {
  if (flavour === 'ec2') {
    if (member.traits.ec2QueryName) return member.traits.ec2QueryName;
    if (member.traits.xmlName) return capitalize(member.traits.xmlName);
    return member.name;
  }
  return member.traits.xmlName ?? member.name;
}

function hasPrefix(params: Params, key: string): boolean {
  if (params.has(key)) return true;
  const prefix = `${key}.`;
  for (const name of params.keys()) if (name.startsWith(prefix)) return true;
  return false;
}

function readSimple(shape: Shape, text: string): unknown {
  switch (shape.kind) {
    case 'number':
      return Number(text);
    case 'boolean':
      return text.toLowerCase() === 'true';
    case 'timestamp':
      return new Date(/^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : text);
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      return text;
  }
}

function readValue(member: Member, key: string, params: Params, flavour: QueryFlavour): unknown {
  const shape = member.shape;
  switch (shape.kind) {
    case 'struct':
      return hasPrefix(params, key) ? readStruct(shape, `${key}.`, params, flavour) : undefined;
    case 'list': {
      if (!hasPrefix(params, key)) return undefined;
      if (params.get(key) === '') return [];
      const itemPrefix =
        flavour === 'ec2' || member.traits.xmlFlattened ? key : `${key}.${shape.member.traits.xmlName ?? 'member'}`;
      const items: unknown[] = [];
      for (let i = 1; hasPrefix(params, `${itemPrefix}.${i}`); i++) {
        items.push(readValue(shape.member, `${itemPrefix}.${i}`, params, flavour));
      }
      return items;
    }
    case 'map': {
      if (!hasPrefix(params, key)) return undefined;
      const entryPrefix = member.traits.xmlFlattened ? key : `${key}.entry`;
      const keyName = shape.key.traits.xmlName ?? 'key';
      const valueName = shape.value.traits.xmlName ?? 'value';
      const map: Record<string, unknown> = {};
      for (let i = 1; hasPrefix(params, `${entryPrefix}.${i}`); i++) {
        const entryKey = params.get(`${entryPrefix}.${i}.${keyName}`);
        if (entryKey !== undefined) map[entryKey] = readValue(shape.value, `${entryPrefix}.${i}.${valueName}`, params, flavour);
      }
      return map;
    }
    default: {
      const text = params.get(key);
      return text === undefined ? undefined : readSimple(shape, text);
    }
  }
}

function readStruct(shape: StructShape, prefix: string, params: Params, flavour: QueryFlavour): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const member of shape.members) {
    const value = readValue(member, prefix + wireName(member, flavour), params, flavour);
    if (value !== undefined) result[member.name] = value;
  }
  return result;
}

/** The input object of a Query request (Action and Version already read from params). */
export function readQueryInput(shape: StructShape, params: Params, flavour: QueryFlavour): Record<string, unknown> {
  return readStruct(shape, '', params, flavour);
}
