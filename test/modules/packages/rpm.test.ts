// yum and dnf cannot run on this Debian machine: these tests drive the modules against
// stand-in `rpm` and `dnf`/`yum` commands (shell scripts keeping a list of installed
// packages and logging how they were called), put first in PATH. They check what the
// modules decide and which command lines they run, not a real RPM system.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { packageModule } from '../../../src/modules/core/packages/package.js';
import { dnfModule, yumModule } from '../../../src/modules/core/packages/rpm.js';
import { runModule, tempDir, testContext } from '../helpers.js';

const { dir, cleanup } = tempDir('tsplay-rpm-');
const bin = join(dir, 'bin');
const state = join(dir, 'installed');
const updates = join(dir, 'updates');
const log = join(dir, 'log');
mkdirSync(bin);

const RPM = `#!/bin/sh
# rpm --root ROOT -q [--whatprovides] --qf FMT -- NAME
for last; do :; done
if grep -qx -- "$last" "${state}"; then echo "$last-1.0-1.x86_64"; exit 0; fi
echo "package $last is not installed"; exit 1
`;
const TOOL = `#!/bin/sh
echo "$(basename "$0") $*" >> "${log}"
cmd=; pkgs=
for a; do case $a in -*) ;; install|upgrade|remove|check-update|makecache|autoremove) [ -z "$cmd" ] && cmd=$a || pkgs="$pkgs $a";; *) [ -n "$cmd" ] && pkgs="$pkgs $a";; esac; done
case $cmd in
  check-update) found=1; for p in $pkgs; do if grep -qx -- "$p" "${updates}"; then echo "$p.x86_64  2.0-1  updates"; found=0; fi; done
    [ -z "$pkgs" ] && [ -s "${updates}" ] && { sed 's/$/.x86_64 2.0-1 updates/' "${updates}"; found=0; }
    [ $found = 0 ] && exit 100; exit 0;;
  install) for p in $pkgs; do [ "$p" = missing-pkg ] && { echo "No match for argument: $p" >&2; exit 1; }; echo "$p" >> "${state}"; done; echo "Complete!";;
  upgrade) for p in $pkgs; do sed -i "/^$p\\$/d" "${updates}"; done; echo "Complete!";;
  remove) for p in $pkgs; do sed -i "/^$p\\$/d" "${state}"; done; echo "Complete!";;
  makecache) echo "Metadata cache created.";;
esac
`;

for (const [name, text] of [['rpm', RPM], ['dnf', TOOL], ['yum', TOOL]] as const) {
  writeFileSync(join(bin, name), text);
  chmodSync(join(bin, name), 0o755);
}

beforeEach(() => {
  writeFileSync(state, 'bash\n');
  writeFileSync(updates, '');
  writeFileSync(log, '');
});

afterAll(cleanup);

const ctx = (checkMode = false) => testContext({ checkMode, environment: { PATH: `${bin}:${process.env.PATH}` } });
const calls = () => readFileSync(log, 'utf8').split('\n').filter((l) => l && !l.includes('check-update'));

describe('dnf (stand-in commands)', () => {
  it('installs what is missing, with enablerepo; then nothing to do', async () => {
    const args = { name: ['nginx', 'bash'], enablerepo: ['epel'] };
    expect(await runModule(dnfModule, args, ctx(true))).toEqual({ changed: true, msg: 'Check mode: No changes made, but would have if not in check mode', rc: 0, results: ['Installed: nginx'] });
    expect(calls()).toEqual([]);
    expect(await runModule(dnfModule, args, ctx())).toEqual({ changed: true, msg: '', rc: 0, results: ['Installed: nginx'] });
    expect(calls()).toEqual(['dnf -y --enablerepo=epel install nginx']);
    expect(await runModule(dnfModule, args, ctx())).toEqual({ changed: false, msg: 'Nothing to do', rc: 0, results: [] });
  });

  it('latest upgrades what has an update, absent removes', async () => {
    writeFileSync(updates, 'bash\n');
    expect(await runModule(dnfModule, { name: 'bash', state: 'latest' }, ctx())).toMatchObject({ changed: true, results: ['Upgraded: bash'] });
    expect(await runModule(dnfModule, { name: 'bash', state: 'latest' }, ctx())).toMatchObject({ changed: false });
    expect(await runModule(dnfModule, { name: 'bash', state: 'absent' }, ctx())).toMatchObject({ changed: true, results: ['Removed: bash'] });
    expect(await runModule(dnfModule, { name: 'bash', state: 'absent' }, ctx())).toMatchObject({ changed: false });
    expect(calls()).toEqual(['dnf -y upgrade bash', 'dnf -y remove bash']);
  });

  it('fails with the tool message for a package it cannot find', async () => {
    expect(await runModule(dnfModule, { name: 'missing-pkg' }, ctx())).toMatchObject({ failed: true, msg: 'No match for argument: missing-pkg', rc: 1 });
  });
});

describe('yum (stand-in commands)', () => {
  it('reports changes as yum does, and update_cache runs makecache', async () => {
    expect(await runModule(yumModule, { name: 'httpd', update_cache: true, disablerepo: ['*'], enablerepo: ['base'] }, ctx())).toEqual({
      changed: true,
      msg: '',
      rc: 0,
      results: ['Installed: httpd'],
      changes: { installed: ['httpd'] },
    });
    expect(calls()).toEqual(['yum makecache -y --disablerepo=* --enablerepo=base', 'yum -y --disablerepo=* --enablerepo=base install httpd']);
    expect(await runModule(yumModule, { name: 'httpd' }, ctx())).toEqual({ changed: false, msg: '', rc: 0, results: ['httpd is already installed'], changes: {} });
  });
});

describe('package', () => {
  it('dispatches on use, and on the ansible_pkg_mgr fact', async () => {
    expect(await runModule(packageModule, { name: 'vim', state: 'present', use: 'dnf', enablerepo: 'epel' }, ctx())).toMatchObject({ changed: true, results: ['Installed: vim'] });
    const withFact = testContext({ environment: { PATH: `${bin}:${process.env.PATH}` }, vars: { ansible_facts: { pkg_mgr: 'yum' } } });
    expect(await runModule(packageModule, { name: 'vim', state: 'present' }, withFact)).toMatchObject({ changed: false, changes: {} });
    expect(await runModule(packageModule, { name: 'vim', state: 'present', use: 'pacman' }, ctx())).toMatchObject({ failed: true, msg: 'Could not find a module for pacman.' });
  });
});
