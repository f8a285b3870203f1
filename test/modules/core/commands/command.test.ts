// command and shell on the local connection, checked against the results Ansible 2.14's
// command module returns for the same tasks (keys and values recorded from
// `ansible-playbook` with register + debug).
import { writeFileSync, mkdirSync, existsSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandModule, shellModule } from '../../../../src/modules/core/commands/command.js';
import { runModule, tempDir, testContext } from '../../helpers.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

// The keys of a command result that ran, as Ansible returns them (besides `failed`, added by the engine).
const RAN_KEYS = ['changed', 'cmd', 'delta', 'end', 'msg', 'rc', 'start', 'stderr', 'stderr_lines', 'stdout', 'stdout_lines'];

describe('command', () => {
  it('splits like shlex, expands ~ and $VARS per argument, and never runs $()', async () => {
    const result = await runModule(commandModule, { _raw_params: `echo "a  b" $HOME ~ '$(date)' "\`id\`"` }, testContext());
    expect(Object.keys(result).sort()).toEqual(RAN_KEYS);
    expect(result).toMatchObject({
      changed: true,
      cmd: ['echo', 'a  b', '$HOME', '~', '$(date)', '`id`'],
      rc: 0,
      msg: '',
      stdout: `a  b ${homedir()} ${homedir()} $(date) \`id\``,
      stderr: '',
      stderr_lines: [],
    });
    expect(result.stdout_lines).toEqual([result.stdout]);
    expect(result.start).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    expect(result.delta).toMatch(/^0:00:0\d(\.\d{6})?$/);
  });

  it('takes argv unchanged', async () => {
    const result = await runModule(commandModule, { argv: ['printf', '%s|', 'a b', "it's", '-n', 7] }, testContext());
    expect(result).toMatchObject({ cmd: ['printf', '%s|', 'a b', "it's", '-n', '7'], stdout: "a b|it's|-n|7|", rc: 0 });
  });

  it('feeds stdin with a newline added, and strips trailing newlines of the output', async () => {
    const result = await runModule(commandModule, { _raw_params: 'cat', stdin: 'hello' }, testContext());
    expect(result).toMatchObject({ stdout: 'hello', stdout_lines: ['hello'], changed: true });
    const raw = await runModule(commandModule, { _raw_params: 'od -c', stdin: 'x', stdin_add_newline: false, strip_empty_ends: false }, testContext());
    expect(raw.stdout).toBe('0000000   x\n0000001\n');
  });

  it('is skipped (ok) when creates matches a glob, relative to chdir', async () => {
    mkdirSync(join(dir, 'c'), { recursive: true });
    writeFileSync(join(dir, 'c', 'play.yml'), '');
    const pattern = join(dir, 'c', '*.yml');
    const result = await runModule(commandModule, { _raw_params: 'touch ran', creates: pattern, chdir: dir }, testContext());
    expect(result).toEqual({
      changed: false,
      cmd: ['touch', 'ran'],
      delta: null,
      end: null,
      start: null,
      msg: `Did not run command since '${pattern}' exists`,
      rc: 0,
      stdout: `skipped, since ${pattern} exists`,
      stdout_lines: [`skipped, since ${pattern} exists`],
      stderr: '',
      stderr_lines: [],
    });
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    const relative = await runModule(commandModule, { _raw_params: 'touch ran', creates: 'c/play.yml', chdir: dir }, testContext());
    expect(relative.msg).toBe("Did not run command since 'c/play.yml' exists");
  });

  it('is skipped when removes does not exist, and runs when it does', async () => {
    const missing = await runModule(commandModule, { _raw_params: 'echo x', removes: '/nonexistent' }, testContext());
    expect(missing).toMatchObject({ changed: false, rc: 0, msg: "Did not run command since '/nonexistent' does not exist", stdout: 'skipped, since /nonexistent does not exist' });
    const present = await runModule(commandModule, { _raw_params: 'echo x', removes: dir }, testContext());
    expect(present).toMatchObject({ changed: true, stdout: 'x' });
  });

  it('in check mode: skipped without creates/removes, "would" messages with them', async () => {
    const marker = join(dir, 'check-marker');
    const plain = await runModule(commandModule, { _raw_params: `touch ${marker}` }, testContext({ checkMode: true }));
    expect(plain).toEqual({
      changed: false,
      skipped: true,
      cmd: ['touch', marker],
      delta: null,
      end: null,
      start: null,
      msg: 'Command would have run if not in check mode',
      rc: 0,
      stdout: '',
      stdout_lines: [],
      stderr: '',
      stderr_lines: [],
    });
    const would = await runModule(commandModule, { _raw_params: `touch ${marker}`, creates: marker }, testContext({ checkMode: true }));
    expect(would).toMatchObject({ changed: true, msg: 'Command would have run if not in check mode', rc: 0 });
    expect(would.skipped).toBeUndefined();
    const wouldNot = await runModule(commandModule, { _raw_params: 'echo x', creates: '/tmp' }, testContext({ checkMode: true }));
    expect(wouldNot).toMatchObject({ changed: false, msg: "Would not run command since '/tmp' exists" });
    expect(existsSync(marker)).toBe(false);
  });

  it('fails with Python\'s message when chdir is missing or not a directory', async () => {
    const result = await runModule(commandModule, { _raw_params: 'pwd', chdir: '/nonexistent' }, testContext());
    expect(result).toEqual({
      changed: false,
      failed: true,
      cmd: ['pwd'],
      delta: null,
      end: null,
      start: null,
      rc: null,
      msg: "Unable to change directory before execution: [Errno 2] No such file or directory: b'/nonexistent'",
      stdout: '',
      stdout_lines: [],
      stderr: '',
      stderr_lines: [],
    });
    writeFileSync(join(dir, 'plain'), '');
    const notDir = await runModule(commandModule, { _raw_params: 'pwd', chdir: join(dir, 'plain') }, testContext());
    expect(notDir.msg).toBe(`Unable to change directory before execution: [Errno 20] Not a directory: b'${join(dir, 'plain')}'`);
  });

  it('reports a program that cannot be started as Python does', async () => {
    const missing = await runModule(commandModule, { _raw_params: '/nonexistent/bin arg' }, testContext());
    expect(missing).toEqual({
      changed: false,
      failed: true,
      cmd: '/nonexistent/bin arg',
      msg: "[Errno 2] No such file or directory: b'/nonexistent/bin'",
      rc: 2,
      stdout: '',
      stdout_lines: [],
      stderr: '',
      stderr_lines: [],
    });
    const notOnPath = await runModule(commandModule, { _raw_params: 'no-such-program-xyz' }, testContext());
    expect(notOnPath).toMatchObject({ rc: 2, msg: "[Errno 2] No such file or directory: b'no-such-program-xyz'" });
    writeFileSync(join(dir, 'noexec'), 'echo hi');
    chmodSync(join(dir, 'noexec'), 0o644);
    const notExecutable = await runModule(commandModule, { _raw_params: `${join(dir, 'noexec')}` }, testContext({ become: undefined }));
    expect(notExecutable).toMatchObject({ rc: 13, msg: `[Errno 13] Permission denied: b'${join(dir, 'noexec')}'` });
  });

  it('fails without a command, or with both a command and argv', async () => {
    expect(await runModule(commandModule, { _raw_params: '  ' }, testContext())).toMatchObject({ failed: true, rc: 256, msg: 'no command given' });
    expect(await runModule(commandModule, { _raw_params: 'echo', argv: ['echo'] }, testContext())).toMatchObject({ failed: true, rc: 256, msg: 'only command or argv can be given, not both' });
  });

  it('warns that executable is ignored by command', async () => {
    const result = await runModule(commandModule, { _raw_params: 'echo $0', executable: '/bin/bash' }, testContext());
    expect(result.warnings).toEqual(["As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '/bin/bash'."]);
    expect(result.stdout).toBe('$0');
  });

  it('passes the task environment', async () => {
    const result = await runModule(commandModule, { _raw_params: 'printenv GREETING' }, testContext({ environment: { GREETING: 'hi there' } }));
    expect(result.stdout).toBe('hi there');
  });

  it('reports unknown arguments as the command module does', async () => {
    const result = await runModule(commandModule, { _raw_params: 'echo', foo: 1 }, testContext());
    expect(result.msg).toBe(
      'Unsupported parameters for (ansible.legacy.command) module: foo. Supported parameters include: _raw_params, _uses_shell, argv, chdir, creates, executable, removes, stdin, stdin_add_newline, strip_empty_ends.',
    );
  });
});

