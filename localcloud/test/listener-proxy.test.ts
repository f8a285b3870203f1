// The listener proxy on its own, against targets that behave badly.
import { type Server, type Socket, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ListenerMetrics } from '../elbv2/listener-metrics.js';
import { ListenerProxy, chooseTargetGroup } from '../elbv2/listener-proxy.js';
import type { RuleRecord, TargetRecord } from '../elbv2/model.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function target(): TargetRecord {
  return {
    id: '127.84.0.2',
    port: 0,
    availabilityZone: undefined,
    health: 'healthy',
    reason: undefined,
    description: undefined,
    checked: true,
    consecutiveSuccesses: 5,
    consecutiveFailures: 0,
    drainingUntil: undefined,
    inFlight: 0,
  };
}

/** An HTTP/1.1 server that promises keep-alive without a timeout hint, then drops idle connections after 15 ms. */
async function impatientTarget(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let idle: NodeJS.Timeout | undefined;
    socket.on('data', (chunk) => {
      if (!chunk.toString().includes('\r\n\r\n')) return;
      clearTimeout(idle);
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
      idle = setTimeout(() => socket.destroy(), 15);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.84.0.2', resolve));
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return (server.address() as { port: number }).port;
}

async function proxyTo(port: number, metrics: ListenerMetrics): Promise<string> {
  const record = { ...target(), port };
  const rules: RuleRecord[] = [
    { arn: 'default', priority: 'default', conditions: [], isDefault: true, actions: [{ Type: 'forward', TargetGroupArn: 'tg' }] },
  ];
  const proxy = new ListenerProxy('127.84.0.1', 0, {
    rules: () => rules,
    pickTarget: () => ({ target: record, address: '127.84.0.2', port }),
    idleTimeoutMs: () => 5000,
  }, metrics);
  await proxy.listen();
  closers.push(() => proxy.close());
  const address = (proxy as unknown as { server: { address(): { port: number } } }).server.address();
  return `http://127.84.0.1:${address.port}/`;
}

describe('a listener', () => {
  it('sends a GET again on a fresh connection when the target dropped the kept-alive one', async () => {
    const metrics = new ListenerMetrics();
    const url = await proxyTo(await impatientTarget(), metrics);
    let failed = 0;
    for (let i = 0; i < 40; i++) {
      const response = await fetch(url).catch(() => undefined);
      if (response?.status !== 200) failed++;
      await response?.text();
      await new Promise((resolve) => setTimeout(resolve, 10 + (i % 3) * 5));
    }
    expect(failed).toBe(0);
    expect(metrics.snapshot().totals).toMatchObject({ requests: 40, status2xx: 40, elbErrors: 0 });
  });

  it('answers 502 itself when the target refuses connections', async () => {
    const metrics = new ListenerMetrics();
    const url = await proxyTo(1, metrics);
    const response = await fetch(url);
    expect(response.status).toBe(502);
    expect(response.headers.get('server')).toBe('awselb/2.0');
    expect(metrics.snapshot().totals).toMatchObject({ requests: 1, status5xx: 1, elbErrors: 1, targetErrors: 0 });
    expect(metrics.snapshot().window.errorRate).toBe(1);
  });
});

describe('weighted forwarding', () => {
  it('never picks a weight-0 group and splits by weight', () => {
    const action = { Type: 'forward' as const, ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'blue', Weight: 0 }, { TargetGroupArn: 'green', Weight: 3 }, { TargetGroupArn: 'gray', Weight: 1 }] } };
    const picks = Array.from({ length: 400 }, (_, i) => chooseTargetGroup(action, () => i / 400));
    expect(picks.filter((p) => p === 'blue')).toHaveLength(0);
    expect(picks.filter((p) => p === 'green')).toHaveLength(300);
    expect(picks.filter((p) => p === 'gray')).toHaveLength(100);
    expect(chooseTargetGroup({ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'blue', Weight: 0 }] } })).toBeUndefined();
  });
});
