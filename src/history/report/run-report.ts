// One recorded run as a single self-contained HTML page: header, recap, failures, the host x
// task timeline, blue-green weights and error rate (when the run has such samples) and the
// slowest tasks. Everything is inline (CSS, SVG, a little JS); the page's content security
// policy forbids any network access.
import type { RunDetail } from '../run-model.js';
import { failures, formatMs, runEnd, slowestTasks } from '../run-summary.js';
import { blueGreenSamples } from './bluegreen.js';
import { blueGreenSvg } from './bluegreen-svg.js';
import { esc } from './html.js';
import { timelineSvg } from './timeline-svg.js';

const CSS = `
:root { --ok:#3c9a48; --changed:#d08a00; --failed:#d62728; --ignored:#e377c2; --skipped:#9ea3a8; --unreachable:#8e44ad; --fg:#1d2329; --muted:#5f6b76; --line:#dde2e6; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: #f6f7f9; }
header { background: #1d2329; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 6px; font-size: 20px; font-weight: 600; }
header .meta { color: #c6ccd2; font-size: 13px; }
header .meta span { margin-right: 18px; }
header code { color: #fff; }
main { padding: 8px 28px 40px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 18px 0; padding: 14px 18px; overflow-x: auto; }
h2 { font-size: 16px; margin: 0 0 10px; }
table { border-collapse: collapse; }
.scroll { max-height: 360px; overflow-y: auto; }
.scroll thead th { position: sticky; top: 0; background: #fff; }
.summary { color: var(--muted); margin: -4px 0 8px; }
th, td { text-align: left; padding: 4px 12px 4px 0; vertical-align: top; }
th { color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--muted); }
.badge.ok { background: var(--ok); } .badge.failed, .badge.error { background: var(--failed); } .badge.unreachable { background: var(--unreachable); } .badge.interrupted, .badge.running { background: var(--changed); }
.recap .nonzero.failures, .recap .nonzero.unreachable { color: var(--failed); font-weight: 700; }
.recap .nonzero.changed { color: var(--changed); } .recap .nonzero.ok { color: var(--ok); }
.failure { border-left: 4px solid var(--failed); padding: 6px 10px; margin: 8px 0; background: #fdf3f3; }
.failure.ignored { border-color: var(--ignored); background: #fcf4fa; }
.failure.unreachable { border-color: var(--unreachable); background: #f7f2fa; }
.failure .where { font-weight: 600; }
.failure pre { margin: 4px 0 0; white-space: pre-wrap; word-break: break-word; font: 12.5px/1.4 ui-monospace, Menlo, Consolas, monospace; }
svg text { font: 11.5px system-ui, sans-serif; fill: var(--fg); }
svg text.tick { fill: var(--muted); font-size: 10.5px; }
svg text.axis-title { fill: var(--muted); font-size: 11px; }
svg .grid { stroke: #e6e9ec; stroke-width: 1; }
svg .row-bg { fill: #fff; } svg .row-bg.odd { fill: #f7f8fa; }
svg .task-start { stroke: #c9cfd5; stroke-dasharray: 2 3; }
svg .timeline-row.has-failure text.host { fill: var(--failed); font-weight: 700; }
svg .bar { cursor: pointer; } svg .bar:hover { stroke: #000; stroke-width: 1; }
.s-ok { fill: var(--ok); } .s-changed { fill: var(--changed); } .s-failed { fill: var(--failed); } .s-ignored { fill: var(--ignored); } .s-skipped { fill: var(--skipped); } .s-unreachable { fill: var(--unreachable); }
.legend { margin: 4px 0 8px; color: var(--muted); font-size: 12.5px; }
.legend-item { margin-right: 14px; white-space: nowrap; }
.legend-item i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 5px; }
.legend-item i.dashed { height: 0; border-top: 2px dashed #d62728; border-radius: 0; vertical-align: 3px; }
#detail { min-height: 1.6em; margin: 6px 0 0; color: var(--muted); white-space: pre-wrap; font: 12.5px/1.4 ui-monospace, Menlo, Consolas, monospace; }
#host-filter { margin: 0 0 8px; padding: 3px 6px; font: inherit; width: 220px; }
.empty { color: var(--muted); }
`;

// Click a bar to read its details; type in the filter to keep matching hosts.
const SCRIPT = `
(function () {
  var detail = document.getElementById('detail');
  var svg = document.getElementById('timeline-svg');
  if (svg) svg.addEventListener('click', function (e) {
    var bar = e.target.closest ? e.target.closest('rect.bar') : null;
    if (!bar) return;
    var d = bar.dataset;
    detail.textContent = d.host + ' \\u2014 ' + d.task + ' \\u2014 ' + d.status + ', ' + d.duration + (d.message ? '\\n' + d.message : '');
  });
  var filter = document.getElementById('host-filter');
  if (filter) filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    document.querySelectorAll('.timeline-row').forEach(function (row) {
      row.style.opacity = !q || row.getAttribute('data-host').toLowerCase().indexOf(q) >= 0 ? '1' : '0.15';
    });
  });
})();
`;

