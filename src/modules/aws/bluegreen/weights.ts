// Moving the weights of a pair: the forward action is rewritten with new weights for the
// two target groups (others in it keep theirs), in the same action list, in one
// ModifyListener or ModifyRule call, so traffic moves at once and nothing is deregistered.
import { AddTagsCommand, type Action, type ElasticLoadBalancingV2Client, ModifyListenerCommand, ModifyRuleCommand, RemoveTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { send } from '../aws-call.js';
import { COLORS, type Color } from './pair-args.js';
import { type PairState, forwardWeights, pairForwardAction } from './pair.js';

export type Weights = Record<Color, number>;

export function currentWeights(state: PairState): Weights {
  return { blue: state.colors.blue.weight, green: state.colors.green.weight };
}

export function weightsText(weights: Weights): string {
  return `blue ${weights.blue}, green ${weights.green}`;
}

/** `percent` of the traffic to `to`, the rest to the other color. */
export function weightsFor(to: Color, percent: number): Weights {
  const p = Math.max(0, Math.min(100, Math.round(percent)));
  return to === 'blue' ? { blue: p, green: 100 - p } : { blue: 100 - p, green: p };
}

/** The action list with the pair's forward action carrying `weights` (added when missing). */
export function actionsWithWeights(state: PairState, weights: Weights): Action[] {
  const arns = COLORS.map((c) => state.colors[c].targetGroupArn as string);
  const forward = pairForwardAction(state.actions, arns);
  const others = [...forwardWeights(forward)].filter(([arn]) => !arns.includes(arn));
  const rewritten: Action = {
    Type: 'forward',
    ...(forward?.Order !== undefined ? { Order: forward.Order } : {}),
    ForwardConfig: {
      TargetGroups: [
        ...COLORS.map((c) => ({ TargetGroupArn: state.colors[c].targetGroupArn as string, Weight: weights[c] })),
        ...others.map(([arn, weight]) => ({ TargetGroupArn: arn, Weight: weight })),
      ],
      ...(forward?.ForwardConfig?.TargetGroupStickinessConfig ? { TargetGroupStickinessConfig: forward.ForwardConfig.TargetGroupStickinessConfig } : {}),
    },
  };
  if (!forward) return [...state.actions.filter((a) => a.Type !== 'forward'), rewritten];
  return state.actions.map((a) => (a === forward ? rewritten : a));
}

/** Writes the weights; `state` is updated to what the load balancer now has. */
export async function applyWeights(elb: ElasticLoadBalancingV2Client, state: PairState, weights: Weights, signal: AbortSignal): Promise<void> {
  const actions = actionsWithWeights(state, weights);
  if (state.ruleArn) await send(elb, new ModifyRuleCommand({ RuleArn: state.ruleArn, Actions: actions }), signal);
  else await send(elb, new ModifyListenerCommand({ ListenerArn: state.listenerArn as string, DefaultActions: actions }), signal);
  state.actions = actions;
  for (const color of COLORS) {
    state.colors[color].weight = weights[color];
    state.colors[color].inForward = true;
  }
}

/** Sets and removes tags of one color's target group (and keeps `state` in step). */
export async function retag(
  elb: ElasticLoadBalancingV2Client,
  state: PairState,
  color: Color,
  set: Record<string, string>,
  remove: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  const group = state.colors[color];
  const arn = group.targetGroupArn as string;
  const removing = remove.filter((key) => key in group.tags && !(key in set));
  if (Object.keys(set).length > 0) {
    await send(elb, new AddTagsCommand({ ResourceArns: [arn], Tags: Object.entries(set).map(([Key, Value]) => ({ Key, Value })) }), signal);
  }
  if (removing.length > 0) await send(elb, new RemoveTagsCommand({ ResourceArns: [arn], TagKeys: removing }), signal);
  for (const key of removing) delete group.tags[key];
  Object.assign(group.tags, set);
}
