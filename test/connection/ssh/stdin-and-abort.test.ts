// Command stdin as text (carried by printf, no base64 process) and abort: over a real
// sshd, the bytes arrive exactly, and an aborted command is killed on the host, even
// when the connection is closed right after the abort (Ctrl-C), without a new
// connection left open behind it.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshConnection } from '../../../src/connection/ssh/index.js';
import type { SshConnection } from '../../../src/connection/ssh/ssh-connection.js';
import { SshLab, type Host } from '../../harness/index.js';

const lab = SshLab.create();
let host: Host;
let conn: SshConnection;

beforeAll(async () => {
  host = await lab.startHost();
  lab.trust();
  conn = createSshConnection(host.hostname, lab.settings(host));
});

afterAll(async () => {
  await conn.close();
  await lab.stop();
});

const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest('hex');

describe('text stdin', () => {
  it('arrives byte for byte: quotes, shell syntax, CR, no final newline, multi-byte UTF-8, large', async () => {
    const texts = [
      "it's \"quoted\" $HOME `id` $(id) \\ \\n '\\''\r\n",
      'no final newline',
      'héllo wörld ✓ 日本\n',
      `${"line with 'quotes' and $vars\n".repeat(150_000)}end`,
    ];
    for (const text of texts) {
      const r = await conn.run('cat > /tmp/stdin-copy; sha1sum < /tmp/stdin-copy; wc -c < /tmp/stdin-copy', { stdin: text });
      expect(r.stdout).toBe(`${sha1(text)}  -\n${Buffer.byteLength(text)}\n`);
    }
  });

  it('writes text files byte for byte', async () => {
    const text = "a 'b' \"c\" $d\n\\e\tf\r\n✓";
    await conn.writeFile('/tmp/text-stdin', text, { mode: 0o600 });
    expect((await conn.readFile('/tmp/text-stdin')).toString('utf8')).toBe(text);
  });

  it('keeps invalid UTF-8 and NUL bytes exact (base64 path)', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x0a, 0xc3]);
    const r = await conn.run('od -An -tx1 | tr -d " \\n"', { stdin: bytes });
    expect(r.stdout).toBe(bytes.toString('hex'));
  });
});

describe('abort', () => {
  it('kills the running command on the host and rejects with the reason', async () => {
    const controller = new AbortController();
    const running = conn.run(['sleep', '77.5'], { signal: controller.signal });
    for (let i = 0; i < 50 && !(await host.exec('pgrep -x sleep || true')).stdout.trim(); i++) await new Promise((r) => setTimeout(r, 20));
    const reason = new Error('interrupted');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect((await host.exec('pgrep -x sleep || true')).stdout.trim()).toBe('');
    expect((await conn.run('echo still usable')).stdout).toBe('still usable\n');
  });

  it('still kills the command when the connection closes right after the abort, and leaves no session open', async () => {
    const other = createSshConnection(host.hostname, lab.settings(host));
    const controller = new AbortController();
    const running = other.run(['sleep', '88.5'], { signal: controller.signal }).catch((error: unknown) => error);
    for (let i = 0; i < 50 && !(await host.exec('pgrep -x sleep || true')).stdout.trim(); i++) await new Promise((r) => setTimeout(r, 20));
    controller.abort(new Error('interrupted'));
    await other.close();
    expect(await running).toBeInstanceOf(Error);
    expect((await host.exec('pgrep -x sleep || true')).stdout.trim()).toBe('');
    await new Promise((r) => setTimeout(r, 300));
    const sessions = await host.exec('ps -eo args | grep -c "^sshd: root@notty" || true');
    // Only the first test's connection (still open) remains.
    expect(Number(sessions.stdout.trim())).toBe(1);
  });
});

describe('one abort signal shared by many commands', () => {
  it('adds one listener to the signal whatever the number of commands at once, and aborts them all', async () => {
    const controller = new AbortController();
    const listeners: unknown[] = [];
    const add = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners.push(args[1]);
      add(...args);
    }) as typeof controller.signal.addEventListener;
    const others = Array.from({ length: 12 }, () => createSshConnection(host.hostname, lab.settings(host)));
    try {
      const done = await Promise.all(others.map((c) => c.run(['true'], { signal: controller.signal })));
      expect(done.map((r) => r.rc)).toEqual(Array(12).fill(0));
      const running = others.map((c) => c.run(['sleep', '30'], { signal: controller.signal }).catch((error: unknown) => error));
      for (let i = 0; i < 100 && (await host.exec('pgrep -xc sleep || true')).stdout.trim() !== '12'; i++) await new Promise((r) => setTimeout(r, 20));
      controller.abort(new Error('stop all'));
      expect((await Promise.all(running)).map((e) => (e as Error).message)).toEqual(Array(12).fill('stop all'));
      expect(listeners).toHaveLength(1);
    } finally {
      await Promise.all(others.map((c) => c.close()));
    }
  });
});
