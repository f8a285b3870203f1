#!/usr/bin/env node
// Runs the compiled tsplay-vault CLI; `npm ci` builds dist/ through the `prepare` script.
import { main } from '../dist/src/cli/vault/main.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