const STATUSES = ['ok', 'changed', 'failed', 'ignored', 'skipped', 'unreachable'] as const;
const RECAP_COLUMNS = ['ok', 'changed', 'unreachable', 'failures', 'skipped', 'rescued', 'ignored'] as const;

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function renderRunReport(detail: RunDetail): string {
  const { run } = detail;
  const end = runEnd(detail);
  const title = `Run #${run.id}: ${run.playbooks.join(', ')}`;
  const status = run.status === 'running' && run.endedAt !== undefined ? 'finished' : run.status;

  const recapRows = detail.recap
    .map(
      (r) =>
        `<tr data-host="${esc(r.host)}"><td>${esc(r.host)}</td>${RECAP_COLUMNS.map((c) => `<td class="n ${c}${r[c] > 0 ? ' nonzero' : ''}">${r[c]}</td>`).join('')}</tr>`,
    )
    .join('');
  const failedHosts = detail.recap.filter((r) => r.failures > 0).length;
  const unreachableHosts = detail.recap.filter((r) => r.unreachable > 0).length;
  const cleanHosts = detail.recap.filter((r) => r.failures === 0 && r.unreachable === 0).length;
  const summary = `<p class="summary">${detail.recap.length} hosts: ${cleanHosts} without failures, ${failedHosts} failed, ${unreachableHosts} unreachable</p>`;
  const recap = detail.recap.length
    ? `${summary}<div class="scroll"><table class="recap"><thead><tr><th>host</th>${RECAP_COLUMNS.map((c) => `<th>${c === 'failures' ? 'failed' : c}</th>`).join('')}</tr></thead><tbody>${recapRows}</tbody></table></div>`
    : '<p class="empty">No recap was recorded (the run did not reach its end).</p>';

  const failed = failures(detail);
  const failureList = failed.length
    ? failed
        .map(
          (f) =>
            `<div class="failure ${f.status}" data-host="${esc(f.host)}"><div class="where">${esc(f.host)} <span class="badge ${f.status === 'ignored' ? '' : f.status}">${f.status === 'ignored' ? 'failed, ignored' : esc(f.status)}</span> in ${esc(f.task)}</div><pre>${esc(f.message || '(no message)')}</pre></div>`,
        )
        .join('')
    : '<p class="empty">No failures.</p>';

  const samples = blueGreenSamples(detail.results, detail.tasks);
  const blueGreen = samples.length
    ? `<section id="bluegreen"><h2>Blue-green: target-group weights and error rate</h2>${blueGreenSvg(samples, run.startedAt, end)}</section>`
    : '';

  const slow = slowestTasks(detail, 15);
  const slowTable = slow.length
    ? `<table><thead><tr><th>task</th><th>wall time</th><th>hosts</th><th>slowest host</th></tr></thead><tbody>${slow
        .map((t) => `<tr><td>${esc(`${t.task.prefix === 'TASK' ? '' : `${t.task.prefix} `}${t.task.name}`)}</td><td class="n">${esc(formatMs(t.wallMs))}</td><td class="n">${t.hosts}</td><td>${esc(t.slowestHost ?? '')} (${esc(formatMs(t.slowestMs))})</td></tr>`)
        .join('')}</tbody></table>`
    : '<p class="empty">No task ran.</p>';

  const legend = STATUSES.map((s) => `<span class="legend-item"><i class="s-${s}" style="background:var(--${s})"></i>${s}</span>`).join('');

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)} <span class="badge ${esc(status)}" id="run-status">${esc(status)}</span></h1>
<div class="meta"><span>started ${esc(isoTime(run.startedAt))}</span><span>took ${esc(formatMs(end - run.startedAt))}</span><span>exit code ${run.exitCode ?? '?'}</span><span>${detail.recap.length} hosts</span><span>by ${esc(run.user)} in <code>${esc(run.cwd)}</code></span>${run.checkMode ? '<span>check mode</span>' : ''}</div>
<div class="meta"><span>tsplay ${esc(run.args.join(' '))}</span></div>
</header>
<main>
<section id="recap"><h2>Recap</h2>${recap}</section>
<section id="failures"><h2>Failures (${failed.length})</h2>${failureList}</section>
<section id="timeline"><h2>Timeline: hosts by time since start</h2>
<input id="host-filter" type="search" placeholder="filter hosts" aria-label="filter hosts">
<div class="legend">${legend}</div>
${timelineSvg(detail)}
<div id="detail">Click a bar for its details.</div>
</section>
${blueGreen}
<section id="slowest"><h2>Slowest tasks</h2>${slowTable}</section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
