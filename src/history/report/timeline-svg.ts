// The host x task timeline: one row per host, one bar per task result placed at the
// time the host worked on it and coloured by its status.
import type { RunDetail } from '../run-model.js';
import { formatMs, hostsOf, runEnd } from '../run-summary.js';
import { esc, num } from './html.js';
import { timeAxis } from './time-axis.js';

const LABEL_WIDTH = 170;
const PLOT_WIDTH = 960;
const ROW_HEIGHT = 18;
const TOP = 34;

export function timelineSvg(detail: RunDetail): string {
  const hosts = hostsOf(detail);
  const t0 = detail.run.startedAt;
  const span = Math.max(1, runEnd(detail) - t0);
  const scale = PLOT_WIDTH / span;
  const height = TOP + hosts.length * ROW_HEIGHT + 8;
  const width = LABEL_WIDTH + PLOT_WIDTH + 20;
  const names = new Map(detail.tasks.map((t) => [t.seq, t.name]));
  const rowOf = new Map(hosts.map((h, i) => [h, i]));

  const rows: string[][] = hosts.map(() => []);
  for (const r of detail.results) {
    const row = rowOf.get(r.host)!;
    const x = LABEL_WIDTH + (r.startedAt - t0) * scale;
    const w = Math.max(1.5, (r.endedAt - r.startedAt) * scale);
    const task = names.get(r.taskSeq) ?? '';
    const y = TOP + row * ROW_HEIGHT + 3;
    rows[row]!.push(
      `<rect class="bar s-${r.status}" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${ROW_HEIGHT - 6}" ` +
        `data-task="${esc(task)}" data-host="${esc(r.host)}" data-status="${r.status}" data-duration="${esc(formatMs(r.durationMs))}"` +
        `${r.message ? ` data-message="${esc(r.message)}"` : ''}><title>${esc(`${task} on ${r.host}: ${r.status}, ${formatMs(r.durationMs)}${r.message ? `\n${r.message}` : ''}`)}</title></rect>`,
    );
  }

  const failedHosts = new Set(detail.results.filter((r) => r.status === 'failed' || r.status === 'unreachable').map((r) => r.host));
  const backgrounds = hosts.map((_, i) => `<rect class="row-bg${i % 2 ? ' odd' : ''}" x="0" y="${TOP + i * ROW_HEIGHT}" width="${width}" height="${ROW_HEIGHT}"/>`).join('');
  const body = hosts
    .map((host, i) => {
      const y = TOP + i * ROW_HEIGHT;
      return (
        `<g class="timeline-row${failedHosts.has(host) ? ' has-failure' : ''}" data-host="${esc(host)}">` +
        `<text class="host" x="${LABEL_WIDTH - 8}" y="${y + ROW_HEIGHT - 5}" text-anchor="end">${esc(host)}</text>` +
        rows[i]!.join('') +
        '</g>'
      );
    })
    .join('');

  const taskLines = detail.tasks
    .map((t) => {
      const x = LABEL_WIDTH + (t.startedAt - t0) * scale;
      return `<line class="task-start" x1="${num(x)}" y1="${TOP}" x2="${num(x)}" y2="${height - 8}"><title>${esc(`${t.prefix} [${t.name}]`)}</title></line>`;
    })
    .join('');

  return (
    `<svg id="timeline-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Host by task timeline">` +
    backgrounds +
    timeAxis(span, LABEL_WIDTH, scale, TOP, height - 8) +
    taskLines +
    body +
    '</svg>'
  );
}
