// The AWS modules (controller-side, on the AWS SDK v3), for the lead to register. Their
// short names (ec2, route53, elb_target...) are added by the registry; the aliases give the
// other collection names Ansible resolves them under.
import type { ModuleDefinition } from '../module.js';
import { ec2InstanceInfoModule } from './ec2/ec2-instance-info.js';
import { ec2InstanceModule } from './ec2/ec2-instance.js';
import { ec2LegacyModule } from './ec2/ec2-legacy.js';
import { elbApplicationLbModule } from './elbv2/elb-application-lb.js';
import { elbTargetGroupInfoModule } from './elbv2/elb-target-group-info.js';
import { elbTargetGroupModule } from './elbv2/elb-target-group.js';
import { elbTargetModule } from './elbv2/elb-target.js';
import { route53Module } from './route53/route53.js';
import { bluegreenModules } from './bluegreen/index.js';

export const awsModules: ModuleDefinition[] = [
  ec2LegacyModule,
  ec2InstanceModule,
  ec2InstanceInfoModule,
  route53Module,
  elbTargetGroupModule,
  elbTargetModule,
  elbTargetGroupInfoModule,
  elbApplicationLbModule,
  ...bluegreenModules,
] as ModuleDefinition[];
