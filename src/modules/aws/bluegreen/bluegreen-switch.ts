// bluegreen_switch: make one color of a service's pair live by moving the listener's forward
// weights (100/0 -> 0/100, or in steps), never by deregistering. The color going live must
// pass the health gate first (every registered target healthy, at least min_healthy of them).
// Between steps and during the bake window the module watches that color's health checks
// and its HTTP 5xx rate over the listener; a failure moves the weights back at once
// (automatic rollback) and fails the task. Switching to the color a previous switch replaced
// is a rollback: one weight change, the same module.
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ModuleContext, type ModuleDefinition, ModuleFailure, type ModuleResult } from '../../module.js';
import { awsFailure } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import { activeTargets } from './decisions.js';
import { healthVerdict, refreshTargets } from './health.js';
import { type Color, type PairArgs, otherColor } from './pair-args.js';
import { type PairState, readPair, requireConfigured } from './pair.js';
import { TAG, nowTag, tagValue } from './state-tags.js';
import { type MetricsChoice, type TrafficSource, trafficSource } from './traffic.js';
import { type Weights, applyWeights, currentWeights, retag, weightsFor, weightsText } from './weights.js';
import { bluegreenSwitchSpec } from './bluegreen-switch.spec.js';

export interface BluegreenSwitchArgs extends PairArgs {
  live_color: Color;
  steps?: number[] | null;
  step_pause: number;
  health_gate: boolean;
  min_healthy: number;
  gate_timeout: number;
  unhealthy_grace: number;
  max_error_rate?: number | null;
  min_requests: number;
  error_window: number;
  bake_seconds: number;
  check_interval: number;
  auto_rollback: boolean;
  metrics: MetricsChoice;
  heartbeat: number;
}

interface Watch {
  elb: ElasticLoadBalancingV2Client;
  state: PairState;
  args: BluegreenSwitchArgs;
  ctx: ModuleContext;
  traffic: TrafficSource | undefined;
  label: string;
}

