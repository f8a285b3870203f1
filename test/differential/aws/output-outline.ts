// A run's whole stdout as comparable lines: banners, diffs, messages and the recap as
// printed (normalised), each result line cut down to its status, host and item (what the
// result says is compared through results/*.json, where ids can be told from values).
import { normalizeLine } from '../output-parser.js';
import { type CloudNetworks, normalizeValue } from './result-lines.js';

const RESULT_LINE = /^(ok|changed|skipping|fatal|failed|FAILED - RETRYING): \[[^\]]+\]/;

/**
 * Lines no TypeScript runner prints as Ansible does: the last line of a module's Python
 * traceback, which Ansible shows for every AWS failure (fail_json_aws keeps the traceback).
 */
const NOT_COMPARABLE = /^An exception occurred during task execution\. To see the full traceback, use -vvv\. The error was: /;

function headOf(line: string): string {
  const status = RESULT_LINE.exec(line)?.[0] ?? line;
  const item = /\(item=(.*?)\)( =>|$)/.exec(line)?.[1];
  const verdict = /: (FAILED|UNREACHABLE)!/.exec(line)?.[0] ?? '';
  return `${status}${verdict}${item === undefined ? '' : ` (item=${item})`}`;
}

export function outline(stdout: string, clouds: CloudNetworks): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const raw of stdout.split('\n')) {
    const line = normalizeLine(raw);
    if (depth > 0) {
      depth += (line.match(/[{[]/g) ?? []).length - (line.match(/[}\]]/g) ?? []).length;
      continue;
    }
    if (NOT_COMPARABLE.test(line)) continue;
    if (RESULT_LINE.test(line)) {
      out.push(normalizeValue(headOf(line), clouds));
      if (line.endsWith('{') || line.endsWith('[')) depth = 1;
      continue;
    }
    out.push(normalizeValue(line, clouds));
  }
  return out;
}
