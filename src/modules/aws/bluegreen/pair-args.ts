// The arguments that name one service's blue-green pair: the load balancer listener (or one
// of its rules) whose forward action carries the weights, and the two target groups.
import type { ArgSpec } from '../../module.js';
import { type AwsConnectionArgs, withConnectionArgs } from '../connection-args.js';

export const COLORS = ['blue', 'green'] as const;
export type Color = (typeof COLORS)[number];

export function otherColor(color: Color): Color {
  return color === 'blue' ? 'green' : 'blue';
}

export interface PairArgs extends AwsConnectionArgs {
  service: string;
  load_balancer_name: string;
  listener_port?: number | null;
  /** Unset: the listener's default action; set: the rule with this priority. */
  rule_priority?: number | null;
  target_groups?: { blue?: string | null; green?: string | null } | null;
}

export const PAIR_ARG_SPEC: ArgSpec = {
  service: { type: 'str', required: true },
  load_balancer_name: { type: 'str', required: true, aliases: ['load_balancer'] },
  listener_port: { type: 'int', default: 80 },
  rule_priority: { type: 'int' },
  target_groups: {
    type: 'dict',
    options: { blue: { type: 'str' }, green: { type: 'str' } },
  },
};

/** A module's own spec with the pair and connection arguments added. */
export function withPairArgs(spec: ArgSpec): ArgSpec {
  return withConnectionArgs({ ...PAIR_ARG_SPEC, ...spec });
}

/** The target group names: given, or `<service>-blue` / `<service>-green`. */
export function targetGroupNames(args: PairArgs): Record<Color, string> {
  return {
    blue: args.target_groups?.blue || `${args.service}-blue`,
    green: args.target_groups?.green || `${args.service}-green`,
  };
}

export function isColor(value: unknown): value is Color {
  return value === 'blue' || value === 'green';
}