describe('shell', () => {
  it('runs through the shell and fails on a non-zero return code', async () => {
    const result = await runModule(shellModule, { _raw_params: 'echo hi; echo err >&2; exit 3' }, testContext());
    expect(Object.keys(result).sort()).toEqual([...RAN_KEYS, 'failed'].sort());
    expect(result).toMatchObject({
      changed: true,
      failed: true,
      cmd: 'echo hi; echo err >&2; exit 3',
      msg: 'non-zero return code',
      rc: 3,
      stdout: 'hi',
      stderr: 'err',
      stdout_lines: ['hi'],
      stderr_lines: ['err'],
    });
  });

  it('uses executable, then ansible_shell_executable', async () => {
    expect((await runModule(shellModule, { _raw_params: 'echo $0', executable: '/bin/bash' }, testContext())).stdout).toBe('/bin/bash');
    expect((await runModule(shellModule, { _raw_params: 'echo $0' }, testContext({ vars: { ansible_shell_executable: '/bin/bash' } }))).stdout).toBe('/bin/bash');
    expect((await runModule(shellModule, { _raw_params: 'echo $0' }, testContext())).stdout).toBe('/bin/sh');
  });

  it('runs in chdir', async () => {
    const result = await runModule(shellModule, { _raw_params: 'pwd', chdir: dir }, testContext());
    expect(result.stdout).toBe(dir);
  });
});
