// The real CLI over SSH with more hosts than Node's default listener limit (10) and the
// default forks (5): every host gets every task, and nothing but the playbook's output
// is printed (no runtime warnings on stderr).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDefaultOutput } from '../differential/output-parser.js';
import { TSPLAY } from '../differential/harness.js';
import { SshLab } from '../harness/index.js';

const lab = SshLab.create();
const dir = mkdtempSync(join(tmpdir(), 'tsplay-ssh-many-'));
afterAll(async () => {
  await lab.stop();
  rmSync(dir, { recursive: true, force: true });
});

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: a directory
      file: { path: /srv/app, state: directory, mode: "0755" }
    - name: a file
      copy: { content: "{{ inventory_hostname }}\\n", dest: /srv/app/name, mode: "0644" }
    - name: read it back
      command: cat /srv/app/name
      register: name
    - name: it holds the host's name
      assert: { that: "name.stdout == inventory_hostname" }
    - name: stat
      stat: { path: /srv/app/name }
`;

describe('many hosts over SSH (real CLI)', () => {
  it.each([
    ['forks 12', ['-f', '12']],
    ['default forks', []],
  ])('runs every task on 12 hosts with %s and writes nothing on stderr', async (_label, forks) => {
    const hosts = lab.hosts.length ? lab.hosts : await lab.startHosts(12, { users: [] });
    // Fresh state for the second run: the first one created the files.
    await Promise.all(hosts.map((h) => h.exec('rm -rf /srv/app')));
    const inventory = hosts.map((h, i) => `host${String(i + 1).padStart(2, '0')} ansible_host=${h.address}`);
    writeFileSync(
      join(dir, 'inventory'),
      `[all]\n${inventory.join('\n')}\n\n[all:vars]\nansible_user=root\nansible_ssh_private_key_file=${lab.keyFile}\n` +
        `ansible_ssh_common_args='-o UserKnownHostsFile=/dev/null'\n`,
    );
    writeFileSync(join(dir, 'playbook.yml'), PLAYBOOK);
    const run = spawnSync(process.execPath, [TSPLAY, '-i', 'inventory', 'playbook.yml', ...forks], {
      cwd: dir,
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False', TSPLAY_NO_HISTORY: '1' },
      encoding: 'utf8',
    });
    const context = `\n--- rc=${run.status}\n${run.stdout}\n--- stderr\n${run.stderr}`;
    expect(run.status, context).toBe(0);
    const recap = parseDefaultOutput(run.stdout).recap;
    expect(Object.keys(recap), context).toHaveLength(12);
    for (const counters of Object.values(recap)) expect(counters, context).toMatchObject({ ok: 5, changed: 3, failed: 0, unreachable: 0 });
    expect(run.stderr, context).toBe('');
  });
});
