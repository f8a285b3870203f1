// get_url against Ansible's module, both downloading from the same local HTTP server
// (Python's http.server: Last-Modified, If-Modified-Since, HEAD).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUrlModule } from '../../../../src/modules/core/files/get-url.js';
import { runOracle } from '../../oracle.js';

let server: ChildProcess;
let port: number;
const root = mkdtempSync(join(tmpdir(), 'tsplay-get-url-'));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address() as { port: number };
      probe.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  writeFileSync(join(root, 'app.tar.gz'), 'archive bytes\n');
  writeFileSync(join(root, 'SHA256SUMS'), '');
  mkdirSync(join(root, 'dir'));
  port = await freePort();
  server = spawn('/usr/bin/python3', ['-m', 'http.server', '--bind', '127.0.0.1', String(port), '--directory', root], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/app.tar.gz`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const sha = (await import('node:crypto')).createHash('sha256').update('archive bytes\n').digest('hex');
  writeFileSync(join(root, 'SHA256SUMS'), `${sha}  app.tar.gz\n0000  other.tgz\n`);
});

afterAll(() => {
  server?.kill();
  rmSync(root, { recursive: true, force: true });
});

const step = (args: Record<string, unknown>, extra: { check?: boolean } = {}) => ({ module: getUrlModule, args, ...extra });

describe('get_url agrees with Ansible', () => {
  it('downloads, checks checksums, uses directories and If-Modified-Since', async () => {
    const base = `http://127.0.0.1:${port}`;
    const sha = (await import('node:crypto')).createHash('sha256').update('archive bytes\n').digest('hex');
    const steps = [
      step({ url: `${base}/app.tar.gz`, dest: '$WORK/app.tar.gz' }, { check: true }),
      step({ url: `${base}/app.tar.gz`, dest: '$WORK/app.tar.gz', mode: '0640' }),
      step({ url: `${base}/app.tar.gz`, dest: '$WORK/app.tar.gz', mode: '0640' }),
      step({ url: `${base}/app.tar.gz`, dest: '$WORK/app.tar.gz', checksum: `sha256:${sha}` }),
      step({ url: `${base}/app.tar.gz`, dest: '$WORK/dl/' }),
      step({ url: `${base}/app.tar.gz`, dest: '$WORK/sums.tgz', checksum: `sha256:${base}/SHA256SUMS` }),
      step({ url: `${base}/app.tar.gz`, dest: '$WORK/bad.tgz', checksum: 'sha256:0000' }),
      step({ url: `${base}/missing`, dest: '$WORK/missing' }),
      step({ url: `${base}/app.tar.gz`, dest: '$WORK/x', checksum: 'nocolon' }),
      step({ url: 'http://127.0.0.1:1/x', dest: '$WORK/x' }),
      step({ url: `${base}/app.tar.gz`, dest: '$WORK/force.tgz', force: true }),
    ];
    const run = await runOracle('get-url', { setup: 'mkdir dl', steps });
    expect(run.ansible).toHaveLength(steps.length);
    // Download times and temporary names differ between any two runs.
    const strip = (r: Record<string, unknown>) => {
      const { elapsed, src, ...rest } = r;
      return { ...rest, elapsed: typeof elapsed, src: typeof src };
    };
    run.ansible.forEach((expected, i) => expect(strip(run.tsplay[i]!), `step ${i}: ${JSON.stringify(steps[i]!.args)}`).toEqual(strip(expected)));
    expect(run.tsplayTree).toEqual(run.ansibleTree);
  });
});
