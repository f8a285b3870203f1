// The blue-green chart: target-group weights as step lines and the error rate (right
// axis, percent) over the run's time.
import type { BlueGreenSample } from './bluegreen.js';
import { esc, num } from './html.js';
import { timeAxis } from './time-axis.js';

const LEFT = 60;
const PLOT_WIDTH = 900;
const PLOT_HEIGHT = 220;
const TOP = 34;
const PALETTE = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#17becf', '#bcbd22', '#7f7f7f'];

function groupColor(name: string, index: number): string {
  if (/blue/i.test(name)) return '#1f77b4';
  if (/green/i.test(name)) return '#2ca02c';
  return PALETTE[(index + 2) % PALETTE.length]!;
}

export function blueGreenSvg(samples: readonly BlueGreenSample[], t0: number, tEnd: number): string {
  const span = Math.max(1, tEnd - t0, ...samples.map((s) => s.at - t0));
  const xScale = PLOT_WIDTH / span;
  const x = (at: number) => LEFT + Math.max(0, at - t0) * xScale;
  const bottom = TOP + PLOT_HEIGHT;
  const groups = [...new Set(samples.flatMap((s) => Object.keys(s.weights ?? {})))];
  const maxWeight = Math.max(100, ...samples.flatMap((s) => Object.values(s.weights ?? {})));
  const yWeight = (w: number) => bottom - (w / maxWeight) * PLOT_HEIGHT;
  const rates = samples.filter((s) => s.errorRate !== undefined);
  const maxRate = Math.max(0.01, ...rates.map((s) => s.errorRate!)) * 1.15;
  const yRate = (r: number) => bottom - (r / maxRate) * PLOT_HEIGHT;
  const parts: string[] = [];

  parts.push(timeAxis(span, LEFT, xScale, TOP, bottom, 8));
  for (let w = 0; w <= maxWeight; w += maxWeight / 4) {
    parts.push(`<line class="grid" x1="${LEFT}" y1="${num(yWeight(w))}" x2="${LEFT + PLOT_WIDTH}" y2="${num(yWeight(w))}"/>`);
    parts.push(`<text class="tick" x="${LEFT - 6}" y="${num(yWeight(w) + 4)}" text-anchor="end">${esc(num(w))}</text>`);
  }
  if (rates.length) {
    for (let i = 0; i <= 4; i++) {
      const r = (maxRate / 4) * i;
      parts.push(`<text class="tick rate" x="${LEFT + PLOT_WIDTH + 6}" y="${num(yRate(r) + 4)}">${esc(`${(r * 100).toFixed(2)}%`)}</text>`);
    }
  }

  groups.forEach((group, index) => {
    const points = samples.filter((s) => s.weights && group in s.weights);
    if (points.length === 0) return;
    let d = '';
    let lastY: number | undefined;
    for (const p of points) {
      const px = x(p.at);
      const py = yWeight(p.weights![group]!);
      d += lastY === undefined ? `M${num(px)},${num(py)}` : `H${num(px)}V${num(py)}`;
      lastY = py;
    }
    d += `H${LEFT + PLOT_WIDTH}`;
    const color = groupColor(group, index);
    parts.push(`<path class="weight-line" data-group="${esc(group)}" d="${d}" stroke="${color}" fill="none" stroke-width="2.5"/>`);
    for (const p of points) {
      parts.push(
        `<circle cx="${num(x(p.at))}" cy="${num(yWeight(p.weights![group]!))}" r="3.5" fill="${color}"><title>${esc(`${group}: weight ${p.weights![group]} (${p.task}${p.phase ? `, ${p.phase}` : ''})`)}</title></circle>`,
      );
    }
  });

  if (rates.length) {
    const d = rates.map((s, i) => `${i === 0 ? 'M' : 'L'}${num(x(s.at))},${num(yRate(s.errorRate!))}`).join('');
    parts.push(`<path class="error-rate-line" d="${d}" stroke="#d62728" fill="none" stroke-width="2" stroke-dasharray="5 3"/>`);
    for (const s of rates) {
      parts.push(
        `<circle cx="${num(x(s.at))}" cy="${num(yRate(s.errorRate!))}" r="3" fill="#d62728"><title>${esc(`error rate ${(s.errorRate! * 100).toFixed(2)}%${s.requests !== undefined ? ` of ${s.requests} requests` : ''} (${s.task})`)}</title></circle>`,
      );
    }
  }

  const legend = [
    ...groups.map((g, i) => `<span class="legend-item"><i style="background:${groupColor(g, i)}"></i>${esc(g)} weight</span>`),
    ...(rates.length ? ['<span class="legend-item"><i class="dashed"></i>error rate</span>'] : []),
  ].join('');
  const width = LEFT + PLOT_WIDTH + 70;
  const height = bottom + 10;
  return (
    `<div class="legend">${legend}</div>` +
    `<svg id="bluegreen-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Target group weights and error rate over time">` +
    `<text class="axis-title" x="${LEFT - 50}" y="${TOP - 20}">weight</text>` +
    (rates.length ? `<text class="axis-title" x="${LEFT + PLOT_WIDTH + 6}" y="${TOP - 20}">errors</text>` : '') +
    parts.join('') +
    '</svg>'
  );
}
