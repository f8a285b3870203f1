// Serializes an SDK-shaped output object to AWS's XML, guided by the output schema.
// EC2 wraps list items in <item>, awsQuery in <member>, restXml in the member's xmlName.
import type { Member, Shape, StructShape } from './schema.js';

export type XmlFlavour = 'ec2' | 'awsQuery' | 'restXml';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

export function element(name: string, inner: string): string {
  return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}

function simpleText(shape: Shape, value: unknown): string {
  if (shape.kind === 'timestamp') {
    const date = value instanceof Date ? value : new Date(value as string | number);
    return date.toISOString();
  }
  if (shape.kind === 'blob') return Buffer.from(value as Uint8Array).toString('base64');
  return String(value);
}

function defaultListItemName(flavour: XmlFlavour): string {
  return flavour === 'ec2' ? 'item' : 'member';
}

function elementName(member: Member): string {
  return member.traits.xmlName ?? member.name;
}

/** The XML of one member's value; `name` is the element the value is written as. */
function writeMember(member: Member, name: string, value: unknown, flavour: XmlFlavour): string {
  const shape = member.shape;
  if (value === undefined || value === null) return '';
  switch (shape.kind) {
    case 'struct':
      return element(name, writeStructBody(shape, value as Record<string, unknown>, flavour));
    case 'list': {
      const items = value as unknown[];
      if (member.traits.xmlFlattened) {
        return items.map((item) => writeMember(shape.member, name, item, flavour)).join('');
      }
      const itemName = shape.member.traits.xmlName ?? defaultListItemName(flavour);
      return element(name, items.map((item) => writeMember(shape.member, itemName, item, flavour)).join(''));
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>).map(([key, entryValue]) =>
        element(
          'entry',
          writeMember(shape.key, shape.key.traits.xmlName ?? 'key', key, flavour) +
            writeMember(shape.value, shape.value.traits.xmlName ?? 'value', entryValue, flavour),
        ),
      );
      return member.traits.xmlFlattened ? entries.join('') : element(name, entries.join(''));
    }
    default:
      return element(name, escapeXml(simpleText(shape, value)));
  }
}

/** The child elements of a structure (members bound to HTTP headers or status are left out). */
export function writeStructBody(shape: StructShape, value: Record<string, unknown>, flavour: XmlFlavour): string {
  let xml = '';
  for (const member of shape.members) {
    const traits = member.traits;
    if (traits.httpHeader || traits.httpResponseCode || traits.httpLabel || traits.httpQuery) continue;
    xml += writeMember(member, elementName(member), value[member.name], flavour);
  }
  return xml;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
