// raw and script on the local connection, against the results Ansible 2.14 returns.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rawModule } from '../../../../src/modules/core/commands/raw.js';
import { scriptModule } from '../../../../src/modules/core/commands/script.js';
import { runModule, tempDir, testContext } from '../../helpers.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);
mkdirSync(join(dir, 'files'));
writeFileSync(join(dir, 'files', 's.sh'), '#!/bin/sh\necho "args: $*"\necho "cwd: $(pwd)"\necho err >&2\n');
writeFileSync(join(dir, 'files', 'fail.sh'), '#!/bin/sh\necho out\nexit 4\n');

describe('raw', () => {
  it('returns the output unstripped, with lines', async () => {
    const result = await runModule(rawModule, { _raw_params: 'echo raw; echo e >&2' }, testContext());
    expect(result).toEqual({ changed: true, rc: 0, stdout: 'raw\n', stderr: 'e\n', stdout_lines: ['raw'], stderr_lines: ['e'] });
  });

  it('fails on a non-zero return code', async () => {
    const result = await runModule(rawModule, { _raw_params: 'exit 5' }, testContext());
    expect(result).toMatchObject({ changed: true, failed: true, rc: 5, msg: 'non-zero return code' });
  });

  it('is skipped in check mode and warns about environment', async () => {
    const ctx = testContext({ checkMode: true, environment: { A: '1' } });
    const marker = join(dir, 'raw-marker');
    expect(await runModule(rawModule, { _raw_params: `touch ${marker}` }, ctx)).toEqual({ changed: false, skipped: true });
    expect(existsSync(marker)).toBe(false);
    expect(ctx.warnings).toEqual(['raw module does not support the environment keyword']);
  });

  it('uses executable', async () => {
    expect((await runModule(rawModule, { _raw_params: 'echo $0', executable: '/bin/bash' }, testContext())).stdout).toBe('/bin/bash\n');
  });
});

describe('script', () => {
  const ctx = (extra = {}) => testContext({ searchPath: [dir], ...extra });

  it('copies the script, runs it with its arguments, and removes it', async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('tsplay-script.')).length;
    const result = await runModule(scriptModule, { _raw_params: 's.sh one "two three"', chdir: dir }, ctx());
    expect(result).toEqual({
      changed: true,
      rc: 0,
      stdout: `args: one two three\ncwd: ${dir}\n`,
      stdout_lines: ['args: one two three', `cwd: ${dir}`],
      stderr: 'err\n',
      stderr_lines: ['err'],
    });
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('tsplay-script.')).length).toBe(before);
  });

  it('fails on a non-zero return code', async () => {
    expect(await runModule(scriptModule, { _raw_params: 'fail.sh' }, ctx())).toMatchObject({ failed: true, rc: 4, stdout: 'out\n', msg: 'non-zero return code', changed: true });
  });

  it('honours creates and removes', async () => {
    expect(await runModule(scriptModule, { _raw_params: 's.sh', creates: dir }, ctx())).toEqual({ changed: false, skipped: true, msg: `${dir} exists, matching creates option` });
    expect(await runModule(scriptModule, { _raw_params: 's.sh', removes: '/nope' }, ctx())).toEqual({ changed: false, skipped: true, msg: '/nope does not exist, matching removes option' });
  });

  it('in check mode: skipped, or changed when creates/removes would let it run', async () => {
    expect(await runModule(scriptModule, { _raw_params: 's.sh' }, ctx({ checkMode: true }))).toEqual({ changed: false, skipped: true, msg: 'Check mode is not supported for this task.' });
    expect(await runModule(scriptModule, { _raw_params: 's.sh', creates: '/nope' }, ctx({ checkMode: true }))).toEqual({ changed: true });
  });

  it('fails for a missing script or a relative chdir', async () => {
    const missing = await runModule(scriptModule, { _raw_params: 'nope.sh' }, ctx());
    expect(missing.msg).toBe(
      `Could not find or access 'nope.sh'\nSearched in:\n\t${dir}/files/nope.sh\n\t${dir}/nope.sh\n\t${dir}/files/nope.sh\n\t${dir}/nope.sh on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`,
    );
    expect((await runModule(scriptModule, { _raw_params: 's.sh', chdir: 'rel' }, ctx())).msg).toBe('chdir rel must be an absolute path for a Unix-aware remote node');
  });

  it('runs through executable', async () => {
    writeFileSync(join(dir, 'files', 'plain.txt'), 'echo "bash ${BASH_VERSION:+yes}"\n');
    expect((await runModule(scriptModule, { _raw_params: 'plain.txt', executable: '/bin/bash' }, ctx())).stdout).toBe('bash yes\n');
  });
});
