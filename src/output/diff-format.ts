// Renders a module's `diff` (before/after text or data, or a prepared diff) the way
// Ansible's callbacks print it with --diff.
import { pyJsonDumps } from '../template/python/json.js';
import type { ColorName } from './colors.js';
import { unifiedDiff } from './sequence-matcher.js';

type Paint = (text: string, color: ColorName) => string;

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Python's str.splitlines(keepends=True). */
export function splitLinesKeepEnds(text: string): string[] {
  const lines: string[] = [];
  const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push(text.slice(start, m.index + m[0].length));
    start = m.index + m[0].length;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

function side(value: unknown): string {
  if (isMapping(value)) return `${pyJsonDumps(value, { sortKeys: true, indent: 4, ensureAscii: true })}\n`;
  if (value === null || value === undefined) return '';
  return String(value);
}

export function formatDiff(diffs: unknown, paint: Paint, context = 3): string {
  const list = Array.isArray(diffs) ? diffs : [diffs];
  const out: string[] = [];
  for (const diff of list) {
    if (!isMapping(diff)) continue;
    if ('dst_binary' in diff) out.push('diff skipped: destination file appears to be binary\n');
    if ('src_binary' in diff) out.push('diff skipped: source file appears to be binary\n');
    if ('dst_larger' in diff) out.push(`diff skipped: destination file size is greater than ${String(diff.dst_larger)}\n`);
    if ('src_larger' in diff) out.push(`diff skipped: source file size is greater than ${String(diff.src_larger)}\n`);
    if ('before' in diff && 'after' in diff) {
      const beforeHeader = 'before_header' in diff ? `before: ${String(diff.before_header)}` : 'before';
      const afterHeader = 'after_header' in diff ? `after: ${String(diff.after_header)}` : 'after';
      const before = splitLinesKeepEnds(side(diff.before));
      const after = splitLinesKeepEnds(side(diff.after));
      if (before.length && !before[before.length - 1]!.endsWith('\n')) before[before.length - 1] += '\n\\ No newline at end of file\n';
      if (after.length && !after[after.length - 1]!.endsWith('\n')) after[after.length - 1] += '\n\\ No newline at end of file\n';
      const lines = unifiedDiff(before, after, beforeHeader, afterHeader, context);
      for (const line of lines) {
        if (line.startsWith('+')) out.push(paint(line, 'diffAdd'));
        else if (line.startsWith('-')) out.push(paint(line, 'diffRemove'));
        else if (line.startsWith('@@')) out.push(paint(line, 'diffLines'));
        else out.push(line);
      }
      if (lines.length > 0) out.push('\n');
    }
    if ('prepared' in diff) out.push(String(diff.prepared));
  }
  return out.join('');
}
