// service and systemd on an isolated host whose PID 1 is not systemd: the SysV path
// (an LSB init script driven through `service`, enabled with update-rc.d), the way
// Ansible's service module manages such a host, and systemd's fallback to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceModule } from '../../../src/modules/core/services/service.js';
import { parseSystemctlShow } from '../../../src/modules/core/services/systemctl.js';
import { systemdModule } from '../../../src/modules/core/services/systemd.js';
import { bothSides, startIsolatedHost, type IsolatedHost } from '../packages/host.js';

let h: IsolatedHost;

// A daemon (sleep) with a pid file, and an init script with start/stop/restart/reload/status.
const INIT_SCRIPT = `#!/bin/sh
### BEGIN INIT INFO
# Provides:          tsplay-demo
# Required-Start:    $remote_fs
# Required-Stop:     $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: demo daemon
### END INIT INFO
PIDFILE=/run/tsplay-demo.pid
running() { [ -f $PIDFILE ] && kill -0 "$(cat $PIDFILE)" 2>/dev/null; }
case "$1" in
  start) running || { setsid sleep 100000 </dev/null >/dev/null 2>&1 & echo $! > $PIDFILE; }; echo started >> /tmp/tsplay-demo.log ;;
  stop) running && kill "$(cat $PIDFILE)"; rm -f $PIDFILE; echo stopped >> /tmp/tsplay-demo.log ;;
  restart) $0 stop; $0 start ;;
  reload) echo reloaded >> /tmp/tsplay-demo.log ;;
  status) if running; then echo "tsplay-demo is running"; exit 0; else echo "tsplay-demo is not running"; exit 3; fi ;;
  *) echo "Usage: $0 {start|stop|restart|reload|status}"; exit 2 ;;
esac
exit 0
`;

beforeAll(async () => {
  h = await startIsolatedHost();
  const put = await h.sh(`cat > /etc/init.d/tsplay-demo <<'EOS'\n${INIT_SCRIPT}EOS\nchmod 0755 /etc/init.d/tsplay-demo`);
  expect(put.rc, put.stderr).toBe(0);
});

afterAll(async () => {
  await h?.stop();
});

const running = async () => (await h.sh('/etc/init.d/tsplay-demo status')).rc === 0;
const log = async () => (await h.sh('cat /tmp/tsplay-demo.log 2>/dev/null')).stdout.split('\n').filter(Boolean);

describe('service (SysV, systemd is not PID 1)', () => {
  it('starts: check mode reports, then started, then ok', async () => {
    expect(await h.run(serviceModule, { name: 'tsplay-demo', state: 'started' }, { check: true })).toEqual({ changed: true, msg: 'service state changed' });
    expect(await running()).toBe(false);
    expect(await h.run(serviceModule, { name: 'tsplay-demo', state: 'started' })).toEqual({ name: 'tsplay-demo', changed: true, state: 'started' });
    expect(await running()).toBe(true);
    expect(await h.run(serviceModule, { name: 'tsplay-demo', state: 'started' })).toEqual({ name: 'tsplay-demo', changed: false, state: 'started' });
  });

  it('restarts (stop then start) and reloads a running service', async () => {
    await h.sh('rm -f /tmp/tsplay-demo.log');
    expect(await h.run(serviceModule, { name: 'tsplay-demo', state: 'restarted' })).toMatchObject({ changed: true, state: 'started' });
    expect(await log()).toEqual(['stopped', 'started']);
    expect(await h.run(serviceModule, { name: 'tsplay-demo', state: 'reloaded' })).toMatchObject({ changed: true, state: 'started' });
    expect((await log()).at(-1)).toBe('reloaded');
  });

  it('enables at boot with update-rc.d, idempotently, check mode first', async () => {
    const enabledLinks = async () => (await h.sh('ls /etc/rc2.d/ | grep -c "^S..tsplay-demo$"')).stdout.trim();
    expect(await h.run(serviceModule, { name: 'tsplay-demo', enabled: true }, { check: true })).toEqual({ name: 'tsplay-demo', changed: true, enabled: true });
    expect(await enabledLinks()).toBe('0');
    expect(await h.run(serviceModule, { name: 'tsplay-demo', enabled: true })).toEqual({ name: 'tsplay-demo', changed: true, enabled: true });
    expect(await enabledLinks()).toBe('1');
    expect(await h.run(serviceModule, { name: 'tsplay-demo', enabled: true })).toEqual({ name: 'tsplay-demo', changed: false, enabled: true });
    expect(await h.run(serviceModule, { name: 'tsplay-demo', enabled: false })).toEqual({ name: 'tsplay-demo', changed: true, enabled: false });
    expect(await enabledLinks()).toBe('0');
  });

  it('stops, and a pattern decides what runs', async () => {
    expect(await h.run(serviceModule, { name: 'tsplay-demo', state: 'stopped', pattern: 'sleep 100000' })).toEqual({ name: 'tsplay-demo', changed: true, state: 'stopped' });
    expect(await running()).toBe(false);
    expect(await h.run(serviceModule, { name: 'tsplay-demo', state: 'stopped' })).toEqual({ name: 'tsplay-demo', changed: false, state: 'stopped' });
  });

  it('fails for an unknown service as Ansible does', async () => {
    const result = await h.run(serviceModule, { name: 'no-such-service', state: 'started' });
    expect(result).toMatchObject({ failed: true });
  });
});