/** `steps` as increasing percentages ending at 100. */
export function normalizeSteps(steps: readonly number[] | null | undefined): number[] {
  const list = [...new Set((steps ?? []).map(Number))].sort((a, b) => a - b);
  for (const step of list) {
    if (!Number.isInteger(step) || step <= 0 || step > 100) throw new ModuleFailure(`steps must be whole percentages between 1 and 100, got ${step}`);
  }
  if (list[list.length - 1] !== 100) list.push(100);
  return list;
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

/**
 * Watches `color` for `seconds`: health checks and the 5xx rate. Returns why it failed, or
 * undefined when the time passed without a failure.
 */
async function watch(w: Watch, color: Color, seconds: number): Promise<string | undefined> {
  const { elb, state, args, ctx, traffic } = w;
  const arn = state.colors[color].targetGroupArn as string;
  const started = Date.now();
  const end = started + seconds * 1000;
  let nextHeartbeat = started + args.heartbeat * 1000;
  for (;;) {
    const verdict = healthVerdict(await refreshTargets(elb, state, color, ctx.signal), 1);
    if (verdict.kind === 'failed') return `health checks failed: ${verdict.text}`;
    let trafficText = '';
    if (traffic && args.max_error_rate != null) {
      const window = await traffic.window(arn, args.error_window, ctx.signal);
      const rate = window.requests === 0 ? 0 : window.errors / window.requests;
      trafficText = `, ${window.errors} 5xx of ${window.requests} requests in the last ${Math.round(window.seconds)} s`;
      if (window.requests >= args.min_requests && rate > args.max_error_rate) {
        return `HTTP 5xx rate ${percent(rate)} (${window.errors} of ${window.requests} requests in the last ${Math.round(window.seconds)} s) is above ${percent(args.max_error_rate)}`;
      }
    }
    const now = Date.now();
    if (now >= end) return undefined;
    if (now >= nextHeartbeat) {
      ctx.say(`bluegreen ${state.service}: ${w.label} ${color} ${Math.round((now - started) / 1000)}/${seconds} s: ${verdict.text}${trafficText}`);
      nextHeartbeat += args.heartbeat * 1000;
    }
    if (ctx.signal.aborted) throw new ModuleFailure(`${w.label} interrupted`);
    await sleep(Math.min(args.check_interval * 1000, Math.max(0, end - now)), undefined, { signal: ctx.signal }).catch(() => undefined);
  }
}

/** Waits for the health gate; throws with the weights left as they were when it fails. */
async function healthGate(elb: ElasticLoadBalancingV2Client, state: PairState, to: Color, args: BluegreenSwitchArgs, ctx: ModuleContext): Promise<string> {
  const started = Date.now();
  let nextHeartbeat = started + args.heartbeat * 1000;
  // A target still unhealthy from before a redeploy gets unhealthy_grace seconds to recover.
  let unhealthySince: number | undefined;
  for (;;) {
    const verdict = healthVerdict(await refreshTargets(elb, state, to, ctx.signal), args.min_healthy);
    if (verdict.kind === 'healthy') return verdict.text;
    unhealthySince = verdict.kind === 'failed' ? (unhealthySince ?? Date.now()) : undefined;
    const elapsed = (Date.now() - started) / 1000;
    const refused = unhealthySince !== undefined && Date.now() - unhealthySince >= args.unhealthy_grace * 1000;
    if (refused || elapsed >= args.gate_timeout || ctx.signal.aborted) {
      const why = refused ? verdict.text : `still not healthy after ${args.gate_timeout} s: ${verdict.text}`;
      throw new ModuleFailure(
        `Health gate refused to switch ${state.service} to ${to} (${state.colors[to].targetGroupName}): ${why}; weights unchanged (${weightsText(currentWeights(state))})`,
        { changed: false, live_color: state.live ?? null, weights: currentWeights(state), gate: verdict.text },
      );
    }
    if (Date.now() >= nextHeartbeat) {
      ctx.say(`bluegreen ${state.service}: health gate ${to} waiting ${Math.round(elapsed)}/${args.gate_timeout} s: ${verdict.text}`);
      nextHeartbeat += args.heartbeat * 1000;
    }
    await sleep(1000, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
}

/** Tags after `to` became live; `rollback` when `to` is the color a switch had replaced. */
async function markLive(elb: ElasticLoadBalancingV2Client, state: PairState, to: Color, rollback: boolean, reason: string | undefined, signal: AbortSignal): Promise<void> {
  const from = otherColor(to);
  const now = nowTag();
  if (rollback) {
    await retag(elb, state, to, { [TAG.liveSince]: now }, [TAG.rollbackTarget, TAG.switching, TAG.rolledBackAt, TAG.rollbackReason], signal);
    await retag(elb, state, from, { [TAG.rolledBackAt]: now, [TAG.rollbackReason]: tagValue(reason ?? 'rollback') }, [TAG.liveSince, TAG.bakedAt, TAG.switching], signal);
  } else {
    await retag(elb, state, to, { [TAG.liveSince]: now }, [TAG.switching, TAG.rollbackTarget, TAG.rolledBackAt, TAG.rollbackReason, TAG.bakedAt], signal);
    await retag(elb, state, from, { [TAG.rollbackTarget]: now }, [TAG.liveSince, TAG.bakedAt, TAG.switching], signal);
  }
}

export const bluegreenSwitchModule: ModuleDefinition<BluegreenSwitchArgs> = {
  ...bluegreenSwitchSpec,
  async run(args, ctx) {
    const session = new AwsSession(args, ctx.environment, 'bluegreen_switch');
    const elb = await session.elbv2();
    const signal = ctx.signal;
    try {
      const steps = normalizeSteps(args.steps);
      const state = await readPair(elb, args, signal);
      requireConfigured(state, args);
      const to = args.live_color;
      const from = otherColor(to);
      const before = currentWeights(state);
      const alreadyLive = state.phase === 'steady' && state.live === to;
      // Back to the release a switch replaced (not to a newer deploy in that color, nor to a
      // color with nothing registered: a plan made before this run's deploy), or back from half way.
      const toTags = state.colors[to].tags;
      const replacedRelease =
        toTags[TAG.rollbackTarget] !== undefined &&
        !(toTags[TAG.deployedAt] && Date.parse(toTags[TAG.deployedAt]) > Date.parse(toTags[TAG.rollbackTarget] ?? '')) &&
        activeTargets(state, to).length > 0;
      const isRollback = !alreadyLive && (replacedRelease || (state.phase === 'switching' && state.switchingTo === from));
      const needsBake = args.bake_seconds > 0 && (!alreadyLive || state.colors[to].tags[TAG.bakedAt] === undefined);
      const plan = alreadyLive
        ? [`${to} is already live (${weightsText(before)})`]
        : [`${isRollback ? 'roll back' : 'switch'} ${state.service} from ${from} to ${to}: weights ${weightsText(before)} -> ${steps.map((s) => weightsText(weightsFor(to, s))).join(' -> ')}`];
      if (needsBake) plan.push(`bake ${to} for ${args.bake_seconds} s${args.auto_rollback ? `, rolling back to ${from} if it fails` : ''}`);
      const result: ModuleResult = { service: state.service, previous_color: state.live ?? null, weights_before: before };

      if (ctx.checkMode) {
        const gate = healthVerdict(state.colors[to].targets, args.min_healthy);
        if (!alreadyLive && args.health_gate) plan.push(`health gate on ${to} (now: ${gate.text})`);
        return { ...result, changed: !alreadyLive, live_color: to, weights: alreadyLive ? before : weightsFor(to, 100), plan, msg: `Would ${plan.join('; ')}` };
      }

      let gateText: string | undefined;
      if (!alreadyLive && args.health_gate) gateText = await healthGate(elb, state, to, args, ctx);
      const traffic = args.max_error_rate != null && (!alreadyLive || needsBake) ? await trafficSource(args.metrics, session.settings('elbv2').endpoint, state.listenerArn as string, ctx.warn, signal) : undefined;

      const rollBack = async (label: string, reason: string): Promise<never> => {
        const detected = Date.now();
        const back: Weights = weightsFor(from, 100);
        if (!args.auto_rollback) {
          throw new ModuleFailure(`${state.service}: ${to} failed ${label}: ${reason}; auto_rollback is off, weights left at ${weightsText(currentWeights(state))}`, {
            changed: true, rolled_back: false, live_color: to, weights: currentWeights(state),
          });
        }
        if (activeTargets(state, from).length === 0) {
          throw new ModuleFailure(`${state.service}: ${to} failed ${label}: ${reason}; cannot roll back: ${from} has no registered targets`, {
            changed: true, rolled_back: false, live_color: to, weights: currentWeights(state),
          });
        }
        await applyWeights(elb, state, back, signal);
        const seconds = (Date.now() - detected) / 1000;
        await markLive(elb, state, from, true, `${label}: ${reason}`, signal);
        ctx.say(`bluegreen ${state.service}: ROLLED BACK to ${from} (${weightsText(back)}): ${to} failed ${label}: ${reason}`);
        throw new ModuleFailure(`${state.service}: ${to} failed ${label}: ${reason}; rolled back to ${from} in ${seconds.toFixed(2)} s (weights ${weightsText(back)})`, {
          changed: true, rolled_back: true, rollback_reason: reason, rolled_back_at: new Date(detected).toISOString(), live_color: from, weights: back,
        });
      };

      const w: Watch = { elb, state, args, ctx, traffic, label: 'checking' };
      if (!alreadyLive) {
        if (steps.length > 1) await retag(elb, state, to, { [TAG.switching]: nowTag() }, [], signal);
        for (const step of steps) {
          const weights = weightsFor(to, step);
          await applyWeights(elb, state, weights, signal);
          ctx.say(`bluegreen ${state.service}: weights ${weightsText(weights)}`);
          if (step < 100 && args.step_pause > 0) {
            const failure = await watch({ ...w, label: `step ${step}%` }, to, args.step_pause);
            if (failure) await rollBack(`at step ${step}%`, failure);
          }
        }
        await markLive(elb, state, to, isRollback, isRollback ? 'rollback requested' : undefined, signal);
      }
      let baked = false;
      if (needsBake) {
        const failure = await watch({ ...w, label: 'baking' }, to, args.bake_seconds);
        if (failure) await rollBack('during the bake window', failure);
        await retag(elb, state, to, { [TAG.bakedAt]: nowTag() }, [], signal);
        baked = true;
      }
      const after = currentWeights(state);
      const done = alreadyLive ? `${to} was already live (${weightsText(after)})` : `${state.service}: ${isRollback ? 'rolled back' : 'switched'} to ${to} (${weightsText(after)})`;
      ctx.say(`bluegreen ${state.service}: ${to} is live (${weightsText(after)})${baked ? `, baked ${args.bake_seconds} s` : ''}`);
      return {
        ...result,
        changed: !alreadyLive,
        live_color: to,
        weights: after,
        rollback: isRollback,
        ...(gateText ? { gate: gateText } : {}),
        baked,
        msg: baked ? `${done}; baked ${args.bake_seconds} s` : done,
      };
    } catch (error) {
      throw awsFailure(error);
    }
  },
};
