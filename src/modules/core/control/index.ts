// The control modules: they steer the run (variables, inventory, messages) and mostly
// run on the controller.
import { addHostModule } from './add-host.js';
import { assertModule } from './assert.js';
import { asyncStatusModule } from './async-status.js';
import { debugModule } from './debug.js';
import { failModule } from './fail.js';
import { groupByModule } from './group-by.js';
import { includeVarsModule } from './include-vars.js';
import { pauseModule } from './pause.js';
import { pingModule } from './ping.js';
import { setFactModule } from './set-fact.js';
import { setStatsModule } from './set-stats.js';
import { setupModule } from '../facts/setup.js';

export const controlModules = [
  debugModule,
  setFactModule,
  assertModule,
  failModule,
  pingModule,
  addHostModule,
  groupByModule,
  includeVarsModule,
  setStatsModule,
  pauseModule,
  setupModule,
  asyncStatusModule,
];
