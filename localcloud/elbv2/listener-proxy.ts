// A listener as a real HTTP reverse proxy on the load balancer's loopback address: it
// picks the first rule whose conditions match, then forwards to a target group chosen by
// the forward action's weights, and to a routable target of that group.
import type { Action, FixedResponseActionConfig, RedirectActionConfig } from '@aws-sdk/client-elastic-load-balancing-v2';
import { randomBytes } from 'node:crypto';
import { Agent, type ClientRequest, type IncomingMessage, type Server, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import type { ListenerMetrics } from './listener-metrics.js';
import type { RuleRecord, TargetRecord } from './model.js';
import { meetsAll } from './rule-conditions.js';

export interface PickedTarget {
  target: TargetRecord;
  address: string;
  port: number;
}

/** What the proxy asks of the load balancer state on each request. */
export interface ListenerRouting {
  /** Rules in evaluation order (by priority, the default rule last). */
  rules(): RuleRecord[];
  /** A routable target of the group (round robin), or undefined when it has none. */
  pickTarget(targetGroupArn: string): PickedTarget | undefined;
  idleTimeoutMs(): number;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

function lbError(response: ServerResponse, status: number): void {
  const text = { 502: '502 Bad Gateway', 503: '503 Service Temporarily Unavailable', 504: '504 Gateway Time-out' }[status] ?? String(status);
  const body = `<html>\r\n<head><title>${text}</title></head>\r\n<body>\r\n<center><h1>${text}</h1></center>\r\n</body>\r\n</html>\r\n`;
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { server: 'awselb/2.0', 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** The target group a forward action sends this request to, by weight. */
export function chooseTargetGroup(action: Action, random = Math.random): string | undefined {
  const tuples = action.ForwardConfig?.TargetGroups?.length
    ? action.ForwardConfig.TargetGroups
    : action.TargetGroupArn
      ? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }]
      : [];
  const weighted = tuples.filter((t) => (t.Weight ?? 1) > 0 && t.TargetGroupArn);
  const total = weighted.reduce((sum, t) => sum + (t.Weight ?? 1), 0);
  if (total === 0) return undefined;
  let point = random() * total;
  for (const tuple of weighted) {
    point -= tuple.Weight ?? 1;
    if (point < 0) return tuple.TargetGroupArn;
  }
  return weighted[weighted.length - 1]?.TargetGroupArn;
}

function redirectLocation(action: Action, request: IncomingMessage, url: URL, listenerPort: number): string {
  const config: Partial<RedirectActionConfig> = action.RedirectConfig ?? {};
  const host = (request.headers.host ?? '').replace(/:\d+$/, '');
  const substitute = (template: string): string =>
    template
      .replace(/#\{host\}/g, host)
      .replace(/#\{path\}/g, url.pathname)
      .replace(/#\{port\}/g, String(listenerPort))
      .replace(/#\{query\}/g, url.search.slice(1))
      .replace(/#\{protocol\}/g, 'http');
  const protocol = substitute(config.Protocol ?? '#{protocol}').toLowerCase();
  const port = substitute(config.Port ?? '#{port}');
  const query = substitute(config.Query ?? '#{query}');
  return `${protocol}://${substitute(config.Host ?? '#{host}')}:${port}${substitute(config.Path ?? '/#{path}').replace(/^\/\//, '/')}${query ? `?${query}` : ''}`;
}

export class ListenerProxy {
  private server: Server | undefined;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly address: string,
    readonly port: number,
    private readonly routing: ListenerRouting,
    private readonly metrics: ListenerMetrics,
  ) {}

  listen(): Promise<void> {
    const server = createServer((request, response) => this.handle(request, response));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.address, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.agent.destroy();
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://listener');
    const rule = this.routing.rules().find((r) => r.isDefault || meetsAll(r.conditions, request, url));
    const actions = [...(rule?.actions ?? [])].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
    const action = actions.find((a) => a.Type === 'forward' || a.Type === 'fixed-response' || a.Type === 'redirect');
    if (!action) {
      request.resume();
      this.metrics.record(503, undefined, true);
      lbError(response, 503);
      return;
    }
    if (action.Type === 'fixed-response') {
      request.resume();
      const config: FixedResponseActionConfig = action.FixedResponseConfig ?? { StatusCode: '200' };
      const status = Number(config.StatusCode ?? 200);
      const body = config.MessageBody ?? '';
      response.writeHead(status, { server: 'awselb/2.0', 'content-type': config.ContentType ?? 'text/plain', 'content-length': Buffer.byteLength(body) });
      response.end(body);
      this.metrics.record(status, undefined, true);
      return;
    }
    if (action.Type === 'redirect') {
      request.resume();
      const status = action.RedirectConfig?.StatusCode === 'HTTP_301' ? 301 : 302;
      response.writeHead(status, { server: 'awselb/2.0', location: redirectLocation(action, request, url, this.port), 'content-length': 0 });
      response.end();
      this.metrics.record(status, undefined, true);
      return;
    }
    const targetGroupArn = chooseTargetGroup(action);
    const picked = targetGroupArn ? this.routing.pickTarget(targetGroupArn) : undefined;
    if (!targetGroupArn || !picked) {
      request.resume();
      this.metrics.record(503, targetGroupArn, true);
      lbError(response, 503);
      return;
    }
    this.forward(request, response, targetGroupArn, picked);
  }

  private forward(request: IncomingMessage, response: ServerResponse, targetGroupArn: string, picked: PickedTarget): void {
    const { target } = picked;
    target.inFlight++;
    let finished = false;
    const finish = (status: number, generatedByLoadBalancer: boolean): void => {
      if (finished) return;
      finished = true;
      target.inFlight--;
      this.metrics.record(status, targetGroupArn, generatedByLoadBalancer);
    };
    const headers: Record<string, string | string[] | undefined> = { ...request.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    const client = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const forwardedFor = request.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${client}` : client;
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-port'] = String(this.port);
    headers['x-amzn-trace-id'] = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

    // A request without a body can be sent again when a kept-alive connection to the target
    // turns out to be closed by the target (the race every keep-alive proxy has).
    const bodyless =
      ['GET', 'HEAD', 'OPTIONS'].includes(request.method ?? '') && !request.headers['transfer-encoding'] && Number(request.headers['content-length'] ?? 0) === 0;
    let upstream: ClientRequest | undefined;
    const send = (attempt: number): void => {
      let responded = false;
      const current = httpRequest(
        { host: picked.address, port: picked.port, method: request.method, path: request.url, headers, agent: attempt === 0 ? this.agent : false },
        (targetResponse) => {
          responded = true;
          const status = targetResponse.statusCode ?? 502;
          const responseHeaders = { ...targetResponse.headers };
          for (const name of HOP_BY_HOP) delete responseHeaders[name];
          response.writeHead(status, responseHeaders);
          targetResponse.pipe(response);
          targetResponse.once('end', () => finish(status, false));
          targetResponse.once('error', () => {
            finish(502, true);
            response.destroy();
          });
        },
      );
      upstream = current;
      current.setTimeout(this.routing.idleTimeoutMs(), () => {
        finish(504, true);
        lbError(response, 504);
        current.destroy();
      });
      current.once('error', () => {
        if (finished) return;
        if (attempt === 0 && bodyless && current.reusedSocket && !responded) {
          send(1);
          return;
        }
        finish(502, true);
        lbError(response, 502);
      });
      if (bodyless) current.end();
      else request.pipe(current);
    };
    response.once('close', () => {
      if (!finished) {
        // The client went away before the answer was complete.
        finish(460, true);
        upstream?.destroy();
      }
    });
    if (bodyless) request.resume();
    send(0);
  }
}
