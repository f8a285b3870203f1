// Commands on a terminal (RunOptions.pty: raw and script), checked against OpenSSH's own
// `ssh -tt` run as Ansible runs it (its stdin a fresh pty) on the same host: the same
// bytes (stderr merged into stdout, "\r\n" line ends, the same terminal modes and size),
// the same exit code, and ssh's closing message as stderr. Also: become on the terminal,
// its failures, stdin or use_tty=false meaning no terminal, timeouts, a full MaxSessions,
// and the -vvv report of a task's own command.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BecomeError, CommandTimeoutError, type RunOptions } from '../../../src/connection/connection.js';
import { createSshConnection } from '../../../src/connection/ssh/index.js';
import type { SshSettings } from '../../../src/connection/ssh/settings.js';
import type { SshConnection } from '../../../src/connection/ssh/ssh-connection.js';
import { DEPLOY_PASSWORD, DEPLOY_USER, NOPASSWD_USER, SshLab, type Host } from '../../harness/index.js';

const ANSIBLE_SSH_ARGS = '-C -o ControlMaster=auto -o ControlPersist=60s';
const lab = SshLab.create();
let host: Host;
let crowded: Host;
const open: SshConnection[] = [];

// Runs ssh with a new pty as its stdin and pipes for stdout and stderr, as Ansible's ssh
// connection does for a command without data to send.
const PTY_SSH = `
import base64, json, os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
os.close(slave)
out, err = p.communicate()
print(json.dumps([p.returncode, base64.b64encode(out).decode(), base64.b64encode(err).decode()]))
`;

interface Outcome {
  rc: number;
  stdout: string;
  stderr: string;
}

