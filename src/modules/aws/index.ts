// The AWS modules (controller-side, on the AWS SDK v3), for the lead to register.
import type { ModuleDefinition } from '../module.js';
import { ec2LegacyModule } from './ec2/ec2-legacy.js';

export const awsModules: ModuleDefinition[] = [ec2LegacyModule as ModuleDefinition];
