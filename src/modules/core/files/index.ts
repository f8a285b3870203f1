// The file modules: state of files, directories and links, content, and transfers.
import type { ModuleDefinition } from '../../module.js';
import { assembleModule } from './assemble.js';
import { blockinfileModule } from './blockinfile.js';
import { copyModule } from './copy.js';
import { fetchModule } from './fetch.js';
import { fileModule } from './file.js';
import { findModule } from './find.js';
import { getUrlModule } from './get-url.js';
import { lineinfileModule } from './lineinfile.js';
import { replaceModule } from './replace.js';
import { slurpModule } from './slurp.js';
import { statModule } from './stat.js';
import { tempfileModule } from './tempfile.js';
import { templateModule } from './template.js';
import { unarchiveModule } from './unarchive.js';

export const fileModules = [fileModule, statModule, copyModule, templateModule, lineinfileModule, blockinfileModule, replaceModule, slurpModule, findModule, tempfileModule, fetchModule, assembleModule, unarchiveModule, getUrlModule] as ModuleDefinition<never>[];
