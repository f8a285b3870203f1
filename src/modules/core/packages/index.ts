// The package modules: apt, yum, dnf, the generic package, gem, pip.
import type { ModuleDefinition } from '../../module.js';
import { aptModule } from './apt.js';
import { gemModule } from './gem.js';
import { packageModule } from './package.js';
import { pipModule } from './pip.js';
import { dnfModule, yumModule } from './rpm.js';

export const packageModules = [aptModule, yumModule, dnfModule, packageModule, gemModule, pipModule] as ModuleDefinition<never>[];
