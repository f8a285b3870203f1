// The file and command modules over SSH to a real sshd host (its own root filesystem),
// logged in as a non-root user and becoming root with sudo and a password: changed on the
// first run, ok on the second, nothing touched in check mode; the host itself is
// inspected directly, not through the connection under test.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BecomeOptions } from '../../../src/connection/connection.js';
import { createSshConnection } from '../../../src/connection/ssh/index.js';
import type { SshConnection } from '../../../src/connection/ssh/ssh-connection.js';
import { commandModule, shellModule } from '../../../src/modules/core/commands/command.js';
import { rawModule } from '../../../src/modules/core/commands/raw.js';
import { scriptModule } from '../../../src/modules/core/commands/script.js';
import { assembleModule } from '../../../src/modules/core/files/assemble.js';
import { blockinfileModule } from '../../../src/modules/core/files/blockinfile.js';
import { copyModule } from '../../../src/modules/core/files/copy.js';
import { fetchModule } from '../../../src/modules/core/files/fetch.js';
import { fileModule } from '../../../src/modules/core/files/file.js';
import { findModule } from '../../../src/modules/core/files/find.js';
import { lineinfileModule } from '../../../src/modules/core/files/lineinfile.js';
import { replaceModule } from '../../../src/modules/core/files/replace.js';
import { slurpModule } from '../../../src/modules/core/files/slurp.js';
import { statModule } from '../../../src/modules/core/files/stat.js';
import { tempfileModule } from '../../../src/modules/core/files/tempfile.js';
import { templateModule } from '../../../src/modules/core/files/template.js';
import { unarchiveModule } from '../../../src/modules/core/files/unarchive.js';
import type { ModuleDefinition, ModuleResult } from '../../../src/modules/module.js';
import { DEPLOY_PASSWORD, DEPLOY_USER, SshLab, type Host } from '../../harness/index.js';
import { runModule, testContext } from '../helpers.js';

const lab = SshLab.create();
let host: Host;
let conn: SshConnection;
const controller = mkdtempSync(join(tmpdir(), 'tsplay-ssh-modules-'));
const become: BecomeOptions = { method: 'sudo', user: 'root', password: DEPLOY_PASSWORD };
const D = '/srv/modules';

beforeAll(async () => {
  host = await lab.startHost();
  lab.trust();
  conn = createSshConnection(host.hostname, lab.settings(host, { ansible_user: DEPLOY_USER }));
  await host.exec(`rm -rf ${D} && mkdir -p ${D}`);
  mkdirSync(join(controller, 'files', 'tree', 'sub'), { recursive: true });
  mkdirSync(join(controller, 'templates'));
  writeFileSync(join(controller, 'files', 'app.conf'), 'listen 80;\n');
  writeFileSync(join(controller, 'files', 'tree', 'a.txt'), 'a\n');
  writeFileSync(join(controller, 'files', 'tree', 'sub', 'b.txt'), 'b\n');
  writeFileSync(join(controller, 'files', 'setup.sh'), '#!/bin/sh\necho "ran as $(id -un) with $#: $1"\n');
  writeFileSync(join(controller, 'templates', 'site.j2'), 'server_name {{ name }};\n');
});

afterAll(async () => {
  await conn?.close();
  await lab.stop();
  rmSync(controller, { recursive: true, force: true });
});

const ctx = (check = false) => testContext({ connection: conn, become, checkMode: check, diffMode: true, searchPath: [controller], vars: { name: 'example.org' } });

/** The state of the test directory, read on the host directly. */
async function snapshot(): Promise<string> {
  const result = await host.exec(['/bin/sh', '-c', `cd ${D} && find . -printf '%p %y %m %u %s %l\\n' | sort && find . -type f -exec sha1sum {} + | sort`]);
  return result.stdout;
}

async function run(module: ModuleDefinition<never>, args: Record<string, unknown>, check = false): Promise<ModuleResult> {
  const result = await runModule(module, args, ctx(check));
  expect(result.failed, `${module.name} ${JSON.stringify(args)}: ${String(result.msg)}`).toBeUndefined();
  return result;
}

