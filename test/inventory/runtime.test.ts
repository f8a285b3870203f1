// Inventory behaviour seen from a playbook run: the implicit localhost, add_host and
// group_by. Expectations were recorded from ansible-playbook (json callback) on the same
// fixtures; the live tests run it again and check the recording still holds.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/inventory.js';
import type { InventoryView } from '../../src/vars/inventory-view.js';
import { FIXTURES, runAnsible } from './ansible-oracle.js';

async function playbookMessages(dir: string): Promise<Record<string, unknown>[]> {
  // one fork: Ansible applies group_by results in the order hosts finish
  const result = await runAnsible('ansible-playbook', ['-i', 'hosts', 'play.yml', '--forks', '1'], {
    cwd: join(FIXTURES, dir),
    env: { ANSIBLE_STDOUT_CALLBACK: 'json' },
  });
  expect(result.code).toBe(0);
  const data = JSON.parse(result.stdout) as { plays: { tasks: { hosts: Record<string, { msg?: Record<string, unknown> }> }[] }[] };
  return data.plays[0]!.tasks.flatMap((t) => Object.values(t.hosts).flatMap((r) => (r.msg ? [r.msg] : [])));
}

const sortKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

// ansible-playbook -i hosts play.yml in fixtures/localhost
const LOCALHOST_RECORDED = {
  all: ['h1'],
  connection: 'local',
  group_names: [],
  gv: 'all',
  has_inventory_dir: false,
  hv: 'lh',
  name: 'localhost',
  python: '/usr/bin/python3',
  x: 1,
};

// ansible-playbook -i hosts play.yml in fixtures/runtime
const RUNTIME_RECORDED = {
  groups: {
    all: ['new1', 'web1', 'web2', 'db1'],
    by_web1: ['web1'],
    by_web2: ['web2'],
    byhost: ['web1', 'web2'],
    db: ['db1'],
    dyn: ['new1'],
    extra: ['web2'],
    ungrouped: [],
    web: ['web1', 'web2', 'new1'],
  },
  names: {
    db1: ['db'],
    new1: ['dyn', 'web'],
    web1: ['by_web1', 'byhost', 'web'],
    web2: ['by_web2', 'byhost', 'extra', 'web'],
  },
  new1_foo: 'bar',
  web2_color: 'red',
};

describe('implicit localhost', () => {
  const dir = join(FIXTURES, 'localhost');

  it('exists only on demand, outside `all`, with local connection and the inventory vars', () => {
    const inventory = loadInventory([join(dir, 'hosts')]);
    expect(inventory.getHosts('all').map((h) => h.name)).toEqual(['h1']);
    expect(inventory.data.hosts.has('localhost')).toBe(false);
    expect(inventory.selectHosts(['localhost'])).toEqual(['localhost']);
    const vars = inventory.hostVars('localhost', [dir]);
    const mine = {
      all: inventory.groups().all,
      connection: vars.ansible_connection,
      group_names: vars.group_names,
      gv: vars.gv,
      has_inventory_dir: 'inventory_dir' in vars,
      hv: vars.hv,
      name: vars.inventory_hostname,
      python: vars.ansible_python_interpreter,
      x: vars.x,
    };
    expect(mine).toEqual(LOCALHOST_RECORDED);
    expect(inventory.takeWarnings()).toEqual([]);
  });

  it('is the same object for every localhost name, and 127.0.0.1 keeps its own name', () => {
    const inventory = loadInventory(['h1,']);
    const first = inventory.getHosts('127.0.0.1');
    expect(first.map((h) => h.name)).toEqual(['127.0.0.1']);
    expect(first[0]!.implicit).toBe(true);
    expect(inventory.getHost('localhost')).toBe(first[0]);
  });

  it('is replaced by an inventory entry named localhost', () => {
    const inventory = loadInventory(['localhost,other,']);
    const host = inventory.getHost('localhost')!;
    expect(host.implicit).toBe(false);
    expect(inventory.getHosts('all').map((h) => h.name)).toEqual(['localhost', 'other']);
    expect(host.vars.ansible_connection).toBeUndefined();
  });

  it('live: ansible-playbook still answers as recorded', async () => {
    const [msg] = await playbookMessages('localhost');
    expect(msg).toEqual(LOCALHOST_RECORDED);
  });
});

