// Reading one service's blue-green pair from the load balancer: the forward action that
// carries the weights (a listener's default action or one rule's), both target groups with
// their tags, deregistration delay and target health. Which color is live is decided here,
// from the weights, and from the tags only when a switch in steps was left half way.
import {
  type Action,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ModuleFailure } from '../../module.js';
import { isAwsErrorCode, send } from '../aws-call.js';
import { tagListToDict } from '../tags.js';
import { resourceTags, targetGroupAttributes, targetGroupByName, targetHealth } from '../elbv2/target-groups-api.js';
import { COLORS, type Color, type PairArgs, otherColor, targetGroupNames } from './pair-args.js';
import { TAG } from './state-tags.js';

export interface TargetView {
  id: string;
  port: number | undefined;
  state: string;
  reason: string | undefined;
  description: string | undefined;
}

export interface ColorState {
  color: Color;
  targetGroupName: string;
  /** Undefined when the target group does not exist. */
  targetGroupArn: string | undefined;
  /** Its weight in the forward action (0 when it is not in it). */
  weight: number;
  inForward: boolean;
  tags: Record<string, string>;
  targets: TargetView[];
  deregistrationDelaySeconds: number;
}

export type Phase = 'unconfigured' | 'down' | 'steady' | 'switching';

export interface PairState {
  service: string;
  loadBalancerArn: string | undefined;
  listenerArn: string | undefined;
  /** Set when the pair lives in a rule rather than the listener's default action. */
  ruleArn: string | undefined;
  /** The whole action list the forward action sits in (rewritten as a whole on a switch). */
  actions: Action[];
  colors: Record<Color, ColorState>;
  /**
   * unconfigured: no listener (or rule) forwarding to the pair; down: both weights 0;
   * steady: one color has all the weight; switching: both have some (a switch in steps).
   */
  phase: Phase;
  /** steady: the weighted color; switching: the color weights move away from. */
  live: Color | undefined;
  /** switching: the color weights move towards. */
  switchingTo: Color | undefined;
}

type Elbv2 = ElasticLoadBalancingV2Client;

async function loadBalancerArn(elb: Elbv2, name: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    const answer = await send(elb, new DescribeLoadBalancersCommand({ Names: [name] }), signal);
    return answer.LoadBalancers?.[0]?.LoadBalancerArn;
  } catch (error) {
    if (isAwsErrorCode(error, 'LoadBalancerNotFound')) return undefined;
    throw error;
  }
}

async function listenerOnPort(elb: Elbv2, lbArn: string, port: number, signal: AbortSignal): Promise<Listener | undefined> {
  let marker: string | undefined;
  do {
    const page = await send(elb, new DescribeListenersCommand({ LoadBalancerArn: lbArn, ...(marker ? { Marker: marker } : {}) }), signal);
    const found = page.Listeners?.find((l) => l.Port === port);
    if (found) return found;
    marker = page.NextMarker;
  } while (marker);
  return undefined;
}

async function ruleWithPriority(elb: Elbv2, listenerArn: string, priority: number, signal: AbortSignal): Promise<Rule | undefined> {
  let marker: string | undefined;
  do {
    const page = await send(elb, new DescribeRulesCommand({ ListenerArn: listenerArn, ...(marker ? { Marker: marker } : {}) }), signal);
    const found = page.Rules?.find((r) => r.Priority === String(priority));
    if (found) return found;
    marker = page.NextMarker;
  } while (marker);
  return undefined;
}

/** The target groups of a forward action with their weights (a plain TargetGroupArn weighs 1). */
export function forwardWeights(action: Action | undefined): Map<string, number> {
  const weights = new Map<string, number>();
  if (!action || action.Type !== 'forward') return weights;
  const tuples = action.ForwardConfig?.TargetGroups?.length ? action.ForwardConfig.TargetGroups : action.TargetGroupArn ? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }] : [];
  for (const tuple of tuples) if (tuple.TargetGroupArn) weights.set(tuple.TargetGroupArn, tuple.Weight ?? 1);
  return weights;
}

/** The forward action of the list that sends to one of the pair's groups. */
export function pairForwardAction(actions: readonly Action[], arns: readonly (string | undefined)[]): Action | undefined {
  return actions.find((a) => a.Type === 'forward' && [...forwardWeights(a).keys()].some((arn) => arns.includes(arn)));
}

