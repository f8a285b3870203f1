// profile_tasks and timer output compared with ansible-playbook's (ansible.posix callbacks,
// from the Debian `ansible` package), times masked.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, TSPLAY } from '../../differential/harness.js';

const POSIX_CALLBACKS = '/usr/lib/python3/dist-packages/ansible_collections/ansible/posix/plugins/callback/profile_tasks.py';

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  tasks:
    - name: sleep a little
      command: sleep 0.3
      notify: restart
    - debug:
        msg: "{{ inventory_hostname }}"
    - name: loop over items
      command: "echo {{ item }}"
      loop: [1, 2]
    - name: skipped on purpose
      command: /bin/false
      when: false
  handlers:
    - name: restart
      command: "true"

- name: second play
  hosts: h1
  gather_facts: false
  tasks:
    - name: one more
      command: sleep 0.1
`;

function normalize(text: string): string {
  return text
    .replace(/^\w+day \d\d \w+ \d{4} {2}\d\d:\d\d:\d\d [+-]\d{4} \(\d+:\d\d:\d\d\.\d{3}\) {7}\d+:\d\d:\d\d\.\d{3} \*+ $/gm, '<timestamp>')
    .replace(/ \d+\.\d\ds$/gm, ' N.NNs')
    .replace(/^Playbook run took \d+ days, \d+ hours, \d+ minutes, \d+ seconds$/gm, 'Playbook run took <time>');
}

describe.skipIf(!existsSync(POSIX_CALLBACKS) && !process.env.CI)('profile_tasks and timer against ansible-playbook', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-profile-diff-'));
  writeFileSync(join(dir, 'playbook.yml'), PLAYBOOK);
  writeFileSync(join(dir, 'inventory'), 'h1 ansible_connection=local\nh2 ansible_connection=local\n');
  const env = { ANSIBLE_CALLBACKS_ENABLED: 'profile_tasks,timer', PROFILE_TASKS_SORT_ORDER: 'none' };

  it('prints the same lines, in the same places', async () => {
    const args = ['-i', 'inventory', 'playbook.yml', '-f', '1'];
    const [ansible, tsplay] = await Promise.all([run('ansible-playbook', args, dir, env), run(process.execPath, [TSPLAY, ...args], dir, env)]);
    expect(ansible.code).toBe(0);
    expect(tsplay.code).toBe(0);
    expect(normalize(ansible.stdout)).toContain('<timestamp>\n===');
    expect(normalize(tsplay.stdout)).toBe(normalize(ansible.stdout));
  });

  it('-vv adds each task path under its time, as Ansible', async () => {
    const args = ['-i', 'inventory', 'playbook.yml', '-f', '1', '-vv'];
    const [ansible, tsplay] = await Promise.all([run('ansible-playbook', args, dir, env), run(process.execPath, [TSPLAY, ...args], dir, env)]);
    const summary = (out: string) => normalize(out).split('='.repeat(79))[1]!.trim();
    expect(summary(tsplay.stdout)).toBe(summary(ansible.stdout));
    expect(summary(tsplay.stdout)).toContain(`${join(dir, 'playbook.yml')}:5 ---`);
  });

  it('--profile leaves the task log as it is and adds the same summary after the recap', async () => {
    const args = ['-i', 'inventory', 'playbook.yml', '-f', '1'];
    const [plain, withEnv, withFlag] = await Promise.all([
      run(process.execPath, [TSPLAY, ...args], dir, { PROFILE_TASKS_SORT_ORDER: 'none' }),
      run(process.execPath, [TSPLAY, ...args], dir, env),
      run(process.execPath, [TSPLAY, ...args, '--profile'], dir, { PROFILE_TASKS_SORT_ORDER: 'none' }),
    ]);
    const summary = normalize(withEnv.stdout).slice(normalize(withEnv.stdout).lastIndexOf('\n<timestamp>\n'));
    expect(summary).toMatch(/^\n<timestamp>\n={79} \nsleep a little -+ N\.NNs\n/);
    expect(normalize(withFlag.stdout)).toBe(normalize(plain.stdout).replace(/\n$/, '') + summary);
    expect(withFlag.stdout).toMatch(/Playbook run took 0 days, 0 hours, 0 minutes, \d+ seconds\n$/);
  });
});
