import { describe, expect, it } from 'vitest';
import type { ResultEvent, TaskInfo } from '../../../src/output/events.js';
import { ProgressTracker } from '../../../src/output/progress/progress-tracker.js';
import { formatElapsed, formatProgressLine, truncate } from '../../../src/output/progress/progress-line.js';

function task(id: number, name: string): TaskInfo {
  return { id, name, action: 'command', hasLoop: false, checkMode: false, noLog: false, path: undefined, delegateTo: undefined, ignoreUnreachable: false, isHandler: false, isInclude: false };
}
const result = (host: string, t: TaskInfo): ResultEvent => ({ host, task: t, result: {} });

describe('ProgressTracker', () => {
  it('counts hosts done out of the hosts queued and names the longest-running host', () => {
    let now = 1000;
    const tracker = new ProgressTracker(() => now);
    const t = task(1, 'install');
    tracker.taskStart(t, 'TASK');
    tracker.taskHosts(t, ['a', 'b', 'c', 'd']);
    tracker.hostTaskStart('a', t);
    now += 100;
    tracker.hostTaskStart('b', t);
    now += 400;
    expect(tracker.snapshot()).toEqual([{ prefix: 'TASK', name: 'install', done: 0, total: 4, slowest: { host: 'a', elapsedMs: 500 } }]);
    tracker.runnerOk(result('a', t));
    tracker.hostTaskStart('c', t);
    expect(tracker.snapshot()[0]).toMatchObject({ done: 1, total: 4, slowest: { host: 'b', elapsedMs: 400 } });
    tracker.runnerFailed(result('b', t));
    tracker.runnerSkipped(result('c', t));
    expect(tracker.snapshot()[0]).toMatchObject({ done: 3, slowest: undefined });
    expect(tracker.busy).toBe(true);
    tracker.hostTaskStart('d', t);
    tracker.runnerUnreachable(result('d', t));
    expect(tracker.busy).toBe(false);
  });

  it('keeps one group per task (free strategy), hides young groups, ignores results of hosts it did not see start', () => {
    let now = 0;
    const tracker = new ProgressTracker(() => now);
    const a = task(1, 'a');
    const b = task(2, 'b');
    tracker.taskStart(a, 'TASK');
    tracker.taskHosts(a, ['h1']);
    tracker.hostTaskStart('h1', a);
    now += 1000;
    tracker.taskStart(b, 'RUNNING HANDLER');
    tracker.taskHosts(b, ['h2']);
    tracker.hostTaskStart('h2', b);
    tracker.runnerOk(result('h3', b));
    expect(tracker.snapshot(300).map((l) => l.name)).toEqual(['a']);
    now += 300;
    expect(tracker.snapshot(300).map((l) => [l.prefix, l.name, l.done])).toEqual([
      ['TASK', 'a', 0],
      ['RUNNING HANDLER', 'b', 0],
    ]);
    tracker.stats();
    expect(tracker.busy).toBe(false);
  });

  it('without queued counts, shows the hosts started so far', () => {
    const tracker = new ProgressTracker(() => 0);
    const t = task(1, 'x');
    tracker.hostTaskStart('a', t);
    tracker.hostTaskStart('b', t);
    tracker.runnerOk(result('a', t));
    expect(tracker.snapshot()[0]).toMatchObject({ done: 1, total: 2 });
  });
});

describe('progress line', () => {
  it('reads as task, done/total and the slowest host', () => {
    expect(formatProgressLine({ prefix: 'TASK', name: 'wait  for\nport', done: 3, total: 10, slowest: { host: 'web07', elapsedMs: 12_345 } }, '|', 120)).toBe(
      '| TASK [wait for port] 3/10 hosts done, slowest: web07 12.3s',
    );
  });

  it('never reaches the last column', () => {
    const line = formatProgressLine({ prefix: 'TASK', name: 'x'.repeat(200), done: 0, total: 1, slowest: undefined }, '/', 40);
    expect([...line]).toHaveLength(39);
    expect(line.endsWith('…')).toBe(true);
    expect(truncate('short', 10)).toBe('short');
  });

  it('formats elapsed times', () => {
    expect(formatElapsed(900)).toBe('0.9s');
    expect(formatElapsed(125_000)).toBe('2m05s');
    expect(formatElapsed(3_725_000)).toBe('1h02m');
  });
});
