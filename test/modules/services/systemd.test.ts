// The systemd path of the systemd and service modules, on an isolated host made to look
// systemd-managed: /run/systemd/system exists and a stand-in /usr/bin/systemctl (a shell
// script keeping unit states in files) answers show/is-enabled/start/stop/enable/mask.
// Real systemd cannot run as PID 1 here; Ansible's modules run against the same
// stand-in on the same host, so their results are the reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceModule } from '../../../src/modules/core/services/service.js';
import { systemdModule } from '../../../src/modules/core/services/systemd.js';
import { bothSides, startIsolatedHost, type IsolatedHost, type Step } from '../packages/host.js';

let h: IsolatedHost;

const SYSTEMCTL = `#!/bin/sh
# Stand-in systemctl: units are files in /etc/fake-units, state in /var/lib/fake-systemd.
S=/var/lib/fake-systemd; mkdir -p $S
echo "systemctl $*" >> $S/log
while [ $# -gt 0 ]; do case $1 in --no-block|--force|--system|-l|--no-pager|-q) shift;; *) break;; esac; done
cmd=$1; shift
u=$1; [ -n "$u" ] && case $u in *.*) ;; *) u=$u.service;; esac
known() { [ -f "/etc/fake-units/$u" ]; }
case $cmd in
  show) if ! known; then printf 'Id=%s\\nLoadState=not-found\\nActiveState=inactive\\nSubState=dead\\n' "$u"; exit 0; fi
        if [ -f $S/$u.masked ]; then load=masked; else load=loaded; fi
        if [ -f $S/$u.active ]; then a=active; sub=running; else a=inactive; sub=dead; fi
        if [ -f $S/$u.enabled ]; then e=enabled; else e=disabled; fi
        printf 'Id=%s\\nNames=%s\\nLoadState=%s\\nActiveState=%s\\nSubState=%s\\nUnitFileState=%s\\nExecStart={ path=/bin/true ; argv[]=/bin/true ; ignore_errors=no }\\n' "$u" "$u" $load $a $sub $e;;
  is-enabled) known || { echo "Failed to get unit file state for $u: No such file or directory" >&2; exit 1; }
        if [ -f $S/$u.masked ]; then echo masked; exit 1; fi
        if [ -f $S/$u.enabled ]; then echo enabled; exit 0; fi; echo disabled; exit 1;;
  list-unit-files) known || exit 1; echo "$u disabled"; exit 0;;
  start|restart) known || { echo "Failed to start $u: Unit $u not found." >&2; exit 5; }; [ -f $S/$u.masked ] && { echo "Failed to start $u: Unit $u is masked." >&2; exit 1; }; touch $S/$u.active;;
  reload) known || exit 5; [ -f $S/$u.active ] || { echo "$u is not active, cannot reload." >&2; exit 1; };;
  stop) rm -f $S/$u.active;;
  enable) known || exit 1; touch $S/$u.enabled;;
  disable) rm -f $S/$u.enabled;;
  mask) touch $S/$u.masked;;
  unmask) rm -f $S/$u.masked;;
  daemon-reload|daemon-reexec) ;;
  *) echo "unknown command $cmd" >&2; exit 1;;
esac
`;

beforeAll(async () => {
  h = await startIsolatedHost();
  const setup = await h.sh(`mkdir -p /run/systemd/system /etc/fake-units && touch /etc/fake-units/demo.service
cat > /usr/bin/systemctl <<'EOS'\n${SYSTEMCTL}EOS\nchmod 0755 /usr/bin/systemctl`);
  expect(setup.rc, setup.stderr).toBe(0);
});

afterAll(async () => {
  await h?.stop();
});

const RESET = 'rm -rf /var/lib/fake-systemd';

describe('systemd with systemd running', () => {
  it('matches Ansible step by step: start, enable, restart, reload, stop, mask, daemon_reload', async () => {
    const step = (args: Record<string, unknown>, check = false): Step => ({ module: systemdModule as never, ansibleName: 'systemd', args, check });
    const { ansible, tsplay } = await bothSides(
      h,
      [
        step({ name: 'demo', state: 'started' }, true),
        step({ name: 'demo', state: 'started', enabled: true }),
        step({ name: 'demo', state: 'started', enabled: true }),
        step({ name: 'demo.service', state: 'restarted', daemon_reload: true }),
        step({ name: 'demo', state: 'reloaded' }),
        step({ name: 'demo', state: 'stopped', enabled: false }),
        step({ name: 'demo', masked: true }),
        step({ name: 'demo', masked: false }),
        step({ name: 'missing', state: 'started' }),
        step({ name: 'demo*', state: 'started' }),
      ],
      RESET,
    );
    expect(tsplay).toEqual(ansible);
    expect(tsplay[1]).toMatchObject({ name: 'demo', changed: true, state: 'started', enabled: true, status: { ActiveState: 'inactive', LoadState: 'loaded' } });
  });
});

