#!/usr/bin/env node
// Runs the compiled local cloud CLI (dist/ is built by `npm ci` through the `prepare` script).
import { main } from '../dist/localcloud/cli.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
