// What can be done next with a pair, decided from what the load balancer says: which color
// a deploy goes to, which color a switch moves traffic to, whether a rollback is possible
// and which color may be retired. Each answer is a color or null with the reason.
import { type Color, otherColor } from './pair-args.js';
import type { PairState } from './pair.js';
import { TAG } from './state-tags.js';

export interface Decision {
  color: Color | null;
  reason: string;
}

export interface Decisions {
  deploy: Decision;
  switch: Decision;
  rollback: Decision;
  retire: Decision;
}

/** Targets that take part in the group (registered, not leaving it). */
export function activeTargets(state: PairState, color: Color) {
  return state.colors[color].targets.filter((t) => t.state !== 'draining' && t.reason !== 'Target.NotRegistered');
}

function weightsText(state: PairState): string {
  return `blue ${state.colors.blue.weight}, green ${state.colors.green.weight}`;
}

function later(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined) return false;
  return b === undefined || Date.parse(a) > Date.parse(b);
}

export function decide(state: PairState, instanceCounts: Record<Color, number>): Decisions {
  const none = (reason: string): Decision => ({ color: null, reason });
  if (state.phase === 'unconfigured') {
    // A new pair starts with blue serving (weight 100): the first release goes to green.
    const reason = 'the pair is not set up yet; it starts with blue at weight 100';
    return { deploy: { color: 'green', reason }, switch: none(reason), rollback: none(reason), retire: none(reason) };
  }
  if (state.phase === 'down') {
    const reason = 'both weights are 0: nothing serves; switch one color live first';
    return { deploy: none(reason), switch: none(reason), rollback: none(reason), retire: none(reason) };
  }
  if (state.phase === 'switching') {
    const from = state.live as Color;
    const to = state.switchingTo as Color;
    const reason = `a switch from ${from} to ${to} stopped half way (${weightsText(state)})`;
    return {
      deploy: none(`${reason}: finish it (-t switch) or roll back (-t rollback) first`),
      switch: { color: to, reason: `${reason}: finishing it` },
      rollback: { color: from, reason: `${reason}: going back` },
      retire: none(`${reason}: nothing can be retired while both colors serve`),
    };
  }
  const live = state.live as Color;
  const idle = otherColor(live);
  const liveTags = state.colors[live].tags;
  const idleTags = state.colors[idle].tags;
  const idleActive = activeTargets(state, idle).length;
  const idleHolds = idleActive > 0 || instanceCounts[idle] > 0;
  const isRollbackTarget = idleTags[TAG.rollbackTarget] !== undefined;
  const newerDeploy = later(idleTags[TAG.deployedAt], liveTags[TAG.liveSince]);

  const deploy: Decision =
    isRollbackTarget && idleHolds
      ? none(`${idle} still runs the release ${live} replaced (the rollback target); retire it first (-t retire)`)
      : { color: idle, reason: `${live} is live; ${idle} is free` };

  const switchTo: Decision = newerDeploy
    ? { color: idle, reason: `${idle} holds a deploy (${idleTags[TAG.deployedAt]}) newer than ${live} going live` }
    : none(
        idleTags[TAG.rolledBackAt] !== undefined && !later(idleTags[TAG.deployedAt], idleTags[TAG.rolledBackAt])
          ? `${live} is live; ${idle} was rolled back at ${idleTags[TAG.rolledBackAt]} and has no newer deploy`
          : `${live} is live; ${idle} holds no newer deploy`,
      );

  const rollback: Decision = !isRollbackTarget
    ? none(`${idle} is not the color ${live} replaced`)
    : idleActive === 0
      ? none(`${idle} (the color ${live} replaced) has no registered targets left: it was retired`)
      : { color: idle, reason: `${idle} served before ${live} and is still registered at weight 0` };

  let retire: Decision;
  if (!idleHolds) retire = none(`${idle} has no instances`);
  else if (switchTo.color !== null) retire = none(`${idle} holds a deploy that was not switched live yet`);
  else if (isRollbackTarget && liveTags[TAG.bakedAt] === undefined) retire = none(`${live} has not finished its bake window; ${idle} is its rollback target`);
  else retire = { color: idle, reason: isRollbackTarget ? `${live} is live and baked since ${liveTags[TAG.bakedAt]}` : `${live} is live; ${idle} is not needed for a rollback` };

  return { deploy, switch: switchTo, rollback, retire };
}
