// user and group on an isolated host over SSH, compared step by step with Ansible's
// modules run against the same host (each side from the same starting state).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizedKeyModule } from '../../../src/modules/core/system/authorized-key.js';
import { groupModule } from '../../../src/modules/core/system/group.js';
import { userModule } from '../../../src/modules/core/system/user.js';
import { bothSides, startIsolatedHost, type IsolatedHost, type Step } from '../packages/host.js';

let h: IsolatedHost;

beforeAll(async () => {
  h = await startIsolatedHost();
});

afterAll(async () => {
  await h?.stop();
});

const RESET = 'userdel -r alice >/dev/null 2>&1; groupdel devs >/dev/null 2>&1; groupdel ops2 >/dev/null 2>&1; groupdel alice >/dev/null 2>&1; rm -rf /srv/homes; true';

describe('group', () => {
  it('matches Ansible: create (check, real, again), change gid, remove', async () => {
    const step = (args: Record<string, unknown>, check = false): Step => ({ module: groupModule as never, ansibleName: 'group', args: { name: 'devs', ...args }, check });
    const { ansible, tsplay } = await bothSides(h, [step({ gid: 2345 }, true), step({ gid: 2345 }), step({ gid: 2345 }), step({ gid: 2346 }), step({ state: 'absent' }), step({ state: 'absent' })], RESET);
    expect(tsplay).toEqual(ansible);
    expect(tsplay[1]).toEqual({ name: 'devs', state: 'present', changed: true, system: false, gid: 2345 });
  });
});

describe('user', () => {
  it('matches Ansible: create with groups and home, idempotent, modify, remove', async () => {
    const step = (args: Record<string, unknown>, check = false): Step => ({ module: userModule as never, ansibleName: 'user', args: { name: 'alice', ...args }, check });
    const { ansible, tsplay } = await bothSides(
      h,
      [
        { module: groupModule as never, ansibleName: 'group', args: { name: 'devs' } },
        { module: groupModule as never, ansibleName: 'group', args: { name: 'ops2' } },
        step({ comment: 'Alice A', shell: '/bin/bash', groups: ['devs'], home: '/srv/homes/alice' }, true),
        step({ comment: 'Alice A', shell: '/bin/bash', groups: ['devs'], home: '/srv/homes/alice' }),
        step({ comment: 'Alice A', shell: '/bin/bash', groups: ['devs'], home: '/srv/homes/alice' }),
        step({ groups: ['ops2'], append: true }),
        step({ groups: ['ops2'] }),
        step({ uid: 4321, shell: '/bin/sh' }, true),
        step({ uid: 4321, shell: '/bin/sh' }),
        step({ password: '$6$salt$IxDD3jeSOb5eB1CX5LBsqZFVkJdido3OUILO5Ifz5iwMuTS4XMS130MTSuDDl3aCI6WouIL9AjRbLCelDCy.g.' }),
        step({ password: '$6$salt$IxDD3jeSOb5eB1CX5LBsqZFVkJdido3OUILO5Ifz5iwMuTS4XMS130MTSuDDl3aCI6WouIL9AjRbLCelDCy.g.', password_lock: true }),
        step({ state: 'absent', remove: true }, true),
        step({ state: 'absent', remove: true }),
        step({ state: 'absent' }),
      ],
      RESET,
    );
    expect(tsplay).toEqual(ansible);
    expect(tsplay[3]).toMatchObject({ changed: true, name: 'alice', home: '/srv/homes/alice', shell: '/bin/bash', comment: 'Alice A', groups: 'devs', create_home: true, system: false });
  });
});

describe('authorized_key', () => {
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl first@example';
  it("matches Ansible for a user's default file: created with its directory, then ok, then removed", async () => {
    const step = (args: Record<string, unknown>, check = false, diff = true): Step => ({ module: authorizedKeyModule as never, ansibleName: 'ansible.posix.authorized_key', args: { user: 'alice', key, ...args }, check, diff });
    const { ansible, tsplay } = await bothSides(
      h,
      [
        { module: userModule as never, ansibleName: 'user', args: { name: 'alice' } },
        step({}, true),
        step({}),
        step({}),
        step({ key_options: 'no-pty' }),
        step({ state: 'absent' }),
      ],
      RESET,
    );
    expect(tsplay).toEqual(ansible);
    expect(tsplay[2]).toMatchObject({ changed: true, keyfile: '/home/alice/.ssh/authorized_keys' });
  });
});
