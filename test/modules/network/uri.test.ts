// uri on the local connection against a real HTTP server on loopback: methods, bodies
// (json, form-urlencoded, raw), headers, status codes, redirects, basic auth, cookies,
// dest, timeout; and the same steps through Ansible's uri for the result keys.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formUrlencoded, uriModule } from '../../../src/modules/core/network/uri.js';
import { runModule, tempDir, testContext } from '../helpers.js';
import { normalizeResult, runOracle } from '../oracle.js';
import { startHttpServer, type TestServer } from './http-server.js';

let server: TestServer;
const { dir, cleanup } = tempDir('tsplay-uri-');

beforeAll(async () => {
  server = await startHttpServer();
});

afterAll(() => {
  server?.stop();
  cleanup();
});

const uri = (args: Record<string, unknown>) => runModule(uriModule, args, testContext());
// Headers that change from one request to the next.
const stable = (result: Record<string, unknown>) => ({ ...result, date: undefined, elapsed: undefined });

describe('uri', () => {
  it('GETs JSON: status, msg, headers as keys, json (with return_content: content)', async () => {
    const result = await uri({ url: `${server.url}/json`, return_content: true });
    expect(stable(result)).toEqual({
      changed: false,
      connection: 'close',
      content: '{"name":"tsplay","n":3}',
      content_length: '23',
      content_type: 'application/json',
      cookies: {},
      cookies_string: '',
      json: { name: 'tsplay', n: 3 },
      msg: 'OK (23 bytes)',
      redirected: false,
      status: 200,
      url: `${server.url}/json`,
      date: undefined,
      elapsed: undefined,
    });
  });

  it('sends json and form bodies with their content types, custom headers and methods', async () => {
    const json = await uri({ url: `${server.url}/echo`, method: 'POST', body_format: 'json', body: { a: [1, 2], b: 'x' }, headers: { 'X-Custom': 'yes' } });
    expect(json.json).toEqual({ method: 'POST', body: '{"a": [1, 2], "b": "x"}', type: 'application/json', auth: null, custom: 'yes' });
    const form = await uri({ url: `${server.url}/echo`, method: 'PUT', body_format: 'form-urlencoded', body: { name: 'a b&c', tags: ['x', 'y'] } });
    expect(form.json).toMatchObject({ method: 'PUT', body: 'name=a+b%26c&tags=x&tags=y', type: 'application/x-www-form-urlencoded' });
    expect(formUrlencoded({ k: 'é~*' })).toBe('k=%C3%A9~%2A');
  });

  it('fails on an unexpected status with Ansible message, accepts a listed one', async () => {
    const failed = await uri({ url: `${server.url}/status/503` });
    expect(failed).toMatchObject({ failed: true, status: 503, msg: 'Status code was 503 and not [200]: HTTP Error 503: Service Unavailable' });
    expect(failed).not.toHaveProperty('cookies');
    expect(await uri({ url: `${server.url}/status/201`, method: 'POST', status_code: [200, 201] })).toMatchObject({ status: 201, changed: false });
  });

  it('follows redirects for GET (safe), not with follow_redirects none', async () => {
    expect(await uri({ url: `${server.url}/redirect` })).toMatchObject({ status: 200, redirected: true, url: `${server.url}/text` });
    expect(await uri({ url: `${server.url}/redirect`, follow_redirects: 'none', status_code: [302] })).toMatchObject({ status: 302, redirected: false, location: `${server.url}/text` });
  });

  it('authenticates with url_username/url_password, and returns cookies', async () => {
    expect(await uri({ url: `${server.url}/auth`, url_username: 'alice', url_password: 's3cret', return_content: true })).toMatchObject({ status: 200, content: 'welcome' });
    expect(await uri({ url: `${server.url}/auth`, url_username: 'alice', url_password: 'wrong' })).toMatchObject({ failed: true, status: 401 });
    expect(await uri({ url: `${server.url}/cookie` })).toMatchObject({ cookies: { session: 'abc' }, cookies_string: 'session=abc', set_cookie: 'session=abc; Path=/' });
  });

  it('writes dest (changed), and a directory dest gets the file name', async () => {
    const dest = join(dir, 'hello.txt');
    const written = await uri({ url: `${server.url}/text`, dest });
    expect(written).toMatchObject({ changed: true, path: dest, state: 'file', size: 12 });
    expect(readFileSync(dest, 'utf8')).toBe('hello world\n');
    const intoDir = await uri({ url: `${server.url}/text`, dest: dir });
    expect(intoDir).toMatchObject({ path: join(dir, 'text') });
    expect(existsSync(join(dir, 'text'))).toBe(true);
  });

  it('times out with a failure, and creates skips the request', async () => {
    const slow = await uri({ url: `${server.url}/slow`, timeout: 1 });
    expect(slow).toMatchObject({ failed: true, status: -1 });
    expect(String(slow.msg)).toMatch(/timed out/);
    expect(await uri({ url: `${server.url}/slow`, creates: dir })).toMatchObject({ changed: false, stdout: `skipped, since '${dir}' exists` });
  });

  it('is skipped in check mode (Ansible’s uri does not support it)', () => {
    expect(uriModule.supportsCheckMode).toBe(false);
  });

  it('gives the keys and values Ansible gives for the same requests', async () => {
    const run = await runOracle('uri', {
      steps: [
        { module: uriModule, args: { url: `${server.url}/json`, return_content: true } },
        { module: uriModule, args: { url: `${server.url}/echo`, method: 'POST', body_format: 'json', body: { a: 1 } } },
        { module: uriModule, args: { url: `${server.url}/status/404` } },
        { module: uriModule, args: { url: `${server.url}/redirect`, follow_redirects: 'none', status_code: [302] } },
        { module: uriModule, args: { url: `${server.url}/text`, dest: '$WORK/t.txt' } },
      ],
    });
    const strip = (results: unknown[]) => (normalizeResult(results, run.work) as Record<string, unknown>[]).map(stable);
    expect(strip(run.tsplay)).toEqual(strip(run.ansible));
  });
});
