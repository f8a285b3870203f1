// Text views of the run history for `tsplay-runs list` and `tsplay-runs show`.
import type { RunDetail, RunRecord } from '../../history/run-model.js';
import { failures, formatMs, runEnd, slowestTasks } from '../../history/run-summary.js';

const pad = (n: number) => String(n).padStart(2, '0');

export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function statusText(run: RunRecord): string {
  if (run.status === 'running' && run.endedAt !== undefined) return 'finished';
  return run.status;
}

export function formatRunList(runs: (RunRecord & { hosts: number; failedHosts: number })[]): string {
  if (runs.length === 0) return 'No runs recorded yet.';
  const rows = [['ID', 'STARTED', 'DURATION', 'STATUS', 'EXIT', 'HOSTS', 'FAILED', 'PLAYBOOK']];
  for (const run of runs) {
    rows.push([
      String(run.id),
      localTime(run.startedAt),
      run.endedAt === undefined ? '-' : formatMs(run.endedAt - run.startedAt),
      statusText(run),
      run.exitCode === undefined ? '-' : String(run.exitCode),
      String(run.hosts),
      String(run.failedHosts),
      run.playbooks.join(' '),
    ]);
  }
  return table(rows);
}

/** A PLAY RECAP line as Ansible prints it (without colour). */
export function recapLine(r: RunDetail['recap'][number]): string {
  const field = (name: string, value: number) => `${name}=${String(value).padEnd(4)}`;
  return `${r.host.padEnd(26)} : ${[
    field('ok', r.ok),
    field('changed', r.changed),
    field('unreachable', r.unreachable),
    field('failed', r.failures),
    field('skipped', r.skipped),
    field('rescued', r.rescued),
    field('ignored', r.ignored),
  ].join(' ')}`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

export function formatRunDetail(detail: RunDetail): string {
  const { run } = detail;
  const end = runEnd(detail);
  const out: string[] = [];
  out.push(`Run ${run.id}: ${statusText(run)}${run.exitCode === undefined ? '' : ` (exit code ${run.exitCode})`}`);
  out.push(`Playbook:  ${run.playbooks.join(' ')}`);
  out.push(`Started:   ${localTime(run.startedAt)}, took ${formatMs(end - run.startedAt)}${run.checkMode ? ', check mode' : ''}`);
  out.push(`Command:   tsplay ${run.args.join(' ')}`);
  out.push(`Directory: ${run.cwd} (user ${run.user}, tsplay ${run.version})`);
  out.push('');
  out.push('PLAY RECAP');
  if (detail.recap.length) for (const r of detail.recap) out.push(recapLine(r));
  else out.push('  (no recap recorded: the run did not reach its end)');
  const failed = failures(detail);
  if (failed.length) {
    out.push('');
    out.push(`FAILURES (${failed.length})`);
    for (const f of failed) {
      out.push(`  ${f.host}: ${f.status === 'ignored' ? 'failed (ignored)' : f.status} in ${f.task}`);
      if (f.message) out.push(indent(f.message, '      '));
    }
  }
  const slow = slowestTasks(detail, 10);
  if (slow.length) {
    out.push('');
    out.push('SLOWEST TASKS');
    const rows = slow.map((t) => [`  ${t.task.name}`, formatMs(t.wallMs), `slowest host ${t.slowestHost ?? '-'} ${formatMs(t.slowestMs)}`]);
    out.push(table(rows));
  }
  out.push('');
  out.push(`${detail.tasks.length} tasks, ${detail.results.length} host results.`);
  return out.join('\n');
}
