// The blue-green modules: read a pair, register a deployed instance into its color, switch
// (and roll back) by weights with a health gate and a bake window, retire drained instances.
import type { ModuleDefinition } from '../../module.js';
import { bluegreenInfoModule } from './bluegreen-info.js';
import { bluegreenRegisterModule } from './bluegreen-register.js';
import { bluegreenRetireModule } from './bluegreen-retire.js';
import { bluegreenSwitchModule } from './bluegreen-switch.js';

export const bluegreenModules = [bluegreenInfoModule, bluegreenRegisterModule, bluegreenSwitchModule, bluegreenRetireModule] as unknown as ModuleDefinition[];
