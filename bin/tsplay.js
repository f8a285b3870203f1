#!/usr/bin/env node
// Runs the CLI, bundled (dist/bundle, see scripts/bundle.ts); `npm ci` builds it through the `prepare` script.
import { main } from '../dist/bundle/tsplay.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