describe('add_host and group_by', () => {
  const replay = () => {
    const inventory = loadInventory([join(FIXTURES, 'runtime/hosts')]);
    const playHosts = inventory.selectHosts(['web']);
    const changes = [
      inventory.addHost('new1', ['dyn', 'web'], { foo: 'bar' }),
      inventory.addHost('web2', ['extra'], { color: 'red' }),
      ...playHosts.map((h) => inventory.addHostToGroup(h, `by_${h}`, ['byhost', 'web'])),
    ];
    return { inventory, changes };
  };

  it('change the groups, group_names and host variables as in Ansible', () => {
    const { inventory, changes } = replay();
    expect(changes).toEqual([true, true, true, true]);
    const names = Object.fromEntries(inventory.groups().all!.map((h) => [h, inventory.groupNames(h)]));
    const mine = {
      groups: sortKeys(inventory.groups()),
      names: sortKeys(names),
      new1_foo: inventory.hostVars('new1').foo,
      web2_color: inventory.hostVars('web2').color,
    };
    expect(mine).toEqual(RUNTIME_RECORDED);
  });

  it('report no change when repeated, and survive refresh_inventory', () => {
    const { inventory } = replay();
    expect(inventory.addHost('new1', ['dyn'], { foo: 'bar' })).toBe(false);
    expect(inventory.addHostToGroup('web1', 'by_web1', ['byhost'])).toBe(false);
    const before = sortKeys(inventory.groups());
    inventory.refresh();
    expect(sortKeys(inventory.groups())).toEqual(before);
    expect(inventory.hostVars('web2').color).toBe('red');
  });

  it('invalidate cached variables and pattern results', () => {
    const inventory = loadInventory([join(FIXTURES, 'runtime/hosts')]);
    expect(inventory.selectHosts(['dyn'])).toEqual([]);
    expect(inventory.hostVars('web1').group_names).toEqual(['web']);
    inventory.addHostToGroup('web1', 'dyn');
    expect(inventory.selectHosts(['dyn'])).toEqual(['web1']);
    expect(inventory.hostVars('web1').group_names).toEqual(['dyn', 'web']);
  });

  it('recompute only the variables a change can affect', () => {
    const dir = join(FIXTURES, 'runtime');
    const inventory = loadInventory([join(dir, 'hosts')]);
    const all = () => Object.fromEntries(['web1', 'web2', 'db1'].map((h) => [h, inventory.hostVars(h, dir)]));
    all();
    inventory.addHostToGroup('web1', 'dyn');
    expect(all().web1!.dyn_var).toBe(1);
    expect(all().web2!.dyn_var).toBeUndefined();
    // an existing group with hosts gets a new parent: all its hosts see the parent's vars
    inventory.addHostToGroup('db1', 'web', ['new_parent']);
    const after = all();
    expect([after.web1!.parent_var, after.web2!.parent_var, after.db1!.parent_var]).toEqual([2, 2, 2]);
    expect(after.web2!.group_names).toEqual(['new_parent', 'web']);
    inventory.addHost('web2', [], { color: 'green' });
    expect(all().web2!.color).toBe('green');
    expect(all().web1!.color).toBeUndefined();
  });

  it('group_by on a host not in the inventory fails as in Ansible', () => {
    const inventory = loadInventory([join(FIXTURES, 'runtime/hosts')]);
    expect(() => inventory.addHostToGroup('ghost', 'g')).toThrow('ghost cannot be matched in inventory');
  });

  it('live: ansible-playbook still answers as recorded', async () => {
    const [msg] = await playbookMessages('runtime');
    expect(msg).toEqual(RUNTIME_RECORDED);
  });
});

describe('the engine\'s view of the inventory', () => {
  it('is implemented by Inventory', () => {
    const view: InventoryView = loadInventory([join(FIXTURES, 'runtime/hosts')]);
    expect(view.selectHosts(['web'])).toEqual(['web1', 'web2']);
    expect(view.hasHost('db1')).toBe(true);
    expect(view.hasHost('nope')).toBe(false);
    expect(view.sources()).toEqual([join(FIXTURES, 'runtime/hosts')]);
    expect(view.inventorySource('db1')).toEqual({ file: join(FIXTURES, 'runtime/hosts'), dir: join(FIXTURES, 'runtime') });
  });
});
