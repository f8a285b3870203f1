// --diff output of file, copy, template and lineinfile, line for line against
// ansible-playbook (the differential suite compares statuses; this compares everything
// printed, diffs included).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBoth, SCENARIOS } from '../differential/harness.js';

/** Only what differs between any two runs: Ansible's temporary file names. */
const normalize = (text: string) => text.replace(/\.ansible\/tmp\/ansible-(local|tmp)-[^"/ \n]+(\/tmp[a-z0-9_]+)?/g, '.ansible/tmp/<tmp>');

describe('--diff output agrees with ansible-playbook', () => {
  it('file, copy, template, lineinfile', async () => {
    const { ansible, tsplay } = await runBoth(join(SCENARIOS, 'modules', 'diff-output'));
    expect(tsplay.code).toBe(ansible.code);
    expect(normalize(tsplay.stdout)).toBe(normalize(ansible.stdout));
  });
});