describe('service on a systemd host', () => {
  it('matches Ansible step by step', async () => {
    const step = (args: Record<string, unknown>, check = false): Step => ({ module: serviceModule as never, ansibleName: 'service', args: { name: 'demo', ...args }, check });
    const { ansible, tsplay } = await bothSides(
      h,
      [step({ state: 'started' }, true), step({ state: 'started', enabled: true }), step({ state: 'started', enabled: true }), step({ state: 'restarted' }), step({ state: 'stopped', enabled: false })],
      RESET,
    );
    expect(tsplay).toEqual(ansible);
  });
});

const HOSTNAMECTL = `#!/bin/sh
S=/var/lib/fake-hostnamed; mkdir -p $S; [ -f $S/static ] || echo old-static > $S/static; [ -f $S/transient ] || echo old-transient > $S/transient
echo "hostnamectl $*" >> $S/log
kinds=; while [ $# -gt 0 ]; do case $1 in --transient) kinds="$kinds transient"; shift;; --static) kinds="$kinds static"; shift;; --pretty) kinds="$kinds pretty"; shift;; *) break;; esac; done
case $1 in
  status) for k in $kinds; do cat $S/$k; done;;
  set-hostname) for k in $kinds; do echo "$2" > $S/$k; done;;
esac
`;

const TIMEDATECTL = `#!/bin/sh
S=/var/lib/fake-timedated; mkdir -p $S; [ -f $S/zone ] || echo Etc/UTC > $S/zone; [ -f $S/rtc ] || echo no > $S/rtc
case $1 in
  ''|status) printf '               Local time: Mon 2024-01-01 00:00:00 UTC\\n                Time zone: %s (UTC, +0000)\\n          RTC in local TZ: %s\\n' "$(cat $S/zone)" "$(cat $S/rtc)";;
  set-timezone) [ -f "/usr/share/zoneinfo/$2" ] || { echo "Invalid time zone '$2'" >&2; exit 1; }; echo "$2" > $S/zone;;
  set-local-rtc) echo "$2" > $S/rtc;;
esac
`;

describe('hostname and timezone on a systemd host (stand-in hostnamectl and timedatectl)', () => {
  beforeAll(async () => {
    const setup = await h.sh(`cat > /usr/bin/hostnamectl <<'EOS'\n${HOSTNAMECTL}EOS\ncat > /usr/bin/timedatectl <<'EOS'\n${TIMEDATECTL}EOS\nchmod 0755 /usr/bin/hostnamectl /usr/bin/timedatectl`);
    expect(setup.rc, setup.stderr).toBe(0);
  });

  it('hostname matches Ansible (static name first, then the transient one)', async () => {
    const { hostnameModule } = await import('../../../src/modules/core/system/hostname.js');
    const step = (args: Record<string, unknown>, check = false): Step => ({ module: hostnameModule as never, ansibleName: 'hostname', args, check, diff: true });
    const { ansible, tsplay } = await bothSides(h, [step({ name: 'db1' }, true), step({ name: 'db1' }), step({ name: 'db1' })], 'rm -rf /var/lib/fake-hostnamed');
    const withoutFqdn = (results: typeof ansible) => results.map((r) => ({ ...r, ansible_facts: undefined }));
    expect(withoutFqdn(tsplay)).toEqual(withoutFqdn(ansible));
    expect((await h.sh('cat /var/lib/fake-hostnamed/log')).stdout.split('\n').filter((l) => l.includes('set-hostname'))).toEqual(['hostnamectl --pretty --static set-hostname db1', 'hostnamectl --transient set-hostname db1']);
  });

  it('timezone matches Ansible (timedatectl)', async () => {
    const { timezoneModule } = await import('../../../src/modules/core/system/timezone.js');
    const step = (args: Record<string, unknown>, check = false): Step => ({ module: timezoneModule as never, ansibleName: 'community.general.timezone', args, check });
    const { ansible, tsplay } = await bothSides(
      h,
      [step({ name: 'Asia/Tokyo' }, true), step({ name: 'Asia/Tokyo', hwclock: 'local' }), step({ name: 'Asia/Tokyo', hwclock: 'local' })],
      'rm -rf /var/lib/fake-timedated',
    );
    expect(tsplay).toEqual(ansible);
  });
});
