// A time axis for the report's charts: seconds since the run started, with tick steps
// that read well (1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1 h...).
import { esc, num } from './html.js';

const STEPS_MS = [100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000];

export function tickStep(spanMs: number, maxTicks: number): number {
  return STEPS_MS.find((step) => spanMs / step <= maxTicks) ?? Math.ceil(spanMs / maxTicks / 3_600_000) * 3_600_000;
}

export function tickLabel(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${ms / 1000}s`;
  if (ms < 3_600_000) return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.floor(ms / 60_000)}m${String((ms % 60_000) / 1000).padStart(2, '0')}s`;
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.floor(ms / 3_600_000)}h${String(Math.floor((ms % 3_600_000) / 60_000)).padStart(2, '0')}m`;
}

/** Vertical grid lines and labels for x = left + ms * scale, from top to bottom. */
export function timeAxis(spanMs: number, left: number, scale: number, top: number, bottom: number, maxTicks = 10): string {
  const step = tickStep(Math.max(spanMs, 1), maxTicks);
  const parts: string[] = [];
  for (let t = 0; t <= spanMs + 1e-9; t += step) {
    const x = left + t * scale;
    parts.push(`<line class="grid" x1="${num(x)}" y1="${num(top)}" x2="${num(x)}" y2="${num(bottom)}"/>`);
    parts.push(`<text class="tick" x="${num(x)}" y="${num(top - 6)}" text-anchor="middle">${esc(tickLabel(t))}</text>`);
  }
  return parts.join('');
}
