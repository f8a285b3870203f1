// The source-control modules: git.
import type { ModuleDefinition } from '../../module.js';
import { gitModule } from './git.js';

export const sourceModules = [gitModule] as ModuleDefinition<never>[];
