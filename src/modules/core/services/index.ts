// The service modules: service and systemd (with its SysV fallback).
import type { ModuleDefinition } from '../../module.js';
import { serviceModule } from './service.js';
import { systemdModule } from './systemd.js';

export const serviceModules = [serviceModule, systemdModule] as ModuleDefinition<never>[];
