// The real CLI against real sshd hosts when things go wrong mid-run: a host whose sshd
// dies is marked UNREACHABLE while the others finish (compared with ansible-playbook on
// the same situation), and Ctrl-C stops the run quickly with the recap so far.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDefaultOutput } from '../differential/output-parser.js';
import { TSPLAY } from '../differential/harness.js';
import { allocateAddress, generateKeyPair, SshLab, type Host, type KeyPair } from '../harness/index.js';

const lab = SshLab.create();
const scratch = mkdtempSync(join(tmpdir(), 'tsplay-ssh-resilience-'));
afterAll(async () => {
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const ENV = {
  ANSIBLE_NOCOLOR: '1',
  ANSIBLE_FORCE_COLOR: '0',
  ANSIBLE_HOST_KEY_CHECKING: 'False',
  ANSIBLE_PIPELINING: 'True',
  ANSIBLE_RETRY_FILES_ENABLED: '0',
  ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
  ANSIBLE_SSH_RETRIES: '0',
  TSPLAY_NO_HISTORY: '1',
};

interface Machine {
  name: string;
  address: string;
  hostKey: KeyPair;
}

function machines(names: string[]): Machine[] {
  return names.map((name) => ({ name, address: allocateAddress(), hostKey: generateKeyPair() }));
}

async function boot(set: readonly Machine[]): Promise<Map<string, Host>> {
  const hosts = await Promise.all(set.map((m) => lab.startHost({ address: m.address, hostKeys: [m.hostKey], users: [] })));
  return new Map(set.map((m, i) => [m.name, hosts[i]!]));
}

function project(set: readonly Machine[], playbook: string): string {
  const dir = mkdtempSync(join(scratch, 'project-'));
  const lines = set.map((m) => `${m.name} ansible_host=${m.address}`);
  writeFileSync(
    join(dir, 'inventory'),
    `[app]\n${lines.join('\n')}\n\n[app:vars]\nansible_user=root\nansible_ssh_private_key_file=${lab.keyFile}\n` +
      `ansible_ssh_common_args='-o UserKnownHostsFile=/dev/null'\n`,
  );
  writeFileSync(join(dir, 'playbook.yml'), playbook);
  return dir;
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  endedAt: number;
}

function start(command: string, args: string[], cwd: string): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, endedAt: Date.now() })));
  return { child, done };
}

