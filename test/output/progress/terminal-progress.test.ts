import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Display } from '../../../src/output/display.js';
import type { TaskInfo } from '../../../src/output/events.js';
import { createProgressView, TerminalProgress } from '../../../src/output/progress/index.js';

function fakeTty(columns = 80) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  stream.isTTY = true;
  stream.columns = columns;
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

function task(id: number, name: string): TaskInfo {
  return { id, name, action: 'pause', hasLoop: false, checkMode: false, noLog: false, path: undefined, delegateTo: undefined, ignoreUnreachable: false, isHandler: false, isInclude: false };
}

/** What a terminal shows: apply erase-line and cursor-up to the text. */
function screen(text: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('\r\x1b[2K', i)) {
      lines[row] = '';
      i += 4;
    } else if (text.startsWith('\x1b[1A', i)) {
      row--;
      i += 3;
    } else if (text[i] === '\n') {
      row++;
      if (lines[row] === undefined) lines[row] = '';
    } else lines[row] += text[i];
  }
  return lines.slice(0, row + 1);
}

afterEach(() => vi.useRealTimers());

describe('TerminalProgress', () => {
  it('draws a line while hosts work, erases it before log text, and leaves the log as written', () => {
    vi.useFakeTimers();
    const tty = fakeTty();
    const display = new Display({ verbosity: 0, color: false, stdout: tty.stream, stderr: tty.stream });
    let now = 0;
    const progress = new TerminalProgress(display, tty.stream, { intervalMs: 100, showAfterMs: 300, now: () => now });
    const t = task(1, 'wait a bit');
    display.banner('TASK [wait a bit]');
    progress.taskStart(t, 'TASK');
    progress.taskHosts(t, ['h1', 'h2']);
    progress.hostTaskStart('h1', t);
    progress.hostTaskStart('h2', t);
    now = 100;
    vi.advanceTimersByTime(100);
    expect(screen(tty.text()).at(-1)).toBe('');
    now = 1500;
    vi.advanceTimersByTime(100);
    expect(screen(tty.text()).at(-1)).toBe('/ TASK [wait a bit] 0/2 hosts done, slowest: h1 1.5s');
    now = 2500;
    vi.advanceTimersByTime(100);
    expect(screen(tty.text()).at(-1)).toBe('- TASK [wait a bit] 0/2 hosts done, slowest: h1 2.5s');

    display.display('ok: [h1]');
    progress.runnerOk({ host: 'h1', task: t, result: {} });
    display.display('[WARNING]: careful', { stderr: true });
    vi.advanceTimersByTime(100);
    expect(screen(tty.text()).slice(-3)).toEqual(['ok: [h1]', '[WARNING]: careful', '\\ TASK [wait a bit] 1/2 hosts done, slowest: h2 2.5s']);

    display.display('ok: [h2]');
    progress.runnerOk({ host: 'h2', task: t, result: {} });
    vi.advanceTimersByTime(100);
    progress.close();
    display.flush();
    const log = `\nTASK [wait a bit] ${'*'.repeat(62)}\nok: [h1]\n[WARNING]: careful\nok: [h2]\n`;
    expect(screen(tty.text()).join('\n')).toBe(log);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops its timer when no host is at work and erases at the recap', () => {
    vi.useFakeTimers();
    const tty = fakeTty();
    const display = new Display({ verbosity: 0, color: false, stdout: tty.stream });
    let now = 0;
    const progress = new TerminalProgress(display, tty.stream, { intervalMs: 100, showAfterMs: 0, now: () => now });
    const t = task(1, 'x');
    progress.taskHosts(t, ['h1']);
    progress.hostTaskStart('h1', t);
    now = 200;
    vi.advanceTimersByTime(100);
    expect(tty.text()).toContain('TASK [x]');
    progress.stats();
    expect(screen(tty.text())).toEqual(['']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shows at most maxLines lines and sums up the rest', () => {
    vi.useFakeTimers();
    const tty = fakeTty();
    const display = new Display({ verbosity: 0, color: false, stdout: tty.stream });
    const progress = new TerminalProgress(display, tty.stream, { intervalMs: 100, showAfterMs: 0, maxLines: 2, now: () => 0 });
    for (let i = 1; i <= 4; i++) progress.hostTaskStart(`h${i}`, task(i, `t${i}`));
    vi.advanceTimersByTime(100);
    expect(screen(tty.text())).toEqual(['| TASK [t1] 0/1 hosts done, slowest: h1 0.0s', '| TASK [t2] 0/1 hosts done, slowest: h2 0.0s', '  ... and 2 more tasks at work']);
    progress.close();
    expect(screen(tty.text())).toEqual(['']);
  });
});

describe('createProgressView', () => {
  const display = new Display({ verbosity: 0, color: false, stdout: new PassThrough() });
  it('is on for a terminal only', () => {
    expect(createProgressView(display, { disabled: false, stream: fakeTty().stream, env: {} })).toHaveLength(1);
    expect(createProgressView(display, { disabled: true, stream: fakeTty().stream, env: {} })).toHaveLength(0);
    expect(createProgressView(display, { disabled: false, stream: fakeTty().stream, env: { TERM: 'dumb' } })).toHaveLength(0);
    expect(createProgressView(display, { disabled: false, stream: new PassThrough() as unknown as NodeJS.WriteStream, env: {} })).toHaveLength(0);
  });
});
