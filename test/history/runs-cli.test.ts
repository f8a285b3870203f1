// `tsplay-runs` list/show/report on a history database written by the recorder.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/runs/main.js';
import { AggregateStats } from '../../src/executor/stats.js';
import { HistoryRecorder } from '../../src/history/history-recorder.js';
import { StoreSink } from '../../src/history/history-sink.js';
import { HistoryStore } from '../../src/history/history-store.js';
import type { TaskInfo } from '../../src/output/events.js';

function task(id: number, name: string): TaskInfo {
  return { id, name, action: 'command', hasLoop: false, checkMode: false, noLog: false, path: undefined, delegateTo: undefined, ignoreUnreachable: false, isHandler: false, isInclude: false };
}

function project() {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-runs-cli-'));
  writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\n');
  for (const [i, failed] of [false, true].entries()) {
    // Each run opens the database as tsplay does; finishing a run closes it.
    const store = HistoryStore.openForWriting(join(dir, '.tsplay/history.db'));
    const runId = store.startRun({ startedAt: Date.UTC(2026, 0, 1, 12, i), playbooks: ['site.yml'], args: ['-i', 'inv', 'site.yml'], cwd: dir, user: 'ops', checkMode: false, version: '0.1.0' });
    let now = Date.UTC(2026, 0, 1, 12, i);
    const recorder = new HistoryRecorder(new StoreSink(store, runId), { now: () => now });
    recorder.playStart({ name: 'all', hosts: ['all'], checkMode: false, strategy: 'linear', id: 1, path: undefined });
    const t = task(1, 'deploy app');
    recorder.taskStart(t, 'TASK');
    recorder.hostTaskStart('a', t);
    recorder.hostTaskStart('b', t);
    now += 1500;
    recorder.runnerOk({ host: 'a', task: t, result: { changed: true } });
    if (failed) recorder.runnerFailed({ host: 'b', task: t, result: { failed: true, msg: 'disk full\nsecond line' } }, false);
    else recorder.runnerOk({ host: 'b', task: t, result: {} });
    const stats = new AggregateStats();
    stats.increment('ok', 'a');
    stats.increment('changed', 'a');
    stats.increment(failed ? 'failures' : 'ok', 'b');
    recorder.stats(stats);
    recorder.close();
    now += 100;
    recorder.finish(failed ? 2 : 0);
  }
  return dir;
}

async function runs(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(args, { stdout, stderr, cwd, env: { ANSIBLE_CONFIG: join(cwd, 'ansible.cfg'), ...env } });
  return { code, out, err };
}

describe('tsplay-runs', () => {
  const dir = project();

  it('lists runs, newest first', async () => {
    const { code, out } = await runs(['list'], dir);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STARTED\s+DURATION\s+STATUS\s+EXIT\s+HOSTS\s+FAILED\s+PLAYBOOK$/);
    expect(lines[1]).toMatch(/^2\s+2026-01-01 \d\d:01:00\s+\S+\s+failed\s+2\s+2\s+1\s+site\.yml$/);
    expect(lines[2]).toMatch(/^1\s+.*\s+ok\s+0\s+2\s+0\s+site\.yml$/);
    expect((await runs(['list', '-n', '1'], dir)).out.trim().split('\n')).toHaveLength(2);
  });

  it('shows one run: recap, failures with messages, slowest tasks', async () => {
    const { code, out } = await runs(['show', 'last'], dir);
    expect(code).toBe(0);
    expect(out).toContain('Run 2: failed (exit code 2)');
    expect(out).toContain('Command:   tsplay -i inv site.yml');
    expect(out).toContain('b                          : ok=0    changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0');
    expect(out).toContain('  b: failed in deploy app\n      disk full\n      second line');
    expect(out).toMatch(/SLOWEST TASKS\n\s+deploy app\s+1\.5s\s+slowest host a 1\.5s/);
    expect((await runs(['show', '1'], dir)).out).not.toContain('FAILURES');
  });

  it('writes the HTML report to a file or to standard output', async () => {
    const { code, out } = await runs(['report', '2', '-o', 'r.html'], dir);
    expect(code).toBe(0);
    expect(out).toBe(`Run 2 report written to ${join(dir, 'r.html')}\n`);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('disk full');
    expect((await runs(['report', 'last', '--output=-'], dir)).out).toMatch(/^<!DOCTYPE html>/);
  });

  it('reads another database with --db or TSPLAY_HISTORY_DB', async () => {
    const other = mkdtempSync(join(tmpdir(), 'tsplay-runs-other-'));
    writeFileSync(join(other, 'ansible.cfg'), '[defaults]\n');
    expect((await runs(['--db', join(dir, '.tsplay/history.db'), 'list'], other)).out).toContain('site.yml');
    expect((await runs(['list'], other, { TSPLAY_HISTORY_DB: join(dir, '.tsplay/history.db') })).out).toContain('site.yml');
  });

  it('explains mistakes without a stack trace', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tsplay-runs-empty-'));
    writeFileSync(join(empty, 'ansible.cfg'), '[defaults]\n');
    expect(await runs(['list'], empty)).toMatchObject({ code: 1, err: expect.stringMatching(/^tsplay-runs: error: no run history at .*\.tsplay\/history\.db/) });
    expect(await runs(['show', '42'], dir)).toMatchObject({ code: 1, err: expect.stringContaining('no run with ID 42') });
    expect(await runs(['show', 'abc'], dir)).toMatchObject({ code: 1, err: expect.stringContaining("invalid run ID 'abc'") });
    expect(await runs(['report', '1'], dir)).toMatchObject({ code: 2, err: expect.stringContaining('report needs -o FILE') });
    expect(await runs(['frobnicate'], dir)).toMatchObject({ code: 2, err: expect.stringContaining("invalid command 'frobnicate'") });
    expect(await runs([], dir)).toMatchObject({ code: 2, err: expect.stringContaining('usage: tsplay-runs') });
    expect(await runs(['list', '-n', 'x'], dir)).toMatchObject({ code: 2 });
    expect(await runs(['--help'], dir)).toMatchObject({ code: 0, out: expect.stringContaining('tsplay-runs [--db PATH] report ID|last -o FILE') });
  });
});
