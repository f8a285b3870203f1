// gem and pip on the local connection, kept inside a temp dir: a gem built here and
// installed into an install_dir, a wheel built here and installed into a virtualenv.
// Changed, then ok, check mode changes nothing; results compared with Ansible's modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gemModule } from '../../../src/modules/core/packages/gem.js';
import { comparePythonVersions, pipModule, recoverPackageNames, Requirement } from '../../../src/modules/core/packages/pip.js';
import { runModule, tempDir, testContext } from '../helpers.js';
import { runOracle } from '../oracle.js';

const { dir, cleanup } = tempDir('tsplay-gem-pip-');
const hasGem = (() => {
  try {
    execFileSync('gem', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// A wheel is a zip with metadata: enough for pip to install offline.
const WHEEL_SCRIPT = `
import sys, zipfile, hashlib, base64
out = sys.argv[1]
files = {'tsplaydemo/__init__.py': b'VERSION = "1.0"\\n',
         'tsplaydemo-1.0.dist-info/METADATA': b'Metadata-Version: 2.1\\nName: tsplaydemo\\nVersion: 1.0\\n',
         'tsplaydemo-1.0.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
record = []
with zipfile.ZipFile(out, 'w') as z:
    for name, data in files.items():
        z.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        record.append('%s,sha256=%s,%d' % (name, digest, len(data)))
    record.append('tsplaydemo-1.0.dist-info/RECORD,,')
    z.writestr('tsplaydemo-1.0.dist-info/RECORD', '\\n'.join(record) + '\\n')
`;

beforeAll(() => {
  mkdirSync(join(dir, 'wheels'));
  execFileSync('python3', ['-c', WHEEL_SCRIPT, join(dir, 'wheels', 'tsplaydemo-1.0-py3-none-any.whl')]);
  if (hasGem) {
    mkdirSync(join(dir, 'gemsrc', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'gemsrc', 'lib', 'tsplay_demo.rb'), 'module TsplayDemo; end\n');
    writeFileSync(join(dir, 'gemsrc', 'tsplay_demo.gemspec'), `Gem::Specification.new do |s|
  s.name = 'tsplay_demo'; s.version = '0.1.0'; s.summary = 'demo'; s.authors = ['t']; s.files = ['lib/tsplay_demo.rb']; s.license = 'MIT'
end\n`);
    execFileSync('gem', ['build', 'tsplay_demo.gemspec'], { cwd: join(dir, 'gemsrc'), stdio: 'ignore' });
  }
});

afterAll(cleanup);

describe('pip', () => {
  const venv = join(dir, 'venv');
  const args = { name: 'tsplaydemo', virtualenv: venv, virtualenv_command: 'python3 -m venv', extra_args: `--no-index --find-links ${join(dir, 'wheels')}` };

  it('creates the virtualenv and installs: check mode changes nothing, then changed, then ok', async () => {
    expect(await runModule(pipModule, args, testContext({ checkMode: true }))).toEqual({ changed: true });
    expect(existsSync(venv)).toBe(false);
    const first = await runModule(pipModule, args, testContext());
    expect(first).toMatchObject({ changed: true, name: ['tsplaydemo'], state: 'present', virtualenv: venv, version: null, requirements: null });
    expect(first.stdout).toContain('Successfully installed tsplaydemo-1.0');
    const second = await runModule(pipModule, args, testContext());
    expect(second.changed).toBe(false);
    const { extra_args: _extra, ...plain } = args;
    expect(await runModule(pipModule, { ...plain, name: 'tsplaydemo==1.0' }, testContext({ checkMode: true }))).toMatchObject({ changed: false });
    expect(await runModule(pipModule, { ...plain, state: 'absent' }, testContext())).toMatchObject({ changed: true });
    expect(await runModule(pipModule, { ...plain, state: 'absent' }, testContext())).toMatchObject({ changed: false });
  });

  it('reads requirements and versions as pip does', () => {
    expect(recoverPackageNames(['django>1.11.1', '<1.11.3', 'ipaddress', 'simpleproject>1.1.0', '<2.0.0'])).toEqual(['django>1.11.1,<1.11.3', 'ipaddress', 'simpleproject>1.1.0,<2.0.0']);
    expect(new Requirement('Django>=1.1,<2').isSatisfiedBy('1.11.3')).toBe(true);
    expect(new Requirement('six~=1.4').isSatisfiedBy('1.16.0')).toBe(true);
    expect(new Requirement('six==1.*').isSatisfiedBy('2.0')).toBe(false);
    expect(comparePythonVersions('1.0rc1', '1.0')).toBeLessThan(0);
  });

  it('gives the results Ansible gives for the same steps', async () => {
    const wheels = join(dir, 'wheels');
    const step = (extra: Record<string, unknown>, check = false) => ({ module: pipModule, args: { name: 'tsplaydemo', virtualenv: '$WORK/venv', virtualenv_command: 'python3 -m venv', extra_args: `--no-index --find-links ${wheels}`, ...extra }, check });
    const run = await runOracle('pip', { steps: [step({}, true), step({}), step({ state: 'absent', extra_args: undefined }), step({ state: 'absent', extra_args: undefined })] });
    const relevant = (results: Record<string, unknown>[]) => results.map((r) => ({ changed: r.changed, failed: r.failed, state: r.state, name: r.name, virtualenv: r.virtualenv }));
    expect(relevant(run.tsplay)).toEqual(relevant(run.ansible));
  });
});

describe.runIf(hasGem)('gem', () => {
  const gemFile = () => join(dir, 'gemsrc', 'tsplay_demo-0.1.0.gem');
  const args = () => ({ name: 'tsplay_demo', gem_source: gemFile(), user_install: false, install_dir: join(dir, 'gems') });

  it('installs a local gem into install_dir: check mode, changed, ok; then removes it', async () => {
    expect(await runModule(gemModule, args(), testContext({ checkMode: true }))).toEqual({ changed: true, name: 'tsplay_demo', state: 'present' });
    expect(existsSync(join(dir, 'gems', 'gems', 'tsplay_demo-0.1.0'))).toBe(false);
    expect(await runModule(gemModule, args(), testContext())).toEqual({ changed: true, name: 'tsplay_demo', state: 'present' });
    expect(existsSync(join(dir, 'gems', 'gems', 'tsplay_demo-0.1.0'))).toBe(true);
    expect(await runModule(gemModule, args(), testContext())).toEqual({ changed: false, name: 'tsplay_demo', state: 'present' });
    const { gem_source: _src, ...plain } = args();
    expect(await runModule(gemModule, { ...plain, version: '0.1.0' }, testContext())).toEqual({ changed: false, name: 'tsplay_demo', state: 'present', version: '0.1.0' });
    expect(await runModule(gemModule, { ...plain, state: 'absent' }, testContext())).toEqual({ changed: true, name: 'tsplay_demo', state: 'absent' });
    expect(await runModule(gemModule, { ...plain, state: 'absent' }, testContext())).toEqual({ changed: false, name: 'tsplay_demo', state: 'absent' });
  });

  it('rejects what Ansible rejects', async () => {
    expect(await runModule(gemModule, { name: 'x', install_dir: dir }, testContext())).toMatchObject({ failed: true, msg: 'install_dir requires user_install=false' });
    expect(await runModule(gemModule, { name: 'x', state: 'latest', version: '1' }, testContext())).toMatchObject({ failed: true, msg: 'Cannot specify version when state=latest' });
  });

  it('gives the results Ansible gives for the same steps', async () => {
    const step = (extra: Record<string, unknown>, check = false) => ({ module: gemModule, args: { name: 'tsplay_demo', user_install: false, install_dir: '$WORK/gems', ...extra }, check });
    const run = await runOracle('gem', { steps: [step({ gem_source: gemFile() }, true), step({ gem_source: gemFile() }), step({ gem_source: gemFile() }), step({ state: 'absent' })] });
    expect(run.tsplay).toEqual(run.ansible);
  });
});
