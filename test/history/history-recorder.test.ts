import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AggregateStats } from '../../src/executor/stats.js';
import { HistoryRecorder } from '../../src/history/history-recorder.js';
import { StoreSink } from '../../src/history/history-sink.js';
import { HistoryStore } from '../../src/history/history-store.js';
import type { ResultEvent, TaskInfo } from '../../src/output/events.js';

function task(id: number, name: string, action = 'command'): TaskInfo {
  return { id, name, action, hasLoop: false, checkMode: false, noLog: false, path: `/p/site.yml:${id}`, delegateTo: undefined, ignoreUnreachable: false, isHandler: false, isInclude: false };
}

function setup(secrets: string[] = []) {
  const path = join(mkdtempSync(join(tmpdir(), 'tsplay-rec-')), 'deep', 'history.db');
  const store = HistoryStore.openForWriting(path);
  let now = 1_000_000;
  const runId = store.startRun({ startedAt: now, playbooks: ['site.yml'], args: ['site.yml'], cwd: '/p', user: 'me', checkMode: false, version: '0.1.0' });
  const recorder = new HistoryRecorder(new StoreSink(store, runId, secrets), { now: () => now, flushIntervalMs: 60_000 });
  return { path, store, runId, recorder, advance: (ms: number) => (now += ms), now: () => now };
}

function read(path: string, runId: number) {
  const reader = HistoryStore.openForReading(path);
  try {
    return reader.run(runId)!;
  } finally {
    reader.close();
  }
}

