// A small XML reader for request bodies (Route 53's REST-XML). Enough of XML 1.0 for
// what clients send: declaration, comments, CDATA, attributes, entities, namespaces.
import { CloudError } from './cloud-error.js';

export interface XmlNode {
  /** Local name (namespace prefix removed). */
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_match, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] ?? '';
  });
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

function malformed(detail: string): CloudError {
  return new CloudError('MalformedXML', `The XML you provided was not well-formed: ${detail}`);
}

export function parseXml(source: string): XmlNode {
  let pos = 0;
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;

  const skip = (terminator: string): void => {
    const end = source.indexOf(terminator, pos);
    if (end === -1) throw malformed(`unterminated ${terminator}`);
    pos = end + terminator.length;
  };

  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > pos) {
      const current = stack[stack.length - 1];
      if (current) current.text += decodeEntities(source.slice(pos, textEnd));
      else if (source.slice(pos, textEnd).trim() !== '') throw malformed('text outside the root element');
      pos = textEnd;
    }
    if (lt === -1) break;
    if (source.startsWith('<?', pos)) {
      skip('?>');
    } else if (source.startsWith('<!--', pos)) {
      skip('-->');
    } else if (source.startsWith('<![CDATA[', pos)) {
      const end = source.indexOf(']]>', pos);
      if (end === -1) throw malformed('unterminated CDATA');
      const current = stack[stack.length - 1];
      if (current) current.text += source.slice(pos + 9, end);
      pos = end + 3;
    } else if (source.startsWith('<!', pos)) {
      skip('>');
    } else if (source.startsWith('</', pos)) {
      const end = source.indexOf('>', pos);
      if (end === -1) throw malformed('unterminated end tag');
      const name = localName(source.slice(pos + 2, end).trim());
      const open = stack.pop();
      if (!open || open.name !== name) throw malformed(`unexpected </${name}>`);
      pos = end + 1;
    } else {
      const match = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(source.slice(pos));
      if (!match) throw malformed(`bad tag at offset ${pos}`);
      const [whole, qualified = '', rawAttributes = '', selfClosing] = match;
      const attributes: Record<string, string> = {};
      for (const attribute of rawAttributes.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attributes[attribute[1] ?? ''] = decodeEntities(attribute[2] ?? attribute[3] ?? '');
      }
      const node: XmlNode = { name: localName(qualified), attributes, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(node);
      else if (root) throw malformed('more than one root element');
      else root = node;
      if (!selfClosing) stack.push(node);
      pos += whole.length;
    }
  }
  if (stack.length > 0 || !root) throw malformed('document is incomplete');
  return root;
}