/** Waits until a `sleep` runs on every one of `hosts` (the run is inside its long task). */
async function sleepingOn(hosts: readonly Host[], done: Promise<Finished>): Promise<void> {
  let ended = false;
  void done.then(() => (ended = true));
  for (let i = 0; i < 400 && !ended; i++) {
    const sleeping = await Promise.all(hosts.map(async (h) => (await h.exec('pgrep -x sleep || true')).stdout.trim() !== ''));
    if (sleeping.every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const result = await Promise.race([done, Promise.resolve(undefined)]);
  throw new Error(`the long task never ran on every host${result ? `:\n${result.stdout}\n${result.stderr}` : ''}`);
}

// web2's sshd dies while every host runs the long task; the play goes on for web1 and web3.
const SSHD_DIES = `- hosts: app
  gather_facts: false
  tasks:
    - name: before
      command: /bin/true
    - name: long
      command: sleep 3
    - name: after
      command: hostname
    - name: last
      file: { path: /tmp/reached-the-end, state: touch }
`;

async function runWithSshdKilled(runner: 'ansible-playbook' | 'tsplay') {
  const set = machines(['web1', 'web2', 'web3']);
  const hosts = await boot(set);
  const dir = project(set, SSHD_DIES);
  const args = ['-i', 'inventory', 'playbook.yml', '-f', '3'];
  const run = runner === 'tsplay' ? start(process.execPath, [TSPLAY, ...args], dir) : start('ansible-playbook', args, dir);
  // Every host is inside the long task: take web2's SSH away, its sessions included.
  await sleepingOn([...hosts.values()], run.done);
  await hosts.get('web2')!.stopSshd();
  const result = await run.done;
  const reachedEnd = await Promise.all(
    set.map(async (m) => (await hosts.get(m.name)!.exec('test -e /tmp/reached-the-end')).rc === 0),
  );
  await Promise.all([...hosts.values()].map((h) => h.stop()));
  return { ...result, parsed: parseDefaultOutput(result.stdout), reachedEnd };
}

describe('ssh resilience (real CLI, real sshd)', () => {
  it("marks a host whose sshd dies mid-run UNREACHABLE, finishes the others, exits 4 — as ansible-playbook does", async () => {
    const tsplay = await runWithSshdKilled('tsplay');
    const context = `\n--- tsplay (rc=${tsplay.code})\n${tsplay.stdout}\n${tsplay.stderr}`;
    expect(tsplay.code, context).toBe(4);
    expect(tsplay.parsed.recap['web2'], context).toMatchObject({ ok: 1, unreachable: 1, failed: 0 });
    expect(tsplay.parsed.recap['web1'], context).toMatchObject({ ok: 4, changed: 4, unreachable: 0, failed: 0 });
    expect(tsplay.parsed.recap['web3'], context).toMatchObject({ ok: 4, changed: 4, unreachable: 0, failed: 0 });
    const long = tsplay.parsed.tasks.find((t) => t.banner === 'TASK [long]')!;
    expect(long.lines.find((l) => l.includes('[web2]')), context).toMatch(/^fatal: \[web2\]: UNREACHABLE! => \{.*"unreachable": true/);
    expect(tsplay.reachedEnd, context).toEqual([true, false, true]);

    const ansible = await runWithSshdKilled('ansible-playbook');
    const both = `${context}\n--- ansible-playbook (rc=${ansible.code})\n${ansible.stdout}\n${ansible.stderr}`;
    expect(tsplay.code, both).toBe(ansible.code);
    expect(tsplay.parsed.recap, both).toEqual(ansible.parsed.recap);
    expect(tsplay.parsed.tasks.map((t) => t.banner), both).toEqual(ansible.parsed.tasks.map((t) => t.banner));
    expect(tsplay.reachedEnd, both).toEqual(ansible.reachedEnd);
  });

  it('stops within 2 s of Ctrl-C during a long task, prints the recap so far and exits 99', async () => {
    const set = machines(['app1', 'app2']);
    const hosts = await boot(set);
    const dir = project(
      set,
      `- hosts: app
  gather_facts: false
  tasks:
    - name: quick
      command: /bin/true
    - name: long
      command: sleep 60
    - name: never
      command: /bin/true
`,
    );
    const run = start(process.execPath, [TSPLAY, '-i', 'inventory', 'playbook.yml'], dir);
    await sleepingOn([...hosts.values()], run.done);
    const interruptedAt = Date.now();
    run.child.kill('SIGINT');
    const result = await run.done;
    const context = `\n--- tsplay (rc=${result.code}, signal ${result.signal}, ${result.endedAt - interruptedAt} ms after SIGINT)\n${result.stdout}\n${result.stderr}`;
    expect(result.endedAt - interruptedAt, context).toBeLessThan(2000);
    expect(result.code, context).toBe(99);
    expect(result.stderr, context).toContain('User interrupted execution');
    expect(result.stdout, context).not.toContain('TASK [never]');
    const recap = parseDefaultOutput(result.stdout).recap;
    expect(recap['app1'], context).toMatchObject({ ok: 1, changed: 1 });
    expect(recap['app2'], context).toMatchObject({ ok: 1, changed: 1 });
    // The interrupted commands do not outlive the run on the hosts.
    for (const host of hosts.values()) expect((await host.exec('pgrep -x sleep || true')).stdout.trim(), context).toBe('');
    await Promise.all([...hosts.values()].map((h) => h.stop()));
  });
});
