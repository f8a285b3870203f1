// The AWS modules (controller-side, on the AWS SDK v3), for the lead to register. Their
// short names (ec2, route53, elb_target...) are added by the registry; the aliases give the
// other collection names Ansible resolves them under. Only the specs are imported here:
// each implementation (and the AWS SDK with it) loads when its module first runs.
import type { ModuleDefinition } from '../module.js';
import { bluegreenInfoSpec } from './bluegreen/bluegreen-info.spec.js';
import { bluegreenRegisterSpec } from './bluegreen/bluegreen-register.spec.js';
import { bluegreenRetireSpec } from './bluegreen/bluegreen-retire.spec.js';
import { bluegreenSwitchSpec } from './bluegreen/bluegreen-switch.spec.js';
import { ec2InstanceInfoSpec } from './ec2/ec2-instance-info.spec.js';
import { ec2InstanceSpec } from './ec2/ec2-instance.spec.js';
import { ec2LegacySpec } from './ec2/ec2-legacy.spec.js';
import { elbApplicationLbSpec } from './elbv2/elb-application-lb.spec.js';
import { elbTargetGroupInfoSpec } from './elbv2/elb-target-group-info.spec.js';
import { elbTargetGroupSpec } from './elbv2/elb-target-group.spec.js';
import { elbTargetSpec } from './elbv2/elb-target.spec.js';
import { lazyModule } from './lazy-module.js';
import { route53Spec } from './route53/route53.spec.js';

export const awsModules: ModuleDefinition[] = [
  lazyModule(ec2LegacySpec, async () => (await import('./ec2/ec2-legacy.js')).ec2LegacyModule),
  lazyModule(ec2InstanceSpec, async () => (await import('./ec2/ec2-instance.js')).ec2InstanceModule),
  lazyModule(ec2InstanceInfoSpec, async () => (await import('./ec2/ec2-instance-info.js')).ec2InstanceInfoModule),
  lazyModule(route53Spec, async () => (await import('./route53/route53.js')).route53Module),
  lazyModule(elbTargetGroupSpec, async () => (await import('./elbv2/elb-target-group.js')).elbTargetGroupModule),
  lazyModule(elbTargetSpec, async () => (await import('./elbv2/elb-target.js')).elbTargetModule),
  lazyModule(elbTargetGroupInfoSpec, async () => (await import('./elbv2/elb-target-group-info.js')).elbTargetGroupInfoModule),
  lazyModule(elbApplicationLbSpec, async () => (await import('./elbv2/elb-application-lb.js')).elbApplicationLbModule),
  lazyModule(bluegreenInfoSpec, async () => (await import('./bluegreen/bluegreen-info.js')).bluegreenInfoModule),
  lazyModule(bluegreenRegisterSpec, async () => (await import('./bluegreen/bluegreen-register.js')).bluegreenRegisterModule),
  lazyModule(bluegreenSwitchSpec, async () => (await import('./bluegreen/bluegreen-switch.js')).bluegreenSwitchModule),
  lazyModule(bluegreenRetireSpec, async () => (await import('./bluegreen/bluegreen-retire.js')).bluegreenRetireModule),
];
