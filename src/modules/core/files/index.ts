// The file modules: state of files, directories and links, content, and transfers.
import type { ModuleDefinition } from '../../module.js';
import { copyModule } from './copy.js';
import { fileModule } from './file.js';
import { statModule } from './stat.js';
import { templateModule } from './template.js';

export const fileModules = [fileModule, statModule, copyModule, templateModule] as ModuleDefinition<never>[];
