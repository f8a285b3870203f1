// bluegreen_info: what the load balancer says about a service's pair: the weights, which
// color is live, each color's target group, targets, instances and state tags, and what can
// be done next (deploy_color, switch_color, rollback_color, retire_color, each null with a
// reason when it cannot). Missing pieces are reported, not failed on, so that a plan can be
// shown before anything exists. Read-only.
import type { ModuleDefinition } from '../../module.js';
import { awsFailure } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import { type InstanceSummary, colorInstances, summarize } from './color-instances.js';
import { activeTargets, decide } from './decisions.js';
import { COLORS, type Color, type PairArgs } from './pair-args.js';
import { readPair } from './pair.js';
import { TAG } from './state-tags.js';
import { bluegreenInfoSpec } from './bluegreen-info.spec.js';

export const bluegreenInfoModule: ModuleDefinition<PairArgs> = {
  ...bluegreenInfoSpec,
  async run(args, ctx) {
    const session = new AwsSession(args, ctx.environment, 'bluegreen_info');
    try {
      const elb = await session.elbv2();
      const ec2 = await session.ec2();
      const state = await readPair(elb, args, ctx.signal);
      const instances = {} as Record<Color, InstanceSummary[]>;
      for (const color of COLORS) instances[color] = (await colorInstances(ec2, args.service, color, ctx.signal)).map(summarize);
      const decisions = decide(state, { blue: instances.blue.length, green: instances.green.length });
      const colors = Object.fromEntries(
        COLORS.map((color) => {
          const c = state.colors[color];
          return [
            color,
            {
              target_group_name: c.targetGroupName,
              target_group_arn: c.targetGroupArn ?? null,
              weight: c.weight,
              deregistration_delay: c.deregistrationDelaySeconds,
              targets: c.targets,
              registered: activeTargets(state, color).length,
              healthy: c.targets.filter((t) => t.state === 'healthy').length,
              instances: instances[color],
              deployed_at: c.tags[TAG.deployedAt] ?? null,
              live_since: c.tags[TAG.liveSince] ?? null,
              baked_at: c.tags[TAG.bakedAt] ?? null,
              rollback_target_since: c.tags[TAG.rollbackTarget] ?? null,
              rolled_back_at: c.tags[TAG.rolledBackAt] ?? null,
              rollback_reason: c.tags[TAG.rollbackReason] ?? null,
            },
          ];
        }),
      );
      return {
        changed: false,
        service: args.service,
        phase: state.phase,
        live_color: state.live ?? null,
        idle_color: state.live ? (state.live === 'blue' ? 'green' : 'blue') : null,
        weights: { blue: state.colors.blue.weight, green: state.colors.green.weight },
        load_balancer_arn: state.loadBalancerArn ?? null,
        listener_arn: state.listenerArn ?? null,
        rule_arn: state.ruleArn ?? null,
        colors,
        deploy_color: decisions.deploy.color,
        switch_color: decisions.switch.color,
        rollback_color: decisions.rollback.color,
        retire_color: decisions.retire.color,
        reasons: { deploy: decisions.deploy.reason, switch: decisions.switch.reason, rollback: decisions.rollback.reason, retire: decisions.retire.reason },
      };
    } catch (error) {
      throw awsFailure(error);
    }
  },
};
