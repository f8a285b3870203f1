// The file modules: state of files, directories and links, content, and transfers.
import type { ModuleDefinition } from '../../module.js';

export const fileModules: ModuleDefinition<never>[] = [];
