// cron, sysctl, hostname and timezone on an isolated host over SSH, compared step by
// step with Ansible's modules against the same host. The sysctl key is one of the IPC
// namespace's (kernel.msgmax): the host has its own, so this machine's stays untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronModule } from '../../../src/modules/core/system/cron.js';
import { hostnameModule } from '../../../src/modules/core/system/hostname.js';
import { sysctlModule } from '../../../src/modules/core/system/sysctl.js';
import { timezoneModule } from '../../../src/modules/core/system/timezone.js';
import { bothSides, startIsolatedHost, type IsolatedHost, type Step } from '../packages/host.js';

let h: IsolatedHost;

beforeAll(async () => {
  h = await startIsolatedHost();
});

afterAll(async () => {
  await h?.stop();
});

describe('cron', () => {
  it("matches Ansible on root's crontab: add (check, real, again), env, change, remove; with diff", async () => {
    const step = (args: Record<string, unknown>, check = false): Step => ({ module: cronModule as never, ansibleName: 'cron', args, check, diff: true });
    const job = { name: 'backup', job: '/usr/local/bin/backup', minute: '5', hour: '2' };
    const { ansible, tsplay } = await bothSides(
      h,
      [step(job, true), step(job), step(job), step({ name: 'MAILTO', env: true, job: 'ops@example.com' }), step({ ...job, minute: '10' }), step({ name: 'backup', state: 'absent' }), step({ name: 'backup', state: 'absent' })],
      'crontab -r 2>/dev/null; true',
    );
    expect(tsplay).toEqual(ansible);
    expect(tsplay[1]).toMatchObject({ changed: true, jobs: ['backup'], envs: [] });
    expect((await h.sh('crontab -l')).stdout).toBe('MAILTO="ops@example.com"\n');
  });
});

describe('sysctl', () => {
  it('matches Ansible: file and live value, reload, absent', async () => {
    const file = '/tmp/tsplay-sysctl.conf';
    const step = (args: Record<string, unknown>, check = false): Step => ({ module: sysctlModule as never, ansibleName: 'ansible.posix.sysctl', args: { sysctl_file: file, ...args }, check });
    const { ansible, tsplay } = await bothSides(
      h,
      [
        step({ name: 'kernel.msgmax', value: '9000', sysctl_set: true }, true),
        step({ name: 'kernel.msgmax', value: '9000', sysctl_set: true }),
        step({ name: 'kernel.msgmax', value: '9000', sysctl_set: true }),
        step({ name: 'kernel.msgmnb', value: '20000' }),
        step({ name: 'kernel.msgmnb', state: 'absent', reload: false }),
      ],
      `sysctl -q -w kernel.msgmax=8192 kernel.msgmnb=16384; printf '# test\\n' > ${file}`,
    );
    expect(tsplay).toEqual(ansible);
    expect(tsplay.map((r) => r.changed)).toEqual([true, true, false, true, true]);
    expect((await h.sh('sysctl -n kernel.msgmax')).stdout.trim()).toBe('9000');
    expect((await h.sh(`cat ${file}`)).stdout).toBe('# test\nkernel.msgmax=9000\n');
  });
});

describe('hostname', () => {
  it('matches Ansible (Debian without systemd: /etc/hostname)', async () => {
    const step = (args: Record<string, unknown>, check = false): Step => ({ module: hostnameModule as never, ansibleName: 'hostname', args, check, diff: true });
    const { ansible, tsplay } = await bothSides(h, [step({ name: 'web1.example.test' }, true), step({ name: 'web1.example.test' }), step({ name: 'web1.example.test' })], 'echo old-name > /etc/hostname');
    const withoutFqdn = (results: typeof ansible) => results.map((r) => ({ ...r, ansible_facts: undefined }));
    expect(withoutFqdn(tsplay)).toEqual(withoutFqdn(ansible));
    expect(tsplay[1]).toMatchObject({ changed: true, name: 'web1.example.test', diff: { before: 'hostname = old-name\n', after: 'hostname = web1.example.test\n' } });
    expect((await h.sh('cat /etc/hostname')).stdout).toBe('web1.example.test\n');
  });
});

describe('timezone', () => {
  it('matches Ansible (Debian without systemd: /etc/timezone and /etc/localtime)', async () => {
    const step = (args: Record<string, unknown>, check = false): Step => ({ module: timezoneModule as never, ansibleName: 'community.general.timezone', args, check });
    const { ansible, tsplay } = await bothSides(
      h,
      [step({ name: 'Europe/Paris' }, true), step({ name: 'Europe/Paris' }), step({ name: 'Europe/Paris' }), step({ name: 'Nowhere/City' })],
      'echo Etc/UTC > /etc/timezone; ln -sf /usr/share/zoneinfo/Etc/UTC /etc/localtime',
    );
    expect(tsplay).toEqual(ansible);
    expect(tsplay[1]).toMatchObject({ changed: true, diff: { before: { name: 'Etc/UTC' }, after: { name: 'Europe/Paris' } } });
    expect((await h.sh('readlink /etc/localtime')).stdout.trim()).toBe('/usr/share/zoneinfo/Europe/Paris');
  });
});
