// Password files that cannot give a password: tsplay refuses them as ansible-playbook
// does, with its message and exit code, before anything runs (and never prints what a
// file holds). A run that only lists or checks syntax reads no password file. That the
// passwords they hold work is tested with a real sudo in secrets.test.ts.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../fuzz/in-process-cli.js';

let dir: string;

const SECRET = 'NeverShown-4f1c9a';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-password-files-'));
  writeFileSync(join(dir, 'play.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg=hello\n');
  writeFileSync(join(dir, 'inventory'), 'localhost ansible_connection=local\n');
  writeFileSync(join(dir, 'empty.txt'), ' \n\n');
  writeFileSync(join(dir, 'failing.sh'), `#!/bin/sh\necho 'no password here' >&2\necho ${SECRET}\nexit 3\n`);
  chmodSync(join(dir, 'failing.sh'), 0o755);
  writeFileSync(join(dir, 'pass.txt'), `${SECRET}\n`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function environment(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: join(dir, 'home'), ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: '0', ...extra };
}

function runAnsible(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('ansible-playbook', args, { cwd: dir, env: environment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The line that says what was wrong: Ansible's "ERROR! ..." or argparse's "<prog>: error: ...". */
function complaint(output: string): string | undefined {
  const line = output.split('\n').find((l) => l.startsWith('ERROR!') || / error: /.test(l));
  return line?.replace(/^\S+: error: /, 'error: ');
}

const CASES: [string, string[], Record<string, string>][] = [
  ['a missing --become-password-file', ['--become-password-file', 'missing.txt'], {}],
  ['a --become-password-file holding only whitespace', ['--become-password-file', 'empty.txt'], {}],
  ['a password script that fails', ['--become-password-file', 'failing.sh'], {}],
  ['a missing --connection-password-file', ['--connection-password-file', 'missing.txt'], {}],
  ['a missing ANSIBLE_BECOME_PASSWORD_FILE', [], { ANSIBLE_BECOME_PASSWORD_FILE: 'missing.txt' }],
  ['a missing ANSIBLE_CONNECTION_PASSWORD_FILE', [], { ANSIBLE_CONNECTION_PASSWORD_FILE: 'missing.txt' }],
  ['-K with --become-password-file', ['-K', '--become-password-file', 'pass.txt'], {}],
  ['--become-pass-file with -K', ['--become-pass-file', 'pass.txt', '-K'], {}],
  ['-k with --connection-password-file', ['-k', '--connection-password-file', 'pass.txt'], {}],
  ['a missing password file when only checking syntax', ['--become-password-file', 'missing.txt', '--syntax-check'], {}],
  ['a missing password file when only listing hosts', ['--connection-password-file', 'missing.txt', '--list-hosts'], {}],
];

describe.concurrent('password files that give no password, as ansible-playbook', () => {
  const ansibleRuns = new Map<string, Promise<{ code: number; stdout: string; stderr: string }>>();
  beforeAll(() => {
    for (const [name, flags, env] of CASES) ansibleRuns.set(name, runAnsible(['-i', 'inventory', 'play.yml', ...flags], env));
  });

  // In-process runs share the process: one at a time, after the ansible-playbook runs started.
  let queue: Promise<unknown> = Promise.resolve();
  for (const [name, flags, env] of CASES) {
    it(name, async () => {
      const mine = (queue = queue.then(() => runInProcess(['-i', 'inventory', 'play.yml', ...flags], { cwd: dir, env: environment(env) })));
      const [ansible, tsplay] = await Promise.all([ansibleRuns.get(name)!, mine as ReturnType<typeof runInProcess>]);
      const theirs = `${ansible.stdout}\n${ansible.stderr}`;
      const ours = `${tsplay.stdout}\n${tsplay.stderr}`;
      expect(tsplay.code, ours).toBe(ansible.code);
      expect(complaint(ours), ours).toBe(complaint(theirs));
      expect(ours).not.toContain(SECRET);
      expect(tsplay.escaped).toEqual([]);
    }, 60_000);
  }
});
