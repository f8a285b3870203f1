// CPU time a host has used so far (a benchmark helper): every process of its tree,
// alive ones with the time of the children they reaped, so work done by commands that
// already ended counts too.
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

function parentsAndTimes(): Map<number, { ppid: number; ticks: number }> {
  const table = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // After the command name: state ppid ... utime(12) stime(13) cutime(14) cstime(15), counted from state = 0.
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      table.set(Number(name), { ppid: Number(fields[1]), ticks });
    } catch {
      /* gone */
    }
  }
  return table;
}

/** CPU seconds of the process tree under `rootPids` (their own time and their reaped children's). */
export function treeCpuSeconds(rootPids: readonly number[]): number {
  const table = parentsAndTimes();
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of table) (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(pid);
  let ticks = 0;
  const stack = [...rootPids];
  while (stack.length) {
    const pid = stack.pop()!;
    ticks += table.get(pid)?.ticks ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks / CLOCK_TICKS;
}
