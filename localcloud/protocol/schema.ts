// A reader for the Smithy static schemas that the AWS SDK v3 clients export (e.g.
// `DescribeInstances$`). The local cloud derives every wire name from them, so the XML
// element names, query keys and HTTP bindings are those of AWS's own service models.
export interface Traits {
  xmlName?: string;
  ec2QueryName?: string;
  xmlFlattened?: 1;
  xmlAttribute?: 1;
  xmlNamespace?: [string, string];
  httpLabel?: 1;
  httpQuery?: string;
  httpHeader?: string;
  httpPayload?: 1;
  httpResponseCode?: 1;
  httpQueryParams?: 1;
  http?: [string, string, number];
  [name: string]: unknown;
}

export type SimpleKind = 'string' | 'number' | 'boolean' | 'timestamp' | 'blob' | 'document';

export type Shape =
  | { kind: SimpleKind; name: string }
  | ListShape
  | MapShape
  | StructShape;

export interface ListShape {
  kind: 'list';
  name: string;
  traits: Traits;
  member: Member;
}

export interface MapShape {
  kind: 'map';
  name: string;
  traits: Traits;
  key: Member;
  value: Member;
}

export interface StructShape {
  kind: 'struct';
  name: string;
  traits: Traits;
  members: Member[];
}

export interface Member {
  name: string;
  /** The member's own traits: wire names belong to the member, not to its target shape. */
  traits: Traits;
  readonly shape: Shape;
}

export interface Operation {
  name: string;
  traits: Traits;
  input: StructShape;
  output: StructShape;
}

// Bits of the numeric trait vector (see @smithy/types TraitBitVector).
const TRAIT_BITS: [number, keyof Traits][] = [
  [1, 'httpLabel'],
  [16, 'httpPayload'],
  [32, 'httpResponseCode'],
  [64, 'httpQueryParams'],
];

function traitsOf(raw: unknown): Traits {
  if (typeof raw === 'number') {
    const traits: Traits = {};
    for (const [bit, name] of TRAIT_BITS) if (raw & bit) (traits as Record<string, unknown>)[name] = 1;
    return traits;
  }
  return raw && typeof raw === 'object' ? (raw as Traits) : {};
}

const SIMPLE_KINDS: Record<number, SimpleKind> = {
  0: 'string',
  1: 'number',
  2: 'boolean',
  4: 'timestamp',
  5: 'timestamp',
  6: 'timestamp',
  7: 'timestamp',
  15: 'document',
  17: 'number',
  19: 'number',
  21: 'blob',
  42: 'blob',
};

const LIST_MODIFIER = 0b0100_0000;
const MAP_MODIFIER = 0b1000_0000;

const cache = new WeakMap<object, Shape>();

function isMemberTuple(ref: unknown): ref is [unknown, unknown] {
  return Array.isArray(ref) && ref.length === 2;
}

function simpleShape(id: number): Shape {
  if (id & LIST_MODIFIER && !(id & MAP_MODIFIER)) {
    const member = simpleShape(id & ~LIST_MODIFIER);
    return { kind: 'list', name: `${member.name}List`, traits: {}, member: { name: 'member', traits: {}, shape: member } };
  }
  if (id & MAP_MODIFIER) {
    const value = simpleShape(id & ~MAP_MODIFIER);
    return {
      kind: 'map',
      name: `${value.name}Map`,
      traits: {},
      key: { name: 'key', traits: {}, shape: { kind: 'string', name: 'String' } },
      value: { name: 'value', traits: {}, shape: value },
    };
  }
  const kind = SIMPLE_KINDS[id] ?? 'string';
  return { kind, name: kind };
}

/** Resolves a schema reference (number, static schema, thunk) to a Shape. */
export function shapeOf(ref: unknown): Shape {
  const resolved = typeof ref === 'function' ? (ref as () => unknown)() : ref;
  if (typeof resolved === 'number') return simpleShape(resolved);
  if (!Array.isArray(resolved)) return { kind: 'string', name: 'String' };
  const known = cache.get(resolved);
  if (known) return known;
  const [id, , name, rawTraits] = resolved as [number, string, string, unknown];
  const traits = traitsOf(rawTraits);
  let shape: Shape;
  switch (id) {
    case 0: {
      const target = shapeOf(resolved[4]);
      shape = target.kind === 'list' || target.kind === 'map' || target.kind === 'struct' ? target : { kind: target.kind, name };
      break;
    }
    case 1:
      shape = { kind: 'list', name, traits, member: memberOf('member', resolved[4]) };
      break;
    case 2:
      shape = { kind: 'map', name, traits, key: memberOf('key', resolved[4]), value: memberOf('value', resolved[5]) };
      break;
    case 3:
    case 4:
    case -3: {
      const struct: StructShape = { kind: 'struct', name, traits, members: [] };
      cache.set(resolved, struct);
      const names = resolved[4] as string[];
      const refs = resolved[5] as unknown[];
      struct.members = names.map((memberName, i) => memberOf(memberName, refs[i]));
      return struct;
    }
    default:
      shape = { kind: 'string', name };
  }
  cache.set(resolved, shape);
  return shape;
}

function memberOf(name: string, ref: unknown): Member {
  const [target, ownTraits] = isMemberTuple(ref) ? [ref[0], traitsOf(ref[1])] : [ref, {}];
  let shape: Shape | undefined;
  const member: Member = {
    name,
    traits: ownTraits,
    get shape(): Shape {
      shape ??= shapeOf(target);
      return shape;
    },
  };
  return member;
}

export function operationOf(schema: unknown): Operation {
  const raw = schema as unknown[];
  if (!Array.isArray(raw) || raw[0] !== 9) throw new Error('not an operation schema');
  const input = shapeOf(raw[4]);
  const output = shapeOf(raw[5]);
  const empty: StructShape = { kind: 'struct', name: 'Unit', traits: {}, members: [] };
  return {
    name: raw[2] as string,
    traits: traitsOf(raw[3]),
    input: input.kind === 'struct' ? input : empty,
    output: output.kind === 'struct' ? output : empty,
  };
}

/** All operations a client package exports, by name (`DescribeInstances` -> schema). */
export function operationsOf(clientModule: Record<string, unknown>): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [exportName, value] of Object.entries(clientModule)) {
    if (exportName.endsWith('$') && Array.isArray(value) && value[0] === 9) {
      const operation = operationOf(value);
      operations.set(operation.name, operation);
    }
  }
  return operations;
}