describe('systemd falls back to SysV where systemd is not running', () => {
  it('reports the manager used, starts and stops through the init script', async () => {
    const check = await h.run(systemdModule, { name: 'tsplay-demo', state: 'started' }, { check: true });
    expect(check).toMatchObject({ changed: true, service_manager: 'sysv', status: { ActiveState: 'inactive' } });
    expect(await running()).toBe(false);
    const started = await h.run(systemdModule, { name: 'tsplay-demo.service', state: 'started', enabled: true });
    expect(started).toMatchObject({ name: 'tsplay-demo.service', changed: true, state: 'started', enabled: true, service_manager: 'sysv' });
    expect((started.warnings as string[])[0]).toMatch(/systemd is not the init system/);
    expect(await running()).toBe(true);
    const again = await h.run(systemdModule, { name: 'tsplay-demo', state: 'started', enabled: true });
    expect(again).toMatchObject({ changed: false, status: { ActiveState: 'active' } });
    expect(await h.run(systemdModule, { name: 'tsplay-demo', state: 'stopped' })).toMatchObject({ changed: true, state: 'stopped' });
    expect(await running()).toBe(false);
  });

  it('daemon_reload alone is a no-op, and a missing unit fails as in Ansible', async () => {
    expect(await h.run(systemdModule, { daemon_reload: true })).toMatchObject({ changed: false, name: null });
    expect(await h.run(systemdModule, { name: 'nothing-here', state: 'started' })).toMatchObject({ failed: true, msg: 'Could not find the requested service nothing-here: host' });
  });
});

describe('systemctl show parsing', () => {
  it('reads key=value lines and multi-line Exec values', () => {
    const parsed = parseSystemctlShow('Id=nginx.service\nActiveState=active\nExecStart={ path=/usr/sbin/nginx ; argv[]=/usr/sbin/nginx\n -g daemon on; }\nLoadState=loaded\n');
    expect(parsed).toEqual({ Id: 'nginx.service', ActiveState: 'active', ExecStart: '{ path=/usr/sbin/nginx ; argv[]=/usr/sbin/nginx\n -g daemon on; }', LoadState: 'loaded' });
  });
});

describe('service against Ansible on the same host', () => {
  it('returns what Ansible 2.14 returns, step by step', async () => {
    const step = (args: Record<string, unknown>, check = false) => ({ module: serviceModule as never, ansibleName: 'service', args: { name: 'tsplay-demo', ...args }, check });
    const { ansible, tsplay } = await bothSides(
      h,
      [
        step({ state: 'started' }, true),
        step({ state: 'started' }),
        step({ state: 'started' }),
        step({ state: 'restarted' }),
        step({ state: 'reloaded' }),
        step({ enabled: true }, true),
        step({ enabled: true }),
        step({ enabled: true }),
        step({ enabled: false, state: 'stopped' }),
        step({ state: 'stopped' }),
      ],
      '/etc/init.d/tsplay-demo stop >/dev/null; update-rc.d -f tsplay-demo remove >/dev/null 2>&1; true',
    );
    expect(tsplay).toEqual(ansible);
  });
});
