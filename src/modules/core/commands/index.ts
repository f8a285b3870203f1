// The command modules: command, shell, raw, script.
import type { ModuleDefinition } from '../../module.js';
import { commandModule, shellModule } from './command.js';
import { rawModule } from './raw.js';
import { scriptModule } from './script.js';

export const commandModules = [commandModule, shellModule, rawModule, scriptModule] as ModuleDefinition<never>[];
