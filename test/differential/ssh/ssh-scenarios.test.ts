// The differential suite over SSH: the scenarios of ../scenarios run through
// ansible-playbook (pipelining on) and tsplay against real sshd hosts on loopback, one per
// inventory name; exit code, PLAY RECAP, play and task banners, each task's per-host
// results, and which hosts were logged into must be equal.
//
// A representative subset runs by default (the full set over SSH takes several times
// longer than the local suite); TSPLAY_SSH_SCENARIOS=all runs every scenario, or a
// comma-separated list of name fragments picks some.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SshLab } from '../../harness/index.js';
import { SCENARIOS } from '../harness.js';
import { parseDefaultOutput, statuses } from '../output-parser.js';
import { runBothOverSsh } from './ssh-runner.js';
import { SSH_SUBSET } from './subset.js';

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

function selected(all: string[]): string[] {
  const choice = process.env.TSPLAY_SSH_SCENARIOS;
  if (choice === 'all') return all;
  const names = choice ? choice.split(',') : SSH_SUBSET;
  return all.filter((dir) => names.some((name) => (choice ? relative(SCENARIOS, dir).includes(name) : relative(SCENARIOS, dir) === name)));
}

const dirs = selected(scenarioDirs(SCENARIOS));
const lab = SshLab.create();
afterAll(() => lab.stop());

describe('differential over SSH: the subset', () => {
  it('names existing scenarios only', () => {
    const known = new Set(scenarioDirs(SCENARIOS).map((dir) => relative(SCENARIOS, dir)));
    expect(SSH_SUBSET.filter((name) => !known.has(name))).toEqual([]);
  });
});

describe.concurrent('differential: tsplay vs ansible-playbook (SSH)', () => {
  for (const dir of dirs) {
    it(relative(SCENARIOS, dir), async () => {
      const { spec, ansible, tsplay, targets } = await runBothOverSsh(lab, dir);
      const a = parseDefaultOutput(ansible.stdout);
      const t = parseDefaultOutput(tsplay.stdout);
      const context = `\n--- ansible-playbook (rc=${ansible.code})\n${ansible.stdout}\n${ansible.stderr}\n--- tsplay (rc=${tsplay.code})\n${tsplay.stdout}\n${tsplay.stderr}`;
      expect(targets.length, 'hosts mapped to sshd').toBeGreaterThan(0);
      expect(tsplay.code, `exit code${context}`).toBe(ansible.code);
      expect(t.recap, `recap${context}`).toEqual(a.recap);
      expect(t.plays, `plays${context}`).toEqual(a.plays);
      expect(t.tasks.map((s) => s.banner), `task banners${context}`).toEqual(a.tasks.map((s) => s.banner));
      a.tasks.forEach((section, i) => {
        const mine = t.tasks[i]!;
        if (spec.compare === 'status') expect(statuses(mine), `statuses of ${section.banner}${context}`).toEqual(statuses(section));
        else expect([...mine.lines].sort(), `results of ${section.banner}${context}`).toEqual([...section.lines].sort());
      });
      expect(tsplay.loggedIn, `hosts logged into${context}`).toEqual(ansible.loggedIn);
    });
  }
});
