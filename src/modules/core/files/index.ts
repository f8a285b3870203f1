// The file modules: state of files, directories and links, content, and transfers.
import type { ModuleDefinition } from '../../module.js';
import { fileModule } from './file.js';

export const fileModules = [fileModule] as ModuleDefinition<never>[];
