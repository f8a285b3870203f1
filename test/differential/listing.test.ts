// --list-tasks, --list-tags and --list-hosts of the article's site playbook (run from
// ../shared/seed, unchanged) must print what ansible-playbook prints.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run, TSPLAY } from './harness.js';
import { sharedPath } from '../fixtures/shared.js';

const SEED = sharedPath('seed');

/** --list-hosts prints a Python set: compare its host lines in sorted order. */
function sortHostLines(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let block: string[] = [];
  for (const line of lines) {
    if (/^ {6}\S/.test(line) && !line.includes('\t')) block.push(line);
    else {
      out.push(...block.sort(), line);
      block = [];
    }
  }
  return [...out, ...block.sort()].join('\n');
}

describe.skipIf(!existsSync(SEED))('listing the seed site playbook', () => {
  const cases: string[][] = [
    ['--list-tasks'],
    ['--list-tags'],
    ['--list-tasks', '-t', 'deploy'],
    ['--list-tasks', '--skip-tags', 'rbenv,nginx'],
    ['--list-hosts'],
    ['--list-hosts', '--list-tasks', '--list-tags'],
  ];
  for (const flags of cases) {
    it(flags.join(' '), async () => {
      const args = [...flags, '-i', 'localhost,', 'playbooks/site.yml'];
      const ansible = await run('ansible-playbook', args, SEED, {});
      const tsplay = await run(process.execPath, [TSPLAY, ...args], SEED, {});
      expect(tsplay.code).toBe(ansible.code);
      expect(sortHostLines(tsplay.stdout)).toBe(sortHostLines(ansible.stdout));
    });
  }

  it('syntax-check of the deploy run accepts the article files unchanged', async () => {
    const args = ['playbooks/site.yml', '-t', 'deploy', '-e', 'project_env=stg', '--syntax-check', '-i', 'localhost,'];
    const tsplay = await run(process.execPath, [TSPLAY, ...args], SEED, {});
    expect(tsplay.stderr).toBe('');
    expect(tsplay.stdout).toBe('\nplaybook: playbooks/site.yml\n');
    expect(tsplay.code).toBe(0);
  });
});
