// The host-side module families the registry loads (the control modules are listed apart).
import { commandModules } from './commands/index.js';
import { fileModules } from './files/index.js';
import { packageModules } from './packages/index.js';
import { networkModules } from './network/index.js';
import { serviceModules } from './services/index.js';
import { sourceModules } from './source/index.js';
import { systemModules } from './system/index.js';

export const coreModules = [...fileModules, ...commandModules, ...packageModules, ...serviceModules, ...systemModules, ...networkModules, ...sourceModules];
