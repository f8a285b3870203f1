// Bundles the compiled CLI (dist/src) into dist/bundle, which bin/tsplay.js runs: Node
// then loads a few files instead of ~380 modules, and starts in about half the time
// (0.21 s -> 0.12 s for `tsplay --version` on the benchmark machine; every run pays it).
// Code loaded on demand (the AWS modules, the run history) stays in chunks of its own,
// so a run still loads only what it uses. Packages with native code (ssh2's crypto
// binding, better-sqlite3), the AWS SDK (loaded lazily) and nunjucks (whose internals
// the template engine requires by path) stay in node_modules.
// Run after tsc: `npm run build` does both.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository: the first parent with bin/tsplay.js (scripts/ under vite-node, dist/scripts/ compiled). */
const REPO = [resolve(import.meta.dirname, '..'), resolve(import.meta.dirname, '../..')].find((dir) => existsSync(join(dir, 'bin/tsplay.js')))!;
const OUT_DIR = join(REPO, 'dist/bundle');

rmSync(OUT_DIR, { recursive: true, force: true });
await build({
  entryPoints: {
    tsplay: join(REPO, 'dist/src/cli/main.js'),
    // Started as a worker thread by name, next to the chunk that starts it (src/history/worker-sink.ts).
    'history-worker': join(REPO, 'dist/src/history/history-worker.js'),
  },
  outdir: OUT_DIR,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ssh2', 'better-sqlite3', '@aws-sdk/*', 'nunjucks', 'nunjucks/*'],
  // Bundled CommonJS packages (jmespath...) call require(): ESM has none of its own.
  banner: { js: "import { createRequire as tsplayCreateRequire } from 'node:module'; const require = tsplayCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
