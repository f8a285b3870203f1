// The API endpoint: one HTTP server for all services, routed as AWS's front ends would
// be by host name: here by the SigV4 credential scope's service, or the request's shape.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { HttpReply } from './protocol/http-reply.js';
import { requestId as newRequestId } from './protocol/ids.js';
import { serveQuery } from './protocol/query-protocol.js';
import { serveRestXml } from './protocol/rest-xml-protocol.js';
import type { LocalService, QueryService, RestXmlService } from './protocol/service.js';
import { credentialScope } from './protocol/sigv4.js';

/** Answers requests under /_localcloud/ (the internal, non-AWS endpoint). */
export type InternalHandler = (method: string, url: URL, body: string) => Promise<HttpReply | undefined>;

export interface ApiServerSettings {
  services: LocalService[];
  region: string;
  internal: InternalHandler;
  log: (message: string) => void;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: HttpReply): void {
  response.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
  response.end(reply.body);
}

function queryParams(url: URL, body: string, contentType: string | undefined): Map<string, string> {
  const params = new Map<string, string>(url.searchParams);
  if (body && (!contentType || contentType.includes('x-www-form-urlencoded'))) {
    for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
  }
  return params;
}

function pickService(settings: ApiServerSettings, request: IncomingMessage, url: URL, params: Map<string, string>): LocalService | undefined {
  const scope = credentialScope(request.headers.authorization);
  if (scope) return settings.services.find((s) => s.signingName === scope.service);
  const byPath = settings.services.find((s): s is RestXmlService => s.protocol === 'restXml' && url.pathname.startsWith(s.pathPrefix));
  if (byPath) return byPath;
  const version = params.get('Version');
  return settings.services.find((s): s is QueryService => s.protocol !== 'restXml' && s.version === version);
}

export function createApiServer(settings: ApiServerSettings): Server {
  return createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localcloud');
      const body = await readBody(request);
      const requestId = newRequestId();
      if (url.pathname.startsWith('/_localcloud/') || url.pathname === '/_localcloud') {
        const reply = await settings.internal(request.method ?? 'GET', url, body);
        send(response, reply ?? { status: 404, headers: { 'content-type': 'application/json' }, body: '{"error":"not found"}' });
        return;
      }
      const params = queryParams(url, body, request.headers['content-type']);
      const service = pickService(settings, request, url, params);
      const scope = credentialScope(request.headers.authorization);
      const context = { requestId, region: scope?.region ?? settings.region };
      if (!service) {
        send(response, {
          status: 400,
          headers: { 'content-type': 'text/xml' },
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>UnknownService</Code><Message>The local cloud does not serve ${scope?.service ?? 'this request'}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        });
        return;
      }
      const reply =
        service.protocol === 'restXml'
          ? await serveRestXml(service, { method: request.method ?? 'GET', url, headers: request.headers, body }, context)
          : await serveQuery(service, params, context);
      send(response, reply);
    })().catch((error: unknown) => {
      settings.log(`localcloud: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) {
        send(response, {
          status: 500,
          headers: { 'content-type': 'text/xml' },
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>${String(error).replace(/[<&>]/g, '')}</Message></Error></ErrorResponse>`,
        });
      } else response.end();
    });
  });
}
