// Runs the bundled CLI (dist/bundle/tsplay.cjs, see scripts/bundle.ts) with V8's code
// cache: the compiled code of a previous run is reused instead of parsing and compiling
// 1.8 MB of JavaScript again, which every run, however short, would pay first.
// Node 20 has no compile cache of its own (module.enableCompileCache came in 22), so the
// bundle is CommonJS, compiled here by vm.Script with the cached data. The cache is made
// when the bundle is built (`npm run build` runs a small playbook) and lives next to the
// bundle, which the build replaces as a whole: a cache never outlives its bundle. V8
// rejects a cache made by another V8 version or with other flags; the bundle then
// compiles as usual.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/**
 * V8 optimizes a function once it has run for a budget of bytecode; with the default
 * budget a tsplay run spends more CPU compiling optimized code (on cores the hosts and
 * ssh need too) than that code saves: most runs last about a second. Eight times the
 * budget still optimizes what stays hot in long runs; 200 hosts x 50 tasks on the local
 * connection went from 0.75 s to 0.55 s. Set before compiling: the cache is made with it.
 */
const V8_FLAGS = '--interrupt-budget=1048576';

export interface BundledCli {
  main(argv: string[]): Promise<number>;
}

export interface LoadedBundle {
  cli: BundledCli;
  /** Whether V8 took the cached code (false: none, or made by another V8 or flags). */
  cacheUsed: boolean;
  /** Writes the code compiled so far as the bundle's cache (atomically: runs may start meanwhile). */
  saveCache(): void;
}

/** The bundle as a CommonJS module function, as Node's own loader wraps a file. */
const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

export const cacheFileOf = (bundlePath: string) => `${bundlePath}.v8cache`;

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

export function loadBundle(bundlePath: string): LoadedBundle {
  setFlagsFromString(V8_FLAGS);
  const cacheFile = cacheFileOf(bundlePath);
  const cachedData = readCache(cacheFile);
  const script = new Script(wrap(readFileSync(bundlePath, 'utf8')), { filename: bundlePath, cachedData });
  const module = { exports: {} as BundledCli };
  const init = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  init.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return {
    cli: module.exports,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
    saveCache() {
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    },
  };
}
