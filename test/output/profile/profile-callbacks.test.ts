import { PassThrough } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { Display } from '../../../src/output/display.js';
import type { TaskInfo } from '../../../src/output/events.js';
import { createTimingCallbacks, ProfileTasksCallback, TimerCallback } from '../../../src/output/profile/index.js';

function capture(verbosity = 0) {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  const display = new Display({ verbosity, color: false, stdout, stderr: stdout });
  return { display, text: () => (display.flush(), text) };
}

function task(id: number, name: string, path = `/p/site.yml:${id}`): TaskInfo {
  return { id, name, action: 'command', hasLoop: false, checkMode: false, noLog: false, path, delegateTo: undefined, ignoreUnreachable: false, isHandler: false, isInclude: false };
}

class FakeClock {
  t = Date.UTC(2026, 10, 27, 7, 36, 14);
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

const TIMESTAMP = /^\w+day \d\d \w+ \d{4}  \d\d:\d\d:\d\d [+-]\d{4} \(\d+:\d\d:\d\d\.\d{3}\) {7}\d+:\d\d:\d\d\.\d{3} \*+ $/;

describe('ProfileTasksCallback', () => {
  it('prints a timestamp line per task and the tasks by time after the recap', () => {
    const clock = new FakeClock();
    const out = capture();
    const cb = new ProfileTasksCallback(out.display, { outputLimit: 20, sortOrder: 'descending', now: clock.now });
    clock.advance(14);
    cb.taskStart(task(1, 'first task'));
    clock.advance(2229);
    cb.taskStart(task(2, 'second'));
    clock.advance(172);
    cb.taskStart(task(3, 'third with a long long long long long long long long long long long long long long name here'));
    clock.advance(899);
    cb.stats();
    const lines = out.text().split('\n');
    expect(lines[0]).toMatch(TIMESTAMP);
    expect(lines[0]).toContain('(0:00:00.014)       0:00:00.014 ');
    expect(lines[1]).toContain('(0:00:02.229)       0:00:02.243 ');
    expect(lines[3]).toContain('(0:00:00.899)       0:00:03.314 ');
    expect(lines.slice(4)).toEqual([
      `${'='.repeat(79)} `,
      'first task -------------------------------------------------------------- 2.23s',
      'third with a long long long long long long long long long long long long long long name here --- 0.90s',
      'second ------------------------------------------------------------------ 0.17s',
      '',
    ]);
  });

  it('sums a task met again (serial batches), sorts ascending or not at all, limits, shows paths at -vv', () => {
    const clock = new FakeClock();
    const out = capture(2);
    const cb = new ProfileTasksCallback(out.display, { outputLimit: 2, sortOrder: 'ascending', now: clock.now });
    cb.taskStart(task(1, 'a'));
    clock.advance(500);
    cb.taskStart(task(2, 'b'));
    clock.advance(300);
    cb.taskStart(task(1, 'a'));
    clock.advance(500);
    cb.taskStart(task(3, 'c'));
    clock.advance(1000);
    cb.stats();
    const summary = out.text().split('\n').slice(6, -1);
    expect(summary).toEqual([
      'b ----------------------------------------------------------------------- 0.30s',
      `/p/site.yml:2 ${'-'.repeat(65)}`,
      'a ----------------------------------------------------------------------- 1.00s',
      `/p/site.yml:1 ${'-'.repeat(65)}`,
    ]);

    const none = capture();
    const unsorted = new ProfileTasksCallback(none.display, { outputLimit: undefined, sortOrder: 'none', now: clock.now });
    unsorted.taskStart(task(1, 'slow'));
    clock.advance(900);
    unsorted.taskStart(task(2, 'fast'));
    clock.advance(100);
    unsorted.stats();
    expect(none.text().split('\n').slice(4, -1).map((l) => l.split(' ')[0])).toEqual(['slow', 'fast']);
  });

  it('prints only the summary for --profile', () => {
    const clock = new FakeClock();
    const out = capture();
    const cb = new ProfileTasksCallback(out.display, { outputLimit: 20, sortOrder: 'descending', summaryOnly: true, now: clock.now });
    clock.advance(5000);
    cb.taskStart(task(1, 'only'));
    clock.advance(1500);
    cb.stats();
    const lines = out.text().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('(0:00:01.500)       0:00:06.500 ');
    expect(lines[2]).toBe('only -------------------------------------------------------------------- 1.50s');
  });

  it('rounds hundredths as Python does (half to even on exact ties)', () => {
    const clock = new FakeClock();
    const out = capture();
    const cb = new ProfileTasksCallback(out.display, { outputLimit: undefined, sortOrder: 'none', now: clock.now });
    cb.taskStart(task(1, 'tie'));
    clock.advance(125);
    cb.stats();
    expect(out.text()).toContain(' 0.12s');
  });
});

describe('TimerCallback', () => {
  it('prints how long the run took', () => {
    const clock = new FakeClock();
    const out = capture();
    const cb = new TimerCallback(out.display, clock.now);
    clock.advance((3600 + 65) * 1000 + 700);
    cb.stats();
    expect(out.text()).toBe('Playbook run took 0 days, 1 hours, 1 minutes, 5 seconds\n');
  });
});

describe('createTimingCallbacks', () => {
  function config(cfg: string, env: NodeJS.ProcessEnv = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-profile-'));
    writeFileSync(join(dir, 'ansible.cfg'), cfg);
    return loadConfig({ env: { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ...env }, cwd: dir, home: dir });
  }
  const display = capture().display;

  it('follows callbacks_enabled order, plain or ansible.posix names, and ignores others', () => {
    const kinds = createTimingCallbacks(config('[defaults]\ncallbacks_enabled = ansible.posix.timer, junit, profile_tasks\n'), display, { profile: false }).map((c) => c.constructor.name);
    expect(kinds).toEqual(['TimerCallback', 'ProfileTasksCallback']);
  });

  it('--profile enables both, once', () => {
    const both = createTimingCallbacks(config('[defaults]\n'), display, { profile: true });
    expect(both.map((c) => c.constructor.name)).toEqual(['ProfileTasksCallback', 'TimerCallback']);
    expect((both[0] as unknown as { options: { summaryOnly: boolean } }).options.summaryOnly).toBe(true);
    const configured = createTimingCallbacks(config('[defaults]\ncallbacks_enabled = profile_tasks\n'), display, { profile: true });
    expect((configured[0] as unknown as { options: { summaryOnly: boolean } }).options.summaryOnly).toBe(false);
    expect(createTimingCallbacks(config('[defaults]\ncallbacks_enabled = timer\n'), display, { profile: true }).map((c) => c.constructor.name)).toEqual(['TimerCallback', 'ProfileTasksCallback']);
    expect(createTimingCallbacks(config('[defaults]\n'), display, { profile: false })).toEqual([]);
  });

  it('reads output_limit and sort_order from ansible.cfg and the environment', () => {
    const clock = new FakeClock();
    const out = capture();
    const [cb] = createTimingCallbacks(config('[defaults]\ncallbacks_enabled = profile_tasks\n[callback_profile_tasks]\ntask_output_limit = 1\n', { PROFILE_TASKS_SORT_ORDER: 'ascending' }), out.display, { profile: false });
    const profile = cb as ProfileTasksCallback;
    Object.assign(profile, { now: clock.now });
    profile.taskStart!(task(1, 'long'));
    clock.advance(1000);
    profile.taskStart!(task(2, 'short'));
    clock.advance(10);
    profile.stats!();
    const summary = out.text().split('\n').slice(4, -1);
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatch(/^short -+ 0\.01s$/);
    expect(() => createTimingCallbacks(config('[defaults]\ncallbacks_enabled = profile_tasks\n', { PROFILE_TASKS_TASK_OUTPUT_LIMIT: 'many' }), display, { profile: false })).toThrow(/output_limit/);
    expect(() => createTimingCallbacks(config('[defaults]\ncallbacks_enabled = profile_tasks\n', { PROFILE_TASKS_SORT_ORDER: 'random' }), display, { profile: false })).toThrow(/sort_order/);
  });
});
