// The same file tasks over SSH on a host with perl (the worker's file helper answers
// stat, mv, mkdir, ln and file) and on one without (the programs do): the results are the
// same, key for key, once what differs between any two hosts (times, inodes, temporary names) is set aside.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, TSPLAY } from '../../differential/harness.js';
import { SshLab, writeInventory, type Host } from '../../harness/index.js';

const lab = SshLab.create();
let dir: string;
let withPerl: Host;
let withoutPerl: Host;

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: who runs the worker
      shell: w=$(ps -o ppid= -p "$PPID" | tr -d ' '); echo $(ps -o comm= -p "$w") $(ps -o comm= -p "$(ps -o ppid= -p "$w" | tr -d ' ')")
      register: parent
    - debug: var=parent.stdout
    - file: { path: /srv/native/a/b, state: directory, mode: "0750" }
      register: dir
    - copy: { content: "one\\n", dest: /srv/native/a/one.txt, mode: "0640" }
      register: copied
    - copy: { content: "one\\n", dest: /srv/native/a/one.txt, mode: "0640" }
      register: again
    - template: { src: t.j2, dest: /srv/native/a/b/t.sh }
      register: templated
    - file: { src: /srv/native/a/one.txt, dest: /srv/native/link, state: link }
      register: linked
    - file: { src: /srv/native/nowhere, dest: /srv/native/dangling, state: link, force: true }
      register: dangling
    - stat: { path: /srv/native/a/b/t.sh }
      register: script
    - stat: { path: /srv/native/link }
      register: link
    - stat: { path: /srv/native/link, follow: true }
      register: followed
    - stat: { path: /srv/native/missing }
      register: missing
    - file: { path: /srv/native/a/one.txt, state: touch, mode: "0600" }
      register: touched
    - debug:
        msg: "{{ [dir, copied, again, templated, linked, dangling, script, link, followed, missing, touched] | to_json }}"
`;

/** A task result without what differs between two hosts anyway. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (!['atime', 'mtime', 'ctime', 'inode', 'dev', 'diff', 'src'].includes(key)) out[key] = comparable(item);
    }
    return out;
  }
  return value;
}

beforeAll(async () => {
  [withPerl, withoutPerl] = await lab.startHosts(2);
  await withoutPerl!.exec(['/bin/sh', '-c', 'rm -f /usr/bin/perl /usr/bin/perl5*']);
  dir = mkdtempSync(join(tmpdir(), 'tsplay-native-worker-'));
  writeFileSync(join(dir, 'playbook.yml'), PLAYBOOK);
  writeFileSync(join(dir, 't.j2'), '#!/bin/sh\necho {{ 6 * 7 }}\n');
  const hostVars = (host: Host) => ({ ansible_host: host.address, ansible_port: host.port, ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile });
  writeInventory(join(dir, 'inventory'), { hosts: [{ name: 'perl', vars: hostVars(withPerl!) }, { name: 'noperl', vars: hostVars(withoutPerl!) }] }, { all: { ansible_ssh_common_args: '-o UserKnownHostsFile=/dev/null' } });
});

afterAll(async () => {
  await lab.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('file tasks with and without the file helper', () => {
  it('give the same results', async () => {
    const output = await run(process.execPath, [TSPLAY, '-i', 'inventory', 'playbook.yml'], dir, {});
    expect(output.code, output.stdout + output.stderr).toBe(0);
    // The helper stands between sshd and the worker shell on the host with perl only,
    // started by the login shell itself (no /bin/sh between sshd and perl); without perl
    // the worker starts in a second channel, as /bin/sh.
    const parents = [...output.stdout.matchAll(/ok: \[(\w+)\] => \{\n {4}"parent.stdout": "(\w+ \w+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(parents.sort()).toEqual(['noperl sshd sshd', 'perl perl sshd']);
    const results = new Map<string, unknown>();
    for (const m of output.stdout.matchAll(/ok: \[(\w+)\] => \{\n {4}"msg": ("(?:[^"\\]|\\.)*")/g)) {
      results.set(m[1]!, comparable(JSON.parse(JSON.parse(m[2]!) as string)));
    }
    expect([...results.keys()].sort()).toEqual(['noperl', 'perl']);
    expect(results.get('perl')).toEqual(results.get('noperl'));
    expect(output.stdout).toMatch(/perl\s+: ok=14\s+changed=7 /);
    expect(output.stdout).toMatch(/noperl\s+: ok=14\s+changed=7 /);
  });
});