function sshTerminal(target: Host, sshArgs: string[], command: string): Outcome {
  const argv = [
    'ssh', '-tt', '-F', '/dev/null', ...sshArgs,
    '-o', `UserKnownHostsFile=${lab.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', `IdentityFile=${lab.keyFile}`,
    '-o', 'User=root', target.address, command,
  ];
  const run = spawnSync('python3', ['-c', PTY_SSH, ...argv], { encoding: 'utf8', env: { ...process.env, HOME: lab.home }, timeout: 30_000 });
  if (run.status !== 0) throw new Error(`ssh -tt failed: ${run.stderr}`);
  const [rc, out, err] = JSON.parse(run.stdout) as [number, string, string];
  return { rc, stdout: Buffer.from(out, 'base64').toString('utf8'), stderr: Buffer.from(err, 'base64').toString('utf8') };
}

function connect(target: Host, vars: Record<string, unknown> = {}, overrides: Partial<SshSettings> = {}): SshConnection {
  const conn = createSshConnection(target.hostname, lab.settings(target, vars, {}, overrides));
  open.push(conn);
  return conn;
}

const onTerminal: RunOptions = { pty: true };

beforeAll(async () => {
  process.env.TERM = 'xterm-256color';
  [host, crowded] = await Promise.all([lab.startHost(), lab.startHost({ sshdOptions: { MaxSessions: 2 } })]);
  lab.trust();
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  // The control master `ssh -tt` left behind.
  spawnSync('ssh', ['-F', '/dev/null', '-o', `ControlPath=${lab.dir}/cp-%C`, '-O', 'exit', host.address], { env: { ...process.env, HOME: lab.home } });
  await lab.stop();
});

describe('commands on a terminal over SSH', () => {
  const COMMANDS = [
    "printf 'one\\ntwo\\r\\nthree'; echo to-stderr >&2; printf 'tab\\there\\n'; exit 3",
    'tty >/dev/null && echo "a tty"; stty size; echo "$TERM"; stty -a',
    "echo 'é ü'; /bin/sh -c 'echo $0'",
  ];
  for (const command of COMMANDS) {
    it(`shows what ssh -tt shows: ${command.slice(0, 40)}`, async () => {
      const conn = connect(host, {}, { sshArgs: ANSIBLE_SSH_ARGS });
      const mine = await conn.run(command, onTerminal);
      const theirs = sshTerminal(host, [...ANSIBLE_SSH_ARGS.split(' '), '-o', `ControlPath=${lab.dir}/cp-%C`], command);
      expect(mine).toEqual(theirs);
    });
  }

  it('closes with ssh\'s message: "Connection to" without a control master, none with -q', async () => {
    const plain = await connect(host).run('echo hi', onTerminal);
    expect(plain).toEqual(sshTerminal(host, [], 'echo hi'));
    expect(plain.stderr).toBe(`Connection to ${host.address} closed.\r\n`);
    const quiet = await connect(host, {}, { sshArgs: `${ANSIBLE_SSH_ARGS} -q` }).run('echo hi', onTerminal);
    expect(quiet).toEqual({ rc: 0, stdout: 'hi\r\n', stderr: '' });
  });

  it('runs on a terminal with cwd, env and another shell', async () => {
    const conn = connect(host);
    const r = await conn.run('pwd; echo "$GREETING"; echo $0', { ...onTerminal, cwd: '/tmp', env: { GREETING: 'hi there' }, executable: '/bin/bash' });
    expect(r.stdout).toBe('/tmp\r\nhi there\r\n/bin/bash\r\n');
  });

  it('becomes another user on the terminal: sudo with a password, without one, and Ansible\'s failures', async () => {
    const deploy = connect(host, { ansible_user: DEPLOY_USER });
    const withPassword = await deploy.run('id -un; echo "$HOME"', { ...onTerminal, become: { method: 'sudo', user: 'root', password: DEPLOY_PASSWORD } });
    // The newline sudo echoes after reading the password stays, as in Ansible's output.
    expect(withPassword).toEqual({ rc: 0, stdout: '\r\nroot\r\n/root\r\n', stderr: `Connection to ${host.address} closed.\r\n` });
    expect(withPassword.stdout).not.toContain('s3cret');
    const ops = connect(host, { ansible_user: NOPASSWD_USER });
    expect((await ops.run('id -un; exit 4', { ...onTerminal, become: { method: 'sudo', user: 'nobody' } })).stdout).toBe('nobody\r\n');
    await expect(deploy.run('id', { ...onTerminal, become: { method: 'sudo', user: 'root', password: 'wrong' } })).rejects.toThrow(new BecomeError('Incorrect sudo password'));
    await expect(deploy.run('id', { ...onTerminal, become: { method: 'sudo', user: 'root' } })).rejects.toThrow(new BecomeError('Missing sudo password'));
  });

  it('uses no terminal when there is data for stdin, or with use_tty off', async () => {
    const conn = connect(host);
    expect(await conn.run('cat; echo err >&2', { ...onTerminal, stdin: 'data\n' })).toEqual({ rc: 0, stdout: 'data\n', stderr: 'err\n' });
    const noTty = connect(host, { ansible_ssh_use_tty: false });
    expect(await noTty.run('echo out; echo err >&2', onTerminal)).toEqual({ rc: 0, stdout: 'out\n', stderr: 'err\n' });
  });

  it('hangs up a command that times out', async () => {
    const conn = connect(host);
    const started = Date.now();
    await expect(conn.run('echo started; sleep 30 && touch /tmp/terminal-timeout-survived', { ...onTerminal, timeoutMs: 500 })).rejects.toThrow(CommandTimeoutError);
    expect(Date.now() - started).toBeLessThan(5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await host.exec('ps -eo args | grep -c "^sleep 30$" || true')).stdout.trim()).toBe('0');
    expect((await host.exec('test -e /tmp/terminal-timeout-survived && echo survived || echo gone')).stdout.trim()).toBe('gone');
  });

  it('takes the session of an idle worker when sshd allows no more', async () => {
    const conn = connect(crowded);
    // Two workers hold both sessions sshd allows.
    await Promise.all([conn.run('sleep 0.2'), conn.run('sleep 0.2')]);
    expect((await conn.run('echo on a terminal', onTerminal)).stdout).toBe('on a terminal\r\n');
    expect((await conn.run('echo on a worker')).stdout).toBe('on a worker\n');
  });

  it("reports a task's own command at -vvv as Ansible's ssh connection does, censored under no_log", async () => {
    const lines: string[] = [];
    const conn = connect(host, {}, { sshArgs: ANSIBLE_SSH_ARGS, onVerbose: (message, at) => lines.push(`<${at}> ${message}`) });
    await conn.run("printf 'it'\\''s\\n'; exit 2", { ...onTerminal, report: 'output' });
    await conn.run('echo hidden', { report: 'censored' });
    await conn.run('echo hidden >&2; exit 1', { report: 'censored' });
    await conn.run('echo internal; exit 1');
    await conn.stat('/etc/hostname');
    expect(lines).toEqual([
      `<${host.address}> (2, b"it's\\r\\n", b'Shared connection to ${host.address} closed.\\r\\n')`,
      `<${host.address}> Failed to connect to the host via ssh: Shared connection to ${host.address} closed.`,
      `<${host.address}> rc=0, stdout and stderr censored due to no log`,
      `<${host.address}> rc=1, stdout and stderr censored due to no log`,
      `<${host.address}> Failed to connect to the host via ssh: <error censored due to no log>`,
    ]);
  });
});
