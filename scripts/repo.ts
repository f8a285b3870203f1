// The repository's root, for scripts and benchmarks that run either as source (scripts/,
// bench/ under vite-node) or compiled (dist/scripts/, dist/bench/): the first parent of
// this file with bin/tsplay.js.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = [resolve(import.meta.dirname, '..'), resolve(import.meta.dirname, '../..')].find((dir) => existsSync(join(dir, 'bin/tsplay.js')))!;
