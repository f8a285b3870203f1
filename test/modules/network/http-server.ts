// A real HTTP server on loopback in a child process (so that a blocking ansible-playbook
// run can reach it too), with the routes the uri/wait_for tests need.
import { spawn, type ChildProcess } from 'node:child_process';

const SERVER = String.raw`
const http = require('node:http');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://x');
    const send = (status, type, text, headers = {}) => { res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text), ...headers }); res.end(text); };
    if (url.pathname === '/json') return send(200, 'application/json', JSON.stringify({ name: 'tsplay', n: 3 }));
    if (url.pathname === '/text') return send(200, 'text/plain; charset=utf-8', 'hello world\n');
    if (url.pathname === '/echo') return send(200, 'application/json', JSON.stringify({ method: req.method, body, type: req.headers['content-type'] ?? null, auth: req.headers.authorization ?? null, custom: req.headers['x-custom'] ?? null }));
    if (url.pathname === '/redirect') return send(302, 'text/plain', '', { Location: '/text' });
    if (url.pathname === '/cookie') return send(200, 'text/plain', 'ok', { 'Set-Cookie': 'session=abc; Path=/' });
    if (url.pathname === '/auth') {
      if (req.headers.authorization === 'Basic ' + Buffer.from('alice:s3cret').toString('base64')) return send(200, 'text/plain', 'welcome');
      return send(401, 'text/plain', 'who are you', { 'WWW-Authenticate': 'Basic realm="test"' });
    }
    if (url.pathname === '/slow') return setTimeout(() => send(200, 'text/plain', 'late'), 3000);
    if (url.pathname.startsWith('/status/')) return send(Number(url.pathname.slice(8)), 'text/plain', 'status');
    send(404, 'text/plain', 'not found');
  });
});
server.listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('ready\n'));
`;

export interface TestServer {
  url: string;
  port: number;
  stop(): void;
}

export async function startHttpServer(): Promise<TestServer> {
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child: ChildProcess = spawn(process.execPath, ['-e', SERVER, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ok = await new Promise<boolean>((resolve) => {
      child.stdout!.once('data', () => resolve(true));
      child.once('exit', () => resolve(false));
    });
    if (ok) return { url: `http://127.0.0.1:${port}`, port, stop: () => child.kill() };
    if (attempt > 5) throw new Error('could not start the test HTTP server');
  }
}
