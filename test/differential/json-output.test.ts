// ANSIBLE_STDOUT_CALLBACK=json: the same document as ansible-playbook's json callback,
// ids, durations and timestamps aside.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBoth, SCENARIOS } from './harness.js';

function normalize(text: string): unknown {
  const data = JSON.parse(text) as unknown;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        if (['id', 'duration', 'start', 'end', 'delta'].includes(key)) out[key] = '<varies>';
        else out[key] = walk(v);
      }
      return out;
    }
    return value;
  };
  return walk(data);
}

const SCENARIOS_IN_JSON = ['basic-debug', 'loops', 'block-rescue-always', 'handlers', 'no-log', 'register-and-loop-results', 'assert-and-fail'];

describe.concurrent('differential: json callback', () => {
  for (const name of SCENARIOS_IN_JSON) {
    it(name, async () => {
      const { ansible, tsplay } = await runBoth(join(SCENARIOS, 'engine', name), [], { ANSIBLE_STDOUT_CALLBACK: 'json' });
      expect(tsplay.code, tsplay.stderr).toBe(ansible.code);
      expect(normalize(tsplay.stdout)).toEqual(normalize(ansible.stdout));
    });
  }
});