describe('HistoryRecorder', () => {
  it('stores plays, tasks, per-host results with timing and failure messages, the recap and the exit code', () => {
    const { path, runId, recorder, advance } = setup();
    recorder.playStart({ name: 'web', hosts: ['web'], checkMode: false, strategy: 'linear', id: 1, path: undefined });
    const t1 = task(1, 'install');
    recorder.taskStart(t1, 'TASK');
    recorder.hostTaskStart('w1', t1);
    recorder.hostTaskStart('w2', t1);
    advance(250);
    recorder.runnerOk({ host: 'w1', task: t1, result: { changed: true, rc: 0, _ansible_no_log: false }, durationMs: 240 });
    advance(50);
    recorder.runnerFailed({ host: 'w2', task: t1, result: { failed: true, rc: 1, msg: 'non-zero return code', stderr: 'E: no such package' } }, false);
    const t2 = task(2, 'check');
    recorder.taskStart(t2, 'TASK');
    recorder.hostTaskStart('w1', t2);
    advance(10);
    recorder.runnerFailed({ host: 'w1', task: t2, result: { failed: true, msg: 'soft failure' } }, true);
    recorder.runnerSkipped({ host: 'w2', task: t2, result: { skipped: true, skip_reason: 'Conditional result was False' } });
    recorder.runnerUnreachable({ host: 'w3', task: t2, result: { unreachable: true, msg: 'ssh: connect refused' } });
    const stats = new AggregateStats();
    stats.increment('ok', 'w2');
    stats.increment('failures', 'w2');
    stats.increment('ok', 'w1');
    stats.custom.set('_run', { deployed: 'v2' });
    recorder.stats(stats);
    recorder.close();
    recorder.finish(2);

    const detail = read(path, runId);
    expect(detail.run).toMatchObject({ status: 'failed', exitCode: 2, playbooks: ['site.yml'], customStats: { deployed: 'v2' } });
    expect(detail.run.endedAt).toBeGreaterThan(detail.run.startedAt);
    expect(detail.plays).toEqual([{ seq: 0, name: 'web', hosts: ['web'], startedAt: 1_000_000 }]);
    expect(detail.tasks.map((t) => [t.seq, t.name, t.action, t.path, t.prefix])).toEqual([
      [0, 'install', 'command', '/p/site.yml:1', 'TASK'],
      [1, 'check', 'command', '/p/site.yml:2', 'TASK'],
    ]);
    expect(detail.results.map((r) => [r.taskSeq, r.host, r.status, r.durationMs, r.message])).toEqual([
      [0, 'w1', 'changed', 240, undefined],
      [0, 'w2', 'failed', 300, 'non-zero return code: E: no such package'],
      [1, 'w1', 'ignored', 10, 'soft failure'],
      [1, 'w2', 'skipped', 0, undefined],
      [1, 'w3', 'unreachable', 0, 'ssh: connect refused'],
    ]);
    expect(detail.results[0]!.result).toEqual({ changed: true, rc: 0 });
    expect(detail.results[0]!.startedAt).toBe(1_000_000);
    expect(detail.results[1]!.endedAt - detail.results[1]!.startedAt).toBe(300);
    expect(detail.recap.map((r) => [r.host, r.ok, r.failures])).toEqual([
      ['w1', 1, 0],
      ['w2', 1, 1],
    ]);
  });

  it('writes in slices: one transaction for many tasks and hosts, every second during a long task, every 1000 results', () => {
    vi.useFakeTimers();
    try {
      const path = join(mkdtempSync(join(tmpdir(), 'tsplay-rec-')), 'history.db');
      const store = HistoryStore.openForWriting(path);
      const runId = store.startRun({ startedAt: 0, playbooks: ['p.yml'], args: [], cwd: '/', user: 'u', checkMode: false, version: 'x' });
      const recorder = new HistoryRecorder(new StoreSink(store, runId), { flushIntervalMs: 1000, maxBatchResults: 1000 });
      const write = vi.spyOn(store, 'write');
      recorder.playStart({ name: 'p', hosts: ['all'], checkMode: false, strategy: 'linear', id: 1, path: undefined });
      const runTasks = (from: number, to: number) => {
        for (let t = from; t <= to; t++) {
          const info = task(t, `t${t}`);
          recorder.taskStart(info, 'TASK');
          for (let h = 0; h < 100; h++) {
            recorder.hostTaskStart(`h${h}`, info);
            recorder.runnerOk({ host: `h${h}`, task: info, result: { changed: false } });
          }
        }
      };
      runTasks(1, 5);
      expect(write).toHaveBeenCalledTimes(0);
      vi.advanceTimersByTime(400);
      runTasks(6, 8);
      expect(write).toHaveBeenCalledTimes(0);
      vi.advanceTimersByTime(700);
      expect(write).toHaveBeenCalledTimes(1);
      expect(write.mock.calls[0]![1].results).toHaveLength(800);
      // A task that starts when the slice is over sends the previous results at once.
      runTasks(9, 9);
      vi.setSystemTime(Date.now() + 1500);
      runTasks(10, 10);
      expect(write).toHaveBeenCalledTimes(2);
      expect(write.mock.calls[1]![1].results).toHaveLength(100);
      const long = task(11, 'long');
      recorder.taskStart(long, 'TASK');
      recorder.hostTaskStart('h0', long);
      recorder.runnerOk({ host: 'h0', task: long, result: {} });
      vi.advanceTimersByTime(1000);
      expect(write).toHaveBeenCalledTimes(3);
      vi.advanceTimersByTime(5000);
      expect(write).toHaveBeenCalledTimes(3);
      // After an idle slice the next task start sends what came before it; a big batch does not wait for the slice to end.
      runTasks(12, 23);
      expect(write.mock.calls.slice(3).map((call) => call[1].results.length)).toEqual([100, 1000]);
      recorder.finish(0);
      expect(write.mock.calls.slice(3).map((call) => call[1].results.length)).toEqual([100, 1000, 100]);
      expect(read(path, runId).results).toHaveLength(2201);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps results small and secret-free: hints dropped, facts summarized, huge results cut, known secrets masked', () => {
    const { path, runId, recorder } = setup(['hunter2-become']);
    const facts = task(1, 'Gathering Facts', 'gather_facts');
    recorder.playStart({ name: 'p', hosts: ['all'], checkMode: false, strategy: 'linear', id: 1, path: undefined });
    recorder.taskStart(facts, 'TASK');
    recorder.runnerOk({ host: 'h', task: facts, result: { ansible_facts: { a: 1, b: 2, c: 3 }, _ansible_verbose_override: true } });
    const big = task(2, 'cat a big file');
    recorder.runnerOk({ host: 'h', task: big, result: { changed: true, rc: 0, stdout: 'x'.repeat(200_000), stdout_lines: ['x'] } });
    const leak = task(3, 'echo');
    const event: ResultEvent = { host: 'h', task: leak, result: { failed: true, msg: 'sudo: hunter2-become is wrong', cmd: ['echo', 'hunter2-become'] } };
    recorder.runnerFailed(event, false);
    recorder.finish(2);
    const [factsRow, bigRow, leakRow] = read(path, runId).results;
    expect(factsRow!.result).toEqual({ ansible_facts: { _tsplay_omitted: '3 facts' } });
    expect(bigRow!.result._tsplay_truncated).toMatch(/only its scalar values/);
    expect(bigRow!.result).toMatchObject({ changed: true, rc: 0 });
    expect(String(bigRow!.result.stdout).length).toBeLessThan(5000);
    expect(JSON.stringify(leakRow)).not.toContain('hunter2');
    expect(leakRow!.message).toBe('sudo: ******** is wrong');
  });

  it('stores the exit code when the process ends, through the worker thread (compiled build)', async () => {
    const { spawnSync } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-rec-exit-'));
    const db = join(dir, 'h.db');
    const dist = join(import.meta.dirname, '../../dist/src/history');
    const script = `
      import { WorkerSink } from ${JSON.stringify(join(dist, 'worker-sink.js'))};
      import { HistoryRecorder } from ${JSON.stringify(join(dist, 'history-recorder.js'))};
      const sink = new WorkerSink(${JSON.stringify(db)}, { startedAt: Date.now(), playbooks: ['p.yml'], args: [], cwd: '/', user: 'u', checkMode: false, version: 'x' }, ['pw-123']);
      const recorder = new HistoryRecorder(sink);
      const task = { id: 1, name: 't', action: 'debug', hasLoop: false, checkMode: false, noLog: false, path: undefined, delegateTo: undefined, ignoreUnreachable: false, isHandler: false, isInclude: false };
      recorder.playStart({ name: 'p', hosts: ['all'], checkMode: false, strategy: 'linear', id: 1, path: undefined });
      recorder.taskStart(task, 'TASK');
      recorder.runnerFailed({ host: 'h', task, result: { failed: true, msg: 'bad pw-123', big: 10n } }, false);
      process.exit(99);
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (result.status !== 99) throw new Error(result.stderr);
    expect(existsSync(db)).toBe(true);
    const reader = HistoryStore.openForReading(db);
    expect(reader.listRuns(5)[0]).toMatchObject({ status: 'interrupted', exitCode: 99 });
    const detail = reader.run(reader.latestRunId()!)!;
    reader.close();
    expect(detail.results.map((r) => [r.host, r.status, r.message, r.result.big])).toEqual([['h', 'failed', 'bad ********', '10']]);
  });

  it('reports a database it cannot write instead of failing the run (worker thread, compiled build)', async () => {
    const { WorkerSink } = await import('../../src/history/worker-sink.js');
    const { pathToFileURL } = await import('node:url');
    const workerUrl = pathToFileURL(join(import.meta.dirname, '../../dist/src/history/history-worker.js'));
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-rec-bad-'));
    const sink = new WorkerSink(dir, { startedAt: 0, playbooks: [], args: [], cwd: '/', user: 'u', checkMode: false, version: 'x' }, [], workerUrl);
    const warnings: string[] = [];
    const recorder = new HistoryRecorder(sink, { warn: (m) => warnings.push(m) });
    recorder.playStart({ name: 'p', hosts: ['all'], checkMode: false, strategy: 'linear', id: 1, path: undefined });
    const started = Date.now();
    recorder.finish(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(warnings).toEqual([expect.stringMatching(/^Run history: cannot open .*tsplay-rec-bad-/)]);
  });
});
