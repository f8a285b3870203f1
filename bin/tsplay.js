#!/usr/bin/env node
// Runs the bundled CLI (dist/bundle, see scripts/bundle.ts) with its V8 code cache;
// `npm ci` builds it through the `prepare` script.
import { fileURLToPath } from 'node:url';
import { loadBundle } from '../dist/src/cli/bundle-loader.js';

const bundle = loadBundle(fileURLToPath(new URL('../dist/bundle/tsplay.cjs', import.meta.url)));
bundle.cli.main(process.argv.slice(2)).then((code) => {
  // The build's warm-up run saves what it compiled (scripts/bundle.ts).
  if (process.env.TSPLAY_SAVE_CODE_CACHE) bundle.saveCache();
  process.exitCode = code;
});
