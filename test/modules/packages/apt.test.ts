// apt on an isolated host over SSH: a local .deb (built here with dpkg-deb, no network
// needed), then a package from Debian's repositories when they can be reached.
// Changed on the first run, ok on the second, nothing changed in check mode, apt-get's
// plan as the diff. Result keys as Ansible 2.14's apt module returns them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aptModule, parseAptDiff } from '../../../src/modules/core/packages/apt.js';
import { packageModule } from '../../../src/modules/core/packages/package.js';
import { bothSides, startIsolatedHost, type IsolatedHost, type Step } from './host.js';

let h: IsolatedHost;

// A tiny package with one file and a dependency on something every Debian has.
const BUILD_DEB = `set -e
d=$(mktemp -d); mkdir -p $d/DEBIAN $d/usr/share/tsplay-demo
printf 'Package: tsplay-demo\\nVersion: 1.0-1\\nArchitecture: all\\nMaintainer: t <t@example.com>\\nDepends: base-files\\nDescription: demo\\n' > $d/DEBIAN/control
echo demo > $d/usr/share/tsplay-demo/README
dpkg-deb --build $d /tmp/tsplay-demo_1.0-1_all.deb >/dev/null`;

beforeAll(async () => {
  h = await startIsolatedHost();
  const built = await h.sh(BUILD_DEB);
  expect(built.rc, built.stderr).toBe(0);
});

afterAll(async () => {
  await h?.stop();
});

const installed = async (name: string) => (await h.sh(`dpkg-query -W -f='\${db:Status-Abbrev}' ${name} 2>/dev/null`)).stdout.startsWith('ii');

describe('apt', () => {
  it('parses the plan out of apt-get output as Ansible does', () => {
    const out = 'Reading package lists...\nBuilding dependency tree...\nReading state information...\nThe following NEW packages will be installed:\n  hello\n0 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.\nInst hello (2.10-3 Debian:12/stable [amd64])\n';
    expect(parseAptDiff(out)).toEqual({ prepared: 'The following NEW packages will be installed:\n  hello\n0 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.' });
  });

  it('installs a .deb: check mode changes nothing, then changed, then ok', async () => {
    const check = await h.run(aptModule, { deb: '/tmp/tsplay-demo_1.0-1_all.deb' }, { check: true, diff: true });
    expect(check.changed).toBe(true);
    expect(await installed('tsplay-demo')).toBe(false);
    const first = await h.run(aptModule, { deb: '/tmp/tsplay-demo_1.0-1_all.deb' });
    expect(first).toMatchObject({ changed: true, stderr: expect.any(String) });
    expect(first.stdout).toContain('Setting up tsplay-demo (1.0-1)');
    expect(await installed('tsplay-demo')).toBe(true);
    const second = await h.run(aptModule, { deb: '/tmp/tsplay-demo_1.0-1_all.deb' });
    expect(second).toEqual({ changed: false, stdout: '', stderr: '', diff: '', stdout_lines: [], stderr_lines: [] });
  });

  it('a package already installed is ok, with the cache keys', async () => {
    const result = await h.run(aptModule, { name: 'tsplay-demo', state: 'present' });
    expect(result).toEqual({ changed: false, cache_updated: false, cache_update_time: expect.any(Number) });
  });

  it('removes: check mode simulates, then removed, then ok', async () => {
    const check = await h.run(aptModule, { name: 'tsplay-demo', state: 'absent' }, { check: true, diff: true });
    expect(check.changed).toBe(true);
    expect((check.diff as { prepared: string }).prepared).toContain('tsplay-demo');
    expect(await installed('tsplay-demo')).toBe(true);
    const removed = await h.run(aptModule, { name: 'tsplay-demo', state: 'absent' });
    expect(removed).toMatchObject({ changed: true, diff: {} });
    expect(await installed('tsplay-demo')).toBe(false);
    expect(await h.run(aptModule, { name: 'tsplay-demo', state: 'absent' })).toEqual({ changed: false });
  });

  it('fails for a package nobody has heard of, with Ansible message', async () => {
    const result = await h.run(aptModule, { name: 'no-such-package-tsplay' });
    expect(result).toMatchObject({ failed: true, msg: "No package matching 'no-such-package-tsplay' is available" });
  });

  it('package dispatches to apt (detected on the target)', async () => {
    const result = await h.run(packageModule, { name: 'base-files', state: 'present' });
    expect(result).toMatchObject({ changed: false, cache_updated: false });
  });

  it('installs from the Debian repository with update_cache, when it is reachable', async () => {
    const reachable = (await h.sh('timeout 60 apt-get update -q >/dev/null 2>&1; echo $?')).stdout.trim() === '0';
    if (!reachable) return;
    const args = { name: 'hello', update_cache: true, cache_valid_time: 3600, install_recommends: false };
    const check = await h.run(aptModule, args, { check: true });
    // Whether the lists count as fresh depends on their time stamp: only the package matters here.
    expect(check).toMatchObject({ changed: true, cache_update_time: expect.any(Number) });
    expect(await installed('hello')).toBe(false);
    const first = await h.run(aptModule, args, { diff: true });
    expect(first).toMatchObject({ changed: true });
    expect((first.diff as { prepared: string }).prepared).toContain('hello');
    expect(await installed('hello')).toBe(true);
    const second = await h.run(aptModule, { ...args, state: 'latest' });
    expect(second).toMatchObject({ changed: false });
  });
});

describe('apt against Ansible on the same host', () => {
  it('returns what Ansible 2.14 returns for a .deb and for removal, step by step', async () => {
    const step = (args: Record<string, unknown>, check = false, diff = false): Step => ({ module: aptModule as never, ansibleName: 'apt', args, check, diff });
    const deb = { deb: '/tmp/tsplay-demo_1.0-1_all.deb' };
    const { ansible, tsplay } = await bothSides(
      h,
      [
        step(deb, true),
        step(deb),
        step(deb),
        step({ name: 'tsplay-demo' }),
        step({ name: 'tsplay-demo', state: 'absent' }, true, true),
        step({ name: 'tsplay-demo', state: 'absent', purge: true }),
        step({ name: 'tsplay-demo', state: 'absent' }),
      ],
      'dpkg --purge tsplay-demo >/dev/null 2>&1; true',
    );
    // apt-get prints how long it took and dpkg's database counts: compare the rest.
    const volatile = (results: typeof ansible) => JSON.parse(JSON.stringify(results).replace(/\(Reading database[^)]*\)/g, '(Reading database)').replace(/\d+(\.\d+)? (kB|MB) disk space will be (freed|used)/g, 'N disk space'));
    expect(volatile(tsplay)).toEqual(volatile(ansible));
  });
});
