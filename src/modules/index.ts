// Every module tsplay ships, registered under its names once per process.
import { awsModules } from './aws/index.js';
import { controlModules } from './core/control/index.js';
import { coreModules } from './core/index.js';
import { registerModule } from './registry.js';

let registered = false;

export function registerBuiltinModules(): void {
  if (registered) return;
  registered = true;
  for (const definition of [...controlModules, ...coreModules, ...awsModules]) registerModule(definition as never);
}
