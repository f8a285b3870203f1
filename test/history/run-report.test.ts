import { describe, expect, it } from 'vitest';
import { blueGreenSamples } from '../../src/history/report/bluegreen.js';
import { renderRunReport } from '../../src/history/report/run-report.js';
import { tickLabel, tickStep } from '../../src/history/report/time-axis.js';
import type { ResultRecord, RunDetail } from '../../src/history/run-model.js';
import { failures, slowestTasks } from '../../src/history/run-summary.js';

const T0 = Date.UTC(2026, 4, 1, 10, 0, 0);

function result(taskSeq: number, host: string, status: ResultRecord['status'], start: number, ms: number, extra: Partial<ResultRecord> = {}): ResultRecord {
  return { taskSeq, host, status, changed: status === 'changed', startedAt: T0 + start, endedAt: T0 + start + ms, durationMs: ms, message: undefined, result: {}, ...extra };
}

function detail(): RunDetail {
  return {
    run: { id: 7, startedAt: T0, endedAt: T0 + 60_000, playbooks: ['deploy.yml'], args: ['-i', 'inv', 'deploy.yml', '-e', 'db_password=<redacted>'], cwd: '/srv/app', user: 'ops', checkMode: false, status: 'failed', exitCode: 2, version: '0.1.0', customStats: undefined },
    plays: [{ seq: 0, name: 'deploy', hosts: ['web'], startedAt: T0 }],
    tasks: [
      { seq: 0, playSeq: 0, name: 'install <app>', action: 'apt', path: '/srv/deploy.yml:4', prefix: 'TASK', startedAt: T0 + 1000 },
      { seq: 1, playSeq: 0, name: 'shift traffic', action: 'elb_target_group_weights', path: undefined, prefix: 'TASK', startedAt: T0 + 20_000 },
      { seq: 2, playSeq: 0, name: 'restart', action: 'service', path: undefined, prefix: 'RUNNING HANDLER', startedAt: T0 + 50_000 },
    ],
    results: [
      result(0, 'web1', 'changed', 1000, 15_000),
      result(0, 'web2', 'failed', 1000, 4_000, { message: 'E: Unable to locate package <app> & "friends"' }),
      result(0, 'web3', 'ok', 1000, 9_000),
      result(1, 'web1', 'changed', 20_000, 2_000, { result: { bluegreen: { weights: { blue: 90, green: 10 }, error_rate: 0.001, requests: 1000, phase: 'canary' } } }),
      result(1, 'web3', 'changed', 20_000, 25_000, {
        result: {
          bluegreen: {
            samples: [
              { at: T0 + 30_000, weights: { blue: 50, green: 50 }, error_rate: 0.002 },
              { at: new Date(T0 + 44_000).toISOString(), weights: { blue: 0, green: 100 }, error_rate: '0.03' },
              { note: 'no data: ignored' },
            ],
          },
        },
      }),
      result(2, 'web1', 'unreachable', 50_000, 9_000, { message: 'ssh: connect to host web1 port 22: Connection refused' }),
    ],
    recap: [
      { host: 'web1', ok: 2, changed: 2, unreachable: 1, failures: 0, skipped: 0, rescued: 0, ignored: 0 },
      { host: 'web2', ok: 0, changed: 0, unreachable: 0, failures: 1, skipped: 0, rescued: 0, ignored: 0 },
      { host: 'web3', ok: 2, changed: 1, unreachable: 0, failures: 0, skipped: 0, rescued: 0, ignored: 0 },
    ],
  };
}

describe('run summary', () => {
  it('lists failures in order and tasks by wall time', () => {
    const d = detail();
    expect(failures(d).map((f) => [f.host, f.task, f.status])).toEqual([
      ['web2', 'install <app>', 'failed'],
      ['web1', 'restart', 'unreachable'],
    ]);
    expect(slowestTasks(d, 2).map((t) => [t.task.name, t.wallMs, t.slowestHost])).toEqual([
      ['shift traffic', 25_000, 'web3'],
      ['install <app>', 15_000, 'web1'],
    ]);
  });
});

