// Running modules in tests: a ModuleContext over a real connection, arguments validated
// as the engine does, failures turned into failed results, and a small Templar that
// renders `{{ name }}` only (enough for the modules' own tests; the real engine is
// tested with the templating code).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../../src/connection/connection.js';
import { LocalConnection } from '../../src/connection/local.js';
import { validateModuleArgs } from '../../src/modules/arguments.js';
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../src/modules/module.js';
import type { Templar } from '../../src/template/templar.js';
import { LayeredScope, toScope, type VarLayer, type VarScope } from '../../src/vars/scope.js';

const EXPRESSION = /\{\{\s*([\w.]+)\s*\}\}/g;

function lookup(vars: VarScope, path: string): unknown {
  const [head, ...rest] = path.split('.');
  let value = vars.get(head!);
  for (const key of rest) value = (value as Record<string, unknown> | undefined)?.[key];
  if (value === undefined) throw new Error(`'${path}' is undefined`);
  return value;
}

export const fakeTemplar: Templar = {
  isTemplate: (value) => value.includes('{{') || value.includes('{%'),
  template: (value, vars) => value.replace(EXPRESSION, (_, name: string) => String(lookup(toScope(vars), name))),
  templateData(data, vars) {
    if (typeof data === 'string') return this.template(data, vars);
    if (Array.isArray(data)) return data.map((item) => this.templateData(item, vars));
    if (data && typeof data === 'object') return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, this.templateData(v, vars)]));
    return data;
  },
  evaluateConditional: () => true,
  evaluateExpression: (expression, vars) => lookup(toScope(vars), expression),
  lookup: () => [],
  renderFile: (text, vars) => text.replace(EXPRESSION, (_, name: string) => String(lookup(toScope(vars), name))),
};

export interface TestContextOptions {
  connection?: Connection;
  checkMode?: boolean;
  diffMode?: boolean;
  vars?: VarLayer;
  /** Directories searched for controller files (role dirs, playbook dir). */
  searchPath?: string[];
  environment?: Record<string, string>;
  become?: ModuleContext['become'];
  noLog?: boolean;
}

export function testContext(options: TestContextOptions = {}): ModuleContext & { warnings: string[] } {
  const warnings: string[] = [];
  const searchPath = options.searchPath ?? [];
  return {
    connection: options.connection ?? new LocalConnection('localhost'),
    inventoryHostname: 'localhost',
    checkMode: options.checkMode ?? false,
    diffMode: options.diffMode ?? false,
    become: options.become,
    vars: new LayeredScope([options.vars ?? {}]),
    templar: fakeTemplar,
    findFile: (kind, name) => {
      const candidates = name.startsWith('/') ? [name] : searchPath.flatMap((d) => [join(d, kind, name), join(d, name)]);
      return candidates.find((p) => existsSync(p) && statSync(p).isFile());
    },
    searchPath,
    warn: (message) => warnings.push(message),
    say: () => undefined,
    verbosity: 0,
    signal: new AbortController().signal,
    environment: options.environment ?? {},
    noLog: options.noLog ?? false,
    warnings,
  };
}

/** Validate the arguments and run the module as the engine would; failures become results. */
export async function runModule(definition: ModuleDefinition<never>, args: Record<string, unknown>, ctx: ModuleContext, action?: string): Promise<ModuleResult> {
  const def = definition as unknown as ModuleDefinition;
  try {
    const params = validateModuleArgs(def, args, action ?? def.name.slice(def.name.lastIndexOf('.') + 1));
    if (ctx.checkMode && !def.supportsCheckMode) return { changed: false, skipped: true, msg: `remote module (${def.name}) does not support check mode` };
    const result = await def.run(params, ctx);
    return { changed: false, ...result };
  } catch (error) {
    // As the engine builds it: the extra keys come last.
    if (error instanceof ModuleFailure) return { changed: false, failed: true, msg: error.message, ...error.extra };
    throw error;
  }
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'tsplay-modules-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