/** Check mode changes nothing but reports the change; the run changes; the rerun is ok. */
async function idempotent(module: ModuleDefinition<never>, args: Record<string, unknown>, options: { checkReportsChange?: boolean } = {}): Promise<ModuleResult> {
  const before = await snapshot();
  const checked = await run(module, args, true);
  if (options.checkReportsChange !== false) expect(checked.changed, `${module.name} check mode`).toBe(true);
  expect(await snapshot(), `${module.name} changed something in check mode`).toBe(before);
  const first = await run(module, args);
  expect(first.changed, `${module.name} first run`).toBe(true);
  expect(await snapshot()).not.toBe(before);
  const second = await run(module, args);
  expect(second.changed, `${module.name} second run`).toBe(false);
  return first;
}

describe('file modules over SSH with become', () => {
  it('file: directory, touch, link, absent', async () => {
    await idempotent(fileModule, { path: `${D}/conf.d`, state: 'directory', mode: '0750', owner: 'nobody' });
    expect((await host.exec(`stat -c '%a %U' ${D}/conf.d`)).stdout.trim()).toBe('750 nobody');
    await idempotent(fileModule, { path: `${D}/conf.d/empty`, state: 'touch', mode: 'u=rw,g=r,o=', modification_time: 'preserve', access_time: 'preserve' });
    await idempotent(fileModule, { path: `${D}/current`, src: 'conf.d', state: 'link' });
    expect((await host.exec(`readlink ${D}/current`)).stdout.trim()).toBe('conf.d');
    await idempotent(fileModule, { path: `${D}/current`, state: 'absent' });
  });

  it('copy: content, a controller file, a tree; template', async () => {
    const result = await idempotent(copyModule, { content: 'hello\n', dest: `${D}/hello.txt`, mode: '0600' });
    expect(result).toMatchObject({ dest: `${D}/hello.txt`, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f', mode: '0600', owner: 'root' });
    expect((result.diff as Record<string, unknown>[])[0]).toMatchObject({ before: '', after: 'hello\n' });
    await idempotent(copyModule, { src: 'app.conf', dest: `${D}/app.conf`, owner: DEPLOY_USER });
    await idempotent(copyModule, { src: 'tree/', dest: `${D}/tree` });
    expect((await host.exec(`cat ${D}/tree/sub/b.txt`)).stdout).toBe('b\n');
    await idempotent(templateModule, { src: 'site.j2', dest: `${D}/site.conf` });
    expect((await host.exec(`cat ${D}/site.conf`)).stdout).toBe('server_name example.org;\n');
  });

  it('lineinfile, blockinfile, replace', async () => {
    await host.exec(`printf 'Port 22\\n#PermitRootLogin yes\\n' > ${D}/sshd_config`);
    await idempotent(lineinfileModule, { path: `${D}/sshd_config`, regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' });
    await idempotent(blockinfileModule, { path: `${D}/sshd_config`, block: 'Match User deploy\n  X11Forwarding no' });
    await idempotent(replaceModule, { path: `${D}/sshd_config`, regexp: '^Port (22)$', replace: 'Port \\g<1>00' });
    expect((await host.exec(`cat ${D}/sshd_config`)).stdout).toBe(
      'Port 2200\nPermitRootLogin no\n# BEGIN ANSIBLE MANAGED BLOCK\nMatch User deploy\n  X11Forwarding no\n# END ANSIBLE MANAGED BLOCK\n',
    );
  });

  it('assemble and unarchive', async () => {
    await host.exec(`mkdir -p ${D}/frags ${D}/unpacked && printf 'a\\n' > ${D}/frags/1 && printf 'b\\n' > ${D}/frags/2`);
    await idempotent(assembleModule, { src: `${D}/frags`, dest: `${D}/assembled` }, { checkReportsChange: false });
    expect((await host.exec(`cat ${D}/assembled`)).stdout).toBe('a\nb\n');
    await host.exec(`cd ${D} && mkdir -p pkg/app && echo x > pkg/app/x && tar czf app.tgz -C pkg app`);
    const unarchived = await run(unarchiveModule, { src: `${D}/app.tgz`, dest: `${D}/unpacked`, remote_src: true });
    expect(unarchived.changed).toBe(true);
    expect((await run(unarchiveModule, { src: `${D}/app.tgz`, dest: `${D}/unpacked`, remote_src: true })).changed).toBe(false);
    expect((await host.exec(`cat ${D}/unpacked/app/x`)).stdout).toBe('x\n');
  });

  it('stat, slurp, find, fetch, tempfile read the host', async () => {
    await host.exec(`printf 'data' > ${D}/data.bin && chmod 640 ${D}/data.bin`);
    const stat = (await run(statModule, { path: `${D}/data.bin` })).stat as Record<string, unknown>;
    expect(stat).toMatchObject({ exists: true, mode: '0640', size: 4, checksum: 'a17c9aaa61e80a1bf71d0d850af4e5baa9800bbd', pw_name: 'root' });
    expect((await run(slurpModule, { src: `${D}/data.bin` })).content).toBe(Buffer.from('data').toString('base64'));
    const found = await run(findModule, { paths: D, patterns: '*.bin' });
    expect((found.files as { path: string }[]).map((f) => f.path)).toEqual([`${D}/data.bin`]);
    const fetched = await run(fetchModule, { src: `${D}/data.bin`, dest: join(controller, 'fetched') });
    expect(fetched.changed).toBe(true);
    // Under dest, the inventory name (the test context's) then the remote path.
    expect(readFileSync(join(controller, 'fetched', 'localhost', D, 'data.bin'), 'utf8')).toBe('data');
    const temp = await run(tempfileModule, { path: D, state: 'directory' });
    expect((await host.exec(`stat -c '%a %U' ${String(temp.path)}`)).stdout.trim()).toBe('700 root');
  });
});

describe('command modules over SSH with become', () => {
  it('command, shell, raw and script run as root; creates makes them idempotent', async () => {
    expect((await run(commandModule, { _raw_params: 'id -un' })).stdout).toBe('root');
    expect((await run(shellModule, { _raw_params: 'echo $((6*7)) | tr 4 x' })).stdout).toBe('x2');
    expect((await run(rawModule, { _raw_params: 'id -un' })).stdout).toContain('root');
    const script = await run(scriptModule, { _raw_params: 'setup.sh "one arg"' });
    // Over SSH, script runs on a terminal as Ansible's ssh -tt runs it: CRLF line ends, and
    // the empty line sudo echoes after its password comes first (Ansible keeps it too).
    expect(script.stdout).toBe('\r\nran as root with 1: one arg\r\n');
    const args = { _raw_params: `touch ${D}/made`, creates: `${D}/made` };
    await idempotent(commandModule, args);
  });

  it('handles hostile file names through file, copy and lineinfile', async () => {
    // A file name: no slash; the markers would be created in the working directory if run.
    const name = `it's "$(touch pwned)" \`touch pwned\` ; -rf *\nline`;
    const path = `${D}/${name}`;
    expect((await run(fileModule, { path, state: 'directory' })).changed).toBe(true);
    expect((await run(copyModule, { content: '$(touch /tmp/pwned)\n', dest: `${path}/${name}` })).changed).toBe(true);
    expect((await run(lineinfileModule, { path: `${path}/${name}`, line: '`touch /tmp/pwned`' })).changed).toBe(true);
    const listed = await host.exec(['find', D, '-mindepth', '1', '-path', `${D}/${name}*`, '-printf', '%P\\0']);
    expect(listed.stdout.split('\0').filter(Boolean).sort()).toEqual([name, `${name}/${name}`]);
    expect((await host.exec(['cat', `${path}/${name}`])).stdout).toBe('$(touch /tmp/pwned)\n`touch /tmp/pwned`\n');
    expect((await run(fileModule, { path, state: 'absent' })).changed).toBe(true);
    expect((await host.exec('ls /tmp/pwned 2>&1 || true')).stdout).toContain('No such file');
    expect((await host.exec(`find / -xdev -name pwned 2>/dev/null | head -1`)).stdout).toBe('');
  });

  it('passes hostile arguments through unchanged', async () => {
    const hostile = ['$(touch /tmp/pwned)', '`touch /tmp/pwned`', "it's", '-n', 'a\nb', '; rm -rf /', '*'];
    const result = await run(commandModule, { argv: ['printf', '%s|', ...hostile] });
    expect(result.stdout).toBe(`${hostile.join('|')}|`);
    expect((await host.exec('ls /tmp/pwned 2>&1 || true')).stdout).toContain('No such file');
  });
});
