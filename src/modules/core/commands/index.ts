// The command modules: command, shell, raw, script.
import type { ModuleDefinition } from '../../module.js';

export const commandModules: ModuleDefinition<never>[] = [];
