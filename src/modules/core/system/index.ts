// The system modules: users, groups, SSH keys, cron, sysctl, hostname, time zone.
import type { ModuleDefinition } from '../../module.js';
import { authorizedKeyModule } from './authorized-key.js';
import { cronModule } from './cron.js';
import { groupModule } from './group.js';
import { hostnameModule } from './hostname.js';
import { sysctlModule } from './sysctl.js';
import { timezoneModule } from './timezone.js';
import { userModule } from './user.js';

export const systemModules = [userModule, groupModule, authorizedKeyModule, cronModule, sysctlModule, hostnameModule, timezoneModule] as ModuleDefinition<never>[];
