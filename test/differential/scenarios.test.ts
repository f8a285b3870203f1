// The differential suite: every scenario runs through ansible-playbook and tsplay; exit
// code, PLAY RECAP, the task banners and each task's per-host results must be equal.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDefaultOutput, statuses } from './output-parser.js';
import { runBoth, SCENARIOS } from './harness.js';

function scenarioDirs(root: string): string[] {
  const dirs: string[] = [];
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    if (!statSync(path).isDirectory()) continue;
    if (readdirSync(path).includes('playbook.yml')) dirs.push(path);
    else dirs.push(...scenarioDirs(path));
  }
  return dirs.sort();
}

const only = process.env.TSPLAY_SCENARIOS;
const dirs = scenarioDirs(SCENARIOS).filter((d) => !only || only.split(',').some((o) => d.includes(o)));

describe.concurrent('differential: tsplay vs ansible-playbook (local)', () => {
  for (const dir of dirs) {
    it(relative(SCENARIOS, dir), async () => {
      const { spec, ansible, tsplay } = await runBoth(dir);
      const a = parseDefaultOutput(ansible.stdout);
      const t = parseDefaultOutput(tsplay.stdout);
      const context = `\n--- ansible-playbook (rc=${ansible.code})\n${ansible.stdout}\n${ansible.stderr}\n--- tsplay (rc=${tsplay.code})\n${tsplay.stdout}\n${tsplay.stderr}`;
      expect(tsplay.code, `exit code${context}`).toBe(ansible.code);
      expect(t.recap, `recap${context}`).toEqual(a.recap);
      expect(t.plays, `plays${context}`).toEqual(a.plays);
      expect(t.tasks.map((s) => s.banner), `task banners${context}`).toEqual(a.tasks.map((s) => s.banner));
      a.tasks.forEach((section, i) => {
        const mine = t.tasks[i]!;
        if (spec.compare === 'status') expect(statuses(mine), `statuses of ${section.banner}${context}`).toEqual(statuses(section));
        else expect([...mine.lines].sort(), `results of ${section.banner}${context}`).toEqual([...section.lines].sort());
      });
    });
  }
});
