// Reads ansible-playbook's default output into what the differential tests compare:
// plays, task banners with the per-host result lines under each, and the recap.

export interface TaskSection {
  banner: string;
  /** Result lines (ok/changed/skipping/fatal/failed/included/...ignoring), normalised. */
  lines: string[];
}

export interface ParsedRun {
  plays: string[];
  tasks: TaskSection[];
  recap: Record<string, Record<string, number>>;
  /** Every stdout line after normalisation, in order. */
  all: string[];
}

const BANNER = /^(PLAY|TASK|RUNNING HANDLER|PLAY RECAP|NO MORE HOSTS LEFT|CLEANUP TASK)( \[.*\])? \*+$/;
const RESULT_LINE = /^(ok|changed|skipping|fatal|failed|included|\.\.\.ignoring|FAILED - RETRYING)/;

/** Values that differ between any two runs (timestamps, durations, temp paths). */
export function normalizeLine(line: string): string {
  return line
    .replace(/"(start|end|stop)": "[^"]*"/g, '"$1": "<time>"')
    .replace(/"delta": ("[^"]*"|\d+)/g, '"delta": "<delta>"')
    .replace(/\.ansible\/tmp\/[^"'/ ]+/g, '.ansible/tmp/<tmp>')
    .replace(/\s+$/, '');
}

export function parseDefaultOutput(stdout: string): ParsedRun {
  const run: ParsedRun = { plays: [], tasks: [], recap: {}, all: [] };
  let current: TaskSection | undefined;
  let inRecap = false;
  let jsonDepth = 0;
  for (const raw of stdout.split('\n')) {
    const line = normalizeLine(raw);
    run.all.push(line);
    const banner = BANNER.exec(line);
    if (banner) {
      const title = line.replace(/ \*+$/, '');
      inRecap = title === 'PLAY RECAP';
      if (title.startsWith('PLAY [') || title === 'PLAY') {
        run.plays.push(title);
        current = undefined;
      } else if (!inRecap) {
        current = { banner: title, lines: [] };
        run.tasks.push(current);
      }
      continue;
    }
    if (inRecap) {
      const m = /^(\S+)\s+:\s+(.*)$/.exec(line);
      if (m) {
        const counters: Record<string, number> = {};
        for (const part of m[2]!.trim().split(/\s+/)) {
          const [k, v] = part.split('=');
          if (k && v !== undefined) counters[k] = Number(v);
        }
        run.recap[m[1]!] = counters;
      }
      continue;
    }
    if (!current) continue;
    if (jsonDepth > 0) {
      // Continuation of a multi-line (verbose) result: keep it with its result line.
      current.lines[current.lines.length - 1] += `\n${line}`;
      jsonDepth += (line.match(/[{[]/g) ?? []).length - (line.match(/[}\]]/g) ?? []).length;
      continue;
    }
    if (RESULT_LINE.test(line)) {
      current.lines.push(line);
      if (line.endsWith('{') || line.endsWith('[')) jsonDepth = 1;
    }
  }
  return run;
}

/** The status word of each result line with its host, e.g. "ok localhost". */
export function statuses(section: TaskSection): string[] {
  return section.lines
    .map((line) => {
      const m = /^(ok|changed|skipping|fatal|failed): \[([^\]]+)\](?:: (FAILED|UNREACHABLE)!)?(?: => \(item=(.*?)\))?/.exec(line) ??
        /^(failed): \[([^\]]+)\] \(item=(.*?)\)/.exec(line);
      if (!m) return line.startsWith('...ignoring') ? 'ignoring' : line.split(' ')[0]!;
      return [m[1], m[2], m[3] ?? '', m[4] ?? ''].join(' ').trim();
    })
    .sort();
}
