#!/usr/bin/env node
// Runs the compiled `tsplay-runs` CLI (the run history); `npm ci` builds dist/ through `prepare`.
import { main } from '../dist/src/cli/runs/main.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