/** Which color is live, from the weights (and the switching tag when both carry weight). */
export function decidePhase(colors: Record<Color, ColorState>): { phase: Phase; live: Color | undefined; switchingTo: Color | undefined } {
  if (!colors.blue.inForward && !colors.green.inForward) return { phase: 'unconfigured', live: undefined, switchingTo: undefined };
  const weighted = COLORS.filter((c) => colors[c].weight > 0);
  if (weighted.length === 0) return { phase: 'down', live: undefined, switchingTo: undefined };
  if (weighted.length === 1) return { phase: 'steady', live: weighted[0], switchingTo: undefined };
  const tagged = COLORS.find((c) => colors[c].tags[TAG.switching] !== undefined);
  // Without the tag (a switch made by hand), the heavier side counts as the one serving.
  const towards = tagged ?? (colors.blue.weight >= colors.green.weight ? 'green' : 'blue');
  return { phase: 'switching', live: otherColor(towards), switchingTo: towards };
}

export async function readPair(elb: Elbv2, args: PairArgs, signal: AbortSignal): Promise<PairState> {
  const names = targetGroupNames(args);
  const colors = {} as Record<Color, ColorState>;
  for (const color of COLORS) {
    const group = await targetGroupByName(elb, names[color], { signal });
    const arn = group?.TargetGroupArn;
    colors[color] = {
      color,
      targetGroupName: names[color],
      targetGroupArn: arn,
      weight: 0,
      inForward: false,
      tags: arn ? tagListToDict(await resourceTags(elb, arn, signal)) : {},
      targets: arn
        ? (await targetHealth(elb, arn, undefined, signal)).map((d) => ({
            id: d.Target?.Id ?? '',
            port: d.Target?.Port,
            state: d.TargetHealth?.State ?? 'unknown',
            reason: d.TargetHealth?.Reason,
            description: d.TargetHealth?.Description,
          }))
        : [],
      deregistrationDelaySeconds: arn ? Number((await targetGroupAttributes(elb, arn, signal)).deregistration_delay_timeout_seconds ?? 300) : 300,
    };
  }

  const lbArn = await loadBalancerArn(elb, args.load_balancer_name, signal);
  const listener = lbArn ? await listenerOnPort(elb, lbArn, args.listener_port ?? 80, signal) : undefined;
  let actions: Action[] = [];
  let ruleArn: string | undefined;
  if (listener?.ListenerArn) {
    if (args.rule_priority !== undefined && args.rule_priority !== null) {
      const rule = await ruleWithPriority(elb, listener.ListenerArn, args.rule_priority, signal);
      ruleArn = rule?.RuleArn;
      actions = rule?.Actions ?? [];
    } else {
      actions = listener.DefaultActions ?? [];
    }
  }
  const weights = forwardWeights(pairForwardAction(actions, [colors.blue.targetGroupArn, colors.green.targetGroupArn]));
  for (const color of COLORS) {
    const arn = colors[color].targetGroupArn;
    if (arn && weights.has(arn)) {
      colors[color].inForward = true;
      colors[color].weight = weights.get(arn) ?? 0;
    }
  }
  return {
    service: args.service,
    loadBalancerArn: lbArn,
    listenerArn: listener?.ListenerArn,
    ruleArn,
    actions,
    colors,
    ...decidePhase(colors),
  };
}

/** The pair must be in place before weights can move. */
export function requireConfigured(state: PairState, args: PairArgs): void {
  const missing = COLORS.filter((c) => !state.colors[c].targetGroupArn).map((c) => `target group ${state.colors[c].targetGroupName} (${c})`);
  if (!state.loadBalancerArn) missing.push(`load balancer ${args.load_balancer_name}`);
  else if (!state.listenerArn) missing.push(`a listener on port ${args.listener_port ?? 80} of ${args.load_balancer_name}`);
  else if (args.rule_priority != null && !state.ruleArn) missing.push(`a rule with priority ${args.rule_priority}`);
  if (missing.length > 0) throw new ModuleFailure(`Service ${state.service}: no blue-green pair to work on: missing ${missing.join(', ')}`);
}
