// The bundled CLI and its V8 code cache: a cache is used when it fits, ignored when it
// does not, and the build leaves one that this Node takes.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheFileOf, loadBundle } from '../../src/cli/bundle-loader.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-bundle-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CommonJS "CLI" whose main answers with a number computed by a lazily compiled function. */
function writeBundle(name: string, answer: number): string {
  const path = join(dir, name);
  writeFileSync(path, `const { basename } = require('node:path');\nfunction compute(n) { return n * 2; }\nexports.main = async (argv) => compute(${answer / 2}) + argv.length + (basename(__filename) === ${JSON.stringify(name)} ? 0 : 1000);\n`);
  return path;
}

describe('bundle loader', () => {
  it('runs a CommonJS bundle, saves its compiled code and uses it on the next load', async () => {
    const path = writeBundle('cli.cjs', 42);
    const first = loadBundle(path);
    expect(first.cacheUsed).toBe(false);
    expect(await first.cli.main(['a'])).toBe(43);
    first.saveCache();
    expect(existsSync(cacheFileOf(path))).toBe(true);
    const second = loadBundle(path);
    expect(second.cacheUsed).toBe(true);
    expect(await second.cli.main([])).toBe(42);
  });

  it('ignores a cache that does not fit the bundle', async () => {
    const path = writeBundle('other.cjs', 10);
    writeFileSync(cacheFileOf(path), Buffer.from('not a V8 code cache at all'));
    const loaded = loadBundle(path);
    expect(loaded.cacheUsed).toBe(false);
    expect(await loaded.cli.main([])).toBe(10);
  });

  it('the build leaves a bundle whose cache this Node takes', async () => {
    const bundle = join(import.meta.dirname, '../../dist/bundle/tsplay.cjs');
    expect(existsSync(cacheFileOf(bundle))).toBe(true);
    const loaded = loadBundle(bundle);
    expect(loaded.cacheUsed).toBe(true);
    expect(typeof loaded.cli.main).toBe('function');
  });
});
