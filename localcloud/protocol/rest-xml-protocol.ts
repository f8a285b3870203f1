// Serves the REST-XML protocol (Route 53): the operation is chosen by method and path,
// its input comes from path labels, query parameters, headers and an XML body.
import { CloudError } from './cloud-error.js';
import { type HttpReply, xmlReply } from './http-reply.js';
import type { Member, Operation, Shape, StructShape } from './schema.js';
import type { RestXmlService, ServiceContext } from './service.js';
import { XML_DECLARATION, element, escapeXml, writeStructBody } from './xml-output.js';
import { type XmlNode, parseXml } from './xml-parse.js';

interface Route {
  method: string;
  pattern: RegExp;
  labels: string[];
  operation: Operation;
}

export interface RestXmlRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const routeCache = new WeakMap<RestXmlService, Route[]>();

function routesOf(service: RestXmlService): Route[] {
  let routes = routeCache.get(service);
  if (routes) return routes;
  routes = [];
  for (const operation of service.operations.values()) {
    const http = operation.traits.http;
    if (!http) continue;
    const [method, template] = http;
    const labels: string[] = [];
    const path = template.split('?')[0] ?? template;
    const source = path
      .replace(/\/+$/, '')
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
        if (!label) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        labels.push(label[1] ?? '');
        return label[2] ? '(.+)' : '([^/]+)';
      })
      .join('');
    routes.push({ method, pattern: new RegExp(`^${source}/?$`), labels, operation });
  }
  routeCache.set(service, routes);
  return routes;
}

function simpleFromText(shape: Shape, text: string): unknown {
  switch (shape.kind) {
    case 'number':
      return Number(text);
    case 'boolean':
      return text.trim().toLowerCase() === 'true';
    case 'timestamp':
      return new Date(text);
    default:
      return text;
  }
}

function readXmlValue(member: Member, node: XmlNode): unknown {
  const shape = member.shape;
  switch (shape.kind) {
    case 'struct':
      return readXmlStruct(shape, node);
    case 'list':
      return node.children.map((child) => readXmlValue(shape.member, child));
    case 'map': {
      const map: Record<string, unknown> = {};
      for (const entry of node.children) {
        const key = entry.children.find((c) => c.name === (shape.key.traits.xmlName ?? 'key'));
        const value = entry.children.find((c) => c.name === (shape.value.traits.xmlName ?? 'value'));
        if (key && value) map[key.text] = readXmlValue(shape.value, value);
      }
      return map;
    }
    default:
      return simpleFromText(shape, node.text);
  }
}

function readXmlStruct(shape: StructShape, node: XmlNode): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const member of shape.members) {
    const t = member.traits;
    if (t.httpLabel || t.httpQuery || t.httpHeader || t.httpQueryParams) continue;
    const name = t.xmlName ?? member.name;
    if (member.shape.kind === 'list' && t.xmlFlattened) {
      const items = node.children.filter((c) => c.name === name);
      if (items.length > 0) result[member.name] = items.map((item) => readXmlValue(member, item));
      continue;
    }
    const child = node.children.find((c) => c.name === name);
    if (child) result[member.name] = readXmlValue(member, child);
  }
  return result;
}

function header(request: RestXmlRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

function readInput(operation: Operation, request: RestXmlRequest, labelValues: Map<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const payloadMember = operation.input.members.find((m) => m.traits.httpPayload);
  if (request.body.trim() !== '') {
    const root = parseXml(request.body);
    if (payloadMember) input[payloadMember.name] = readXmlValue(payloadMember, root);
    else Object.assign(input, readXmlStruct(operation.input, root));
  }
  for (const member of operation.input.members) {
    const t = member.traits;
    let text: string | undefined;
    if (t.httpLabel) text = labelValues.get(member.name);
    else if (t.httpQuery) text = request.url.searchParams.get(t.httpQuery) ?? undefined;
    else if (t.httpHeader) text = header(request, t.httpHeader);
    if (text !== undefined) {
      input[member.name] =
        member.shape.kind === 'list'
          ? request.url.searchParams.getAll(t.httpQuery ?? '').map((v) => simpleFromText((member.shape as { member: Member }).member.shape, v))
          : simpleFromText(member.shape, text);
    }
  }
  return input;
}

function errorReply(service: RestXmlService, error: CloudError, requestId: string): HttpReply {
  const status = service.errorStatus(error.code) ?? error.status;
  const body =
    `<ErrorResponse xmlns="${service.namespace}"><Error>` +
    element('Type', status >= 500 ? 'Receiver' : 'Sender') +
    element('Code', escapeXml(error.code)) +
    element('Message', escapeXml(error.message)) +
    `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return xmlReply(status, XML_DECLARATION + body, requestId);
}

export async function serveRestXml(service: RestXmlService, request: RestXmlRequest, context: ServiceContext): Promise<HttpReply> {
  const { requestId } = context;
  try {
    const path = request.url.pathname;
    let matched: { route: Route; values: Map<string, string> } | undefined;
    let pathMatched = false;
    for (const route of routesOf(service)) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== request.method) continue;
      const values = new Map<string, string>();
      route.labels.forEach((label, i) => values.set(label, decodeURIComponent(match[i + 1] ?? '')));
      matched = { route, values };
      break;
    }
    if (!matched) {
      throw pathMatched
        ? new CloudError('MethodNotAllowed', `The specified method is not allowed against this resource.`, 405)
        : new CloudError('UnknownOperationException', `No operation matches ${request.method} ${path}`, 404);
    }
    const { operation } = matched.route;
    const handler = service.handlers[operation.name];
    if (!handler) throw new CloudError('NotImplemented', `${operation.name} is not implemented by the local cloud.`, 501);
    const input = readInput(operation, request, matched.values);
    const output = ((await (handler as (input: unknown, context: ServiceContext) => unknown)(input, context)) ?? {}) as Record<
      string,
      unknown
    >;
    const headers: Record<string, string> = {};
    for (const member of operation.output.members) {
      const value = output[member.name];
      if (member.traits.httpHeader && value !== undefined) headers[member.traits.httpHeader.toLowerCase()] = String(value);
    }
    const rootName = operation.output.traits.xmlName ?? operation.output.name;
    const body = `<${rootName} xmlns="${service.namespace}">${writeStructBody(operation.output, output, 'restXml')}</${rootName}>`;
    const status = matched.route.operation.traits.http?.[2] ?? 200;
    return xmlReply(status, XML_DECLARATION + body, requestId, headers);
  } catch (error) {
    if (error instanceof CloudError) return errorReply(service, error, requestId);
    throw error;
  }
}