describe('blue-green samples', () => {
  it('reads the weights of bluegreen_switch results, before and after the switch', () => {
    const d = detail();
    d.tasks.push({ seq: 3, playSeq: 0, name: 'switch to green', action: 'tsplay.aws.bluegreen_switch', path: undefined, prefix: 'TASK', startedAt: T0 + 52_000 });
    d.results = [result(3, 'localhost', 'changed', 52_000, 6_000, { result: { weights_before: { blue: 100, green: 0 }, weights: { blue: 0, green: 100 }, live_color: 'green' } })];
    expect(blueGreenSamples(d.results, d.tasks).map((s) => [s.at - T0, s.weights, s.phase])).toEqual([
      [52_000, { blue: 100, green: 0 }, undefined],
      [58_000, { blue: 0, green: 100 }, 'green live'],
    ]);
  });

  it('reads one sample, sample lists, set_fact facts and loop items, in time order', () => {
    const d = detail();
    d.results.push(result(1, 'web2', 'ok', 21_000, 1, { result: { ansible_facts: { bluegreen: { weights: { blue: 70, green: 30 } } } } }));
    d.results.push(result(1, 'web2', 'ok', 22_000, 1, { result: { results: [{ bluegreen: { error_rate: 0.5 } }, { item: 2 }] } }));
    const samples = blueGreenSamples(d.results, d.tasks);
    expect(samples.map((s) => [s.at - T0, s.weights, s.errorRate])).toEqual([
      [21_001, { blue: 70, green: 30 }, undefined],
      [22_000, { blue: 90, green: 10 }, 0.001],
      [22_001, undefined, 0.5],
      [30_000, { blue: 50, green: 50 }, 0.002],
      [44_000, { blue: 0, green: 100 }, 0.03],
    ]);
    expect(samples[1]).toMatchObject({ host: 'web1', task: 'shift traffic', phase: 'canary', requests: 1000 });
  });
});

describe('renderRunReport', () => {
  const html = renderRunReport(detail());

  it('is one self-contained page that cannot reach the network', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
  });

  it('has the recap, the failures with their messages escaped, and one timeline row per host', () => {
    expect(html).toContain('Run #7: deploy.yml');
    expect(html.match(/<tr data-host=/g)).toHaveLength(3);
    expect(html).toContain('E: Unable to locate package &lt;app&gt; &amp; &quot;friends&quot;');
    expect(html).not.toContain('<app>');
    expect(html.match(/<g class="timeline-row/g)).toHaveLength(3);
    expect(html).toContain('<g class="timeline-row has-failure" data-host="web2">');
    expect(html.match(/<rect class="bar /g)).toHaveLength(6);
    expect(html).toContain('db_password=&lt;redacted&gt;');
  });

  it('charts blue-green weights per target group and the error rate', () => {
    expect(html).toContain('id="bluegreen"');
    expect(html.match(/class="weight-line" data-group="(blue|green)"/g)).toEqual(['class="weight-line" data-group="blue"', 'class="weight-line" data-group="green"']);
    expect(html).toContain('class="error-rate-line"');
    const plain = renderRunReport({ ...detail(), results: detail().results.filter((r) => !('bluegreen' in r.result)) });
    expect(plain).not.toContain('id="bluegreen"');
  });
});

describe('time axis', () => {
  it('picks readable steps and labels', () => {
    expect(tickStep(60_000, 10)).toBe(10_000);
    expect(tickStep(1_500, 10)).toBe(200);
    expect(tickStep(3 * 3_600_000, 8)).toBe(1_800_000);
    expect([0, 500, 15_000, 90_000, 120_000, 5_400_000].map(tickLabel)).toEqual(['0', '500ms', '15s', '1m30s', '2m', '1h30m']);
  });
});
