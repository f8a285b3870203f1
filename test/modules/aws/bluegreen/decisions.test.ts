import { describe, expect, it } from 'vitest';
import { decide } from '../../../../src/modules/aws/bluegreen/decisions.js';
import { TAG } from '../../../../src/modules/aws/bluegreen/state-tags.js';
import { healthy, pairState } from './pair-state.js';

const T1 = '2030-01-01T00:00:00.000Z';
const T2 = '2030-01-01T00:10:00.000Z';
const T3 = '2030-01-01T00:20:00.000Z';

describe('blue-green decisions from the load balancer alone', () => {
  it('a new pair: the first release goes to green', () => {
    const d = decide(pairState({}), { blue: 0, green: 0 });
    expect(d.deploy.color).toBe('green');
    expect(d.switch.color).toBeNull();
  });

  it('blue live, green freshly deployed: switch to green; nothing to retire or roll back', () => {
    const state = pairState({ weights: { blue: 100, green: 0 }, tags: { blue: { [TAG.liveSince]: T1 }, green: { [TAG.deployedAt]: T2 } }, targets: { green: [healthy('i-g')] } });
    const d = decide(state, { blue: 1, green: 1 });
    expect(state.live).toBe('blue');
    expect(d.switch.color).toBe('green');
    expect(d.deploy.color).toBe('green');
    expect(d.rollback.color).toBeNull();
    expect(d.retire).toEqual({ color: null, reason: 'green holds a deploy that was not switched live yet' });
  });

  it('after a switch: switching again is a no-op, rollback goes to blue, retire waits for the bake', () => {
    const tags = { green: { [TAG.deployedAt]: T1, [TAG.liveSince]: T2 }, blue: { [TAG.rollbackTarget]: T2 } };
    const state = pairState({ weights: { blue: 0, green: 100 }, tags, targets: { blue: [healthy('i-b')] } });
    const d = decide(state, { blue: 1, green: 1 });
    expect(d.switch.color).toBeNull();
    expect(d.rollback.color).toBe('blue');
    expect(d.retire.color).toBeNull();
    expect(d.retire.reason).toMatch(/not finished its bake window/);
    expect(d.deploy.color).toBeNull();
    expect(d.deploy.reason).toMatch(/rollback target.*-t retire/);

    const baked = pairState({ weights: { blue: 0, green: 100 }, tags: { ...tags, green: { ...tags.green, [TAG.bakedAt]: T3 } }, targets: { blue: [healthy('i-b')] } });
    expect(decide(baked, { blue: 1, green: 1 }).retire.color).toBe('blue');
  });

  it('a retired rollback target cannot be rolled back to, and frees the color for the next deploy', () => {
    const state = pairState({ weights: { blue: 0, green: 100 }, tags: { green: { [TAG.liveSince]: T2, [TAG.bakedAt]: T3 }, blue: { [TAG.rollbackTarget]: T2 } } });
    const d = decide(state, { blue: 0, green: 2 });
    expect(d.rollback.color).toBeNull();
    expect(d.rollback.reason).toMatch(/retired/);
    expect(d.deploy.color).toBe('blue');
  });

  it('after a rollback the abandoned color is no switch candidate until deployed again, and may be retired', () => {
    const tags = { blue: { [TAG.liveSince]: T3 }, green: { [TAG.deployedAt]: T1, [TAG.rolledBackAt]: T3 } };
    const d = decide(pairState({ weights: { blue: 100, green: 0 }, tags, targets: { green: [healthy('i-g')] } }), { blue: 1, green: 1 });
    expect(d.switch.color).toBeNull();
    expect(d.switch.reason).toMatch(/rolled back/);
    expect(d.retire.color).toBe('green');
    expect(d.deploy.color).toBe('green');
  });

  it('a switch left half way: finish or go back, nothing else', () => {
    const state = pairState({ weights: { blue: 50, green: 50 }, tags: { green: { [TAG.switching]: T2 } } });
    expect(state.phase).toBe('switching');
    const d = decide(state, { blue: 1, green: 1 });
    expect([d.switch.color, d.rollback.color, d.deploy.color, d.retire.color]).toEqual(['green', 'blue', null, null]);
  });
});
