// The live progress view seen on a real terminal: tmux runs tsplay, capture-pane reads the
// screen while a `pause: seconds=3` task runs. With stdout in a file there is no progress
// and no escape code in the log.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const TSPLAY = join(REPO, 'bin/tsplay.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && process.env.CI) throw new Error('tmux is missing: install the Debian package tmux');

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  tasks:
    - name: say hello
      debug:
        msg: hello
    - name: wait a bit
      pause:
        seconds: 3
    - name: after the pause
      command: "true"
`;

const PROGRESS = /TASK \[wait a bit\] (\d+)\/(\d+) hosts done, slowest: (\S+) (\d+\.\d)s/;

describe.skipIf(!hasTmux)('live progress on a terminal (tmux)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-progress-'));
  writeFileSync(join(dir, 'playbook.yml'), PLAYBOOK);
  writeFileSync(join(dir, 'inventory'), 'web1 ansible_connection=local\n');
  // A private tmux server, a plain sh (no rc files), a fixed size.
  const socket = `tsplay-progress-${process.pid}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const session = 'progress';
  const started = tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '50', '-c', dir, '-e', 'TSPLAY_NO_HISTORY=1', '-e', 'ANSIBLE_NOCOLOR=1', 'sh');
  if (started.status !== 0) throw new Error(started.stderr);
  afterAll(() => tmux('kill-server'));

  const screen = () => tmux('capture-pane', '-p', '-t', session).stdout;

  async function runInPane(command: string, done: RegExp, timeoutMs = 30_000): Promise<string[]> {
    tmux('send-keys', '-t', session, 'clear', 'Enter');
    await new Promise((r) => setTimeout(r, 200));
    tmux('send-keys', '-t', session, command, 'Enter');
    const screens: string[] = [];
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 150));
      const text = screen();
      screens.push(text);
      if (done.test(text)) return screens;
    }
    throw new Error(`timed out; the screen shows:\n${screens.at(-1)}`);
  }

  it('shows a status line that updates while the pause runs, gone from the final screen', async () => {
    const screens = await runInPane(`${process.execPath} ${TSPLAY} -i inventory playbook.yml; echo EXIT=$?`, /EXIT=\d+/);
    const seen = screens.map((s) => PROGRESS.exec(s)).filter((m): m is RegExpExecArray => m !== null);
    const elapsed = [...new Set(seen.map((m) => Number(m[4])))];
    expect(elapsed.length).toBeGreaterThanOrEqual(3);
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
    expect(elapsed.at(-1)! - elapsed[0]!).toBeGreaterThanOrEqual(1.5);
    expect(seen[0]!.slice(1, 4)).toEqual(['0', '1', 'web1']);
    // While the line shows, it is the last line under the log written so far.
    const during = screens.find((s) => PROGRESS.test(s))!.trimEnd().split('\n');
    expect(during.at(-1)).toMatch(PROGRESS);
    expect(during.at(-2)).toMatch(/^\(ctrl\+C then 'C' = continue early, ctrl\+C then 'A' = abort\)$|^Pausing for 3 seconds$/);

    const final = screens.at(-1)!;
    expect(final).not.toMatch(/hosts done/);
    expect(final).toContain('EXIT=0');
    const lines = final.split('\n').map((l) => l.trimEnd());
    const recap = lines.findIndex((l) => l.startsWith('PLAY RECAP'));
    expect(lines.slice(recap - 3, recap + 3)).toEqual([
      'TASK [after the pause] *************************************************************************************************',
      'changed: [web1]',
      '',
      'PLAY RECAP *************************************************************************************************************',
      'web1                       : ok=3    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0',
      '',
    ]);
  });

  it('--no-progress keeps the terminal to the log', async () => {
    const screens = await runInPane(`${process.execPath} ${TSPLAY} -i inventory playbook.yml --no-progress; echo EXIT=$?`, /EXIT=\d+/);
    expect(screens.length).toBeGreaterThan(10);
    expect(screens.some((s) => /hosts done/.test(s))).toBe(false);
  });

  it('writes no progress and no escape code when stdout is a file', async () => {
    const log = join(dir, 'run.log');
    await runInPane(`${process.execPath} ${TSPLAY} -i inventory playbook.yml > ${log}; echo EXIT=$?`, /EXIT=\d+/);
    const text = readFileSync(log, 'utf8');
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\r');
    expect(text).not.toMatch(/hosts done/);
    expect(text).toContain('TASK [wait a bit] ****');
    expect(text).toMatch(/web1 +: ok=3 +changed=1 /);
  });
});
