// A ModuleContext for running AWS modules directly in tests: they never touch the templar
// or variables, only check/diff mode, the environment, the signal and, for the few that run
// on an instance (bluegreen_retire), the connection a test passes.
import type { Connection } from '../../../src/connection/connection.js';
import type { ModuleContext } from '../../../src/modules/module.js';

export interface TestContext extends ModuleContext {
  warnings: string[];
  /** What the module said while it ran (heartbeats, progress). */
  said: string[];
}

export function moduleContext(
  options: { checkMode?: boolean; diffMode?: boolean; environment?: Record<string, string>; connection?: Connection; signal?: AbortSignal } = {},
): TestContext {
  const warnings: string[] = [];
  const said: string[] = [];
  const unused = (what: string) => () => {
    throw new Error(`AWS modules must not use ${what}`);
  };
  return {
    connection: options.connection ?? (new Proxy({}, { get: (_t, key) => unused(`connection.${String(key)}`) }) as ModuleContext['connection']),
    inventoryHostname: 'localhost',
    checkMode: options.checkMode ?? false,
    diffMode: options.diffMode ?? false,
    become: undefined,
    vars: new Proxy({}, { get: (_t, key) => unused(`vars.${String(key)}`) }) as ModuleContext['vars'],
    templar: new Proxy({}, { get: (_t, key) => unused(`templar.${String(key)}`) }) as ModuleContext['templar'],
    findFile: () => undefined,
    searchPath: [],
    warn: (message) => warnings.push(message),
    say: (text) => said.push(text),
    verbosity: 0,
    signal: options.signal ?? new AbortController().signal,
    // Static credentials and a region so that the SDK never looks at the machine's config.
    environment: { AWS_ACCESS_KEY_ID: 'AKIATEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1', ...options.environment },
    warnings,
    said,
  };
}
