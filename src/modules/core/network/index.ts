// The network modules: uri, wait_for, wait_for_connection.
import type { ModuleDefinition } from '../../module.js';
import { uriModule } from './uri.js';
import { waitForConnectionModule } from './wait-for-connection.js';
import { waitForModule } from './wait-for.js';

export const networkModules = [uriModule, waitForModule, waitForConnectionModule] as ModuleDefinition<never>[];
