// The inventory API the engine uses beyond what ansible-inventory shows: host order,
// serial restrictions, variable levels, source errors with positions, inventory_file and
// inventory_dir, vaulted vars files, ansible-playbook's start-up checks.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionsError, TsplayError } from '../../src/errors.js';
import { InventoryLoadError, loadInventory } from '../../src/inventory/inventory.js';
import { installVault } from '../../src/vault/active-vault.js';
import { VaultSecret } from '../../src/vault/secret.js';
import { VaultLib } from '../../src/vault/vault-lib.js';
import { FIXTURES, runAnsible, runPython } from './ansible-oracle.js';

const patterns = join(FIXTURES, 'patterns/hosts.ini');
const precedence = join(FIXTURES, 'precedence');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tsplay-inventory-'));
}

describe('host order (the play keyword `order`)', () => {
  const inventory = loadInventory([patterns]);
  const names = (order: string) => inventory.getHosts('web', { order }).map((h) => h.name);

  it('sorts, reverses and shuffles the inventory order', () => {
    expect(names('inventory')).toEqual(['web01.example.com', 'web02.example.com', 'web03.example.com', 'web04.example.com']);
    expect(names('reverse_inventory')).toEqual(['web04.example.com', 'web03.example.com', 'web02.example.com', 'web01.example.com']);
    expect(inventory.getHosts('db', { order: 'sorted' }).map((h) => h.name)).toEqual(['db-a', 'db-b', 'db-c', 'dbx']);
    expect(inventory.getHosts('db', { order: 'reverse_sorted' }).map((h) => h.name)).toEqual(['dbx', 'db-c', 'db-b', 'db-a']);
    expect([...names('shuffle')].sort()).toEqual([...names('inventory')].sort());
  });

  it('rejects an unknown order as bad options', () => {
    expect(() => names('random')).toThrow(OptionsError);
    expect(() => names('random')).toThrow("Invalid 'order' specified for inventory hosts: random");
  });
});

describe('serial restrictions and limits', () => {
  it('restrict getHosts to a batch until lifted, and --limit can be removed', () => {
    const inventory = loadInventory([patterns]);
    inventory.restrictToHosts(['web02.example.com', 'db-a']);
    expect(inventory.selectHosts(['app'])).toEqual(['web02.example.com', 'db-a']);
    expect(inventory.getHosts('app', { ignoreRestrictions: true })).toHaveLength(8);
    inventory.removeRestriction();
    inventory.subset('db');
    expect(inventory.selectHosts(['app'])).toEqual(['db-a', 'db-b', 'db-c', 'dbx']);
    expect(inventory.getHosts('app', { ignoreLimits: true })).toHaveLength(8);
    inventory.subset(undefined);
    expect(inventory.selectHosts(['app'])).toHaveLength(8);
  });

  it('reads @file limits relative to the working directory', () => {
    const inventory = loadInventory([patterns], { cwd: FIXTURES });
    inventory.subset('@patterns/limit.txt');
    expect(inventory.selectHosts(['all'])).toEqual(['lone', 'web01.example.com']);
    expect(() => inventory.subset('@patterns')).toThrow(`Limit starting with "@" must be a file, not a directory: b'patterns'`);
  });

  it('subscripts out of range fail as Ansible does', () => {
    const inventory = loadInventory([patterns]);
    expect(() => inventory.getHosts('web[9]')).toThrow("No hosts matched the subscripted pattern 'web[9]'");
  });

  it('HOST_PATTERN_MISMATCH=error makes an unmatched pattern fatal', () => {
    const inventory = loadInventory([patterns], { hostPatternMismatch: 'error' });
    expect(() => inventory.getHosts('nothere')).toThrow('Could not match supplied host pattern, ignoring: nothere');
    const quiet = loadInventory([patterns], { hostPatternMismatch: 'ignore' });
    expect(quiet.getHosts('nothere')).toEqual([]);
    expect(quiet.takeWarnings()).toEqual([]);
  });
});

describe('ansible-playbook start-up checks', () => {
  const play = join(FIXTURES, 'localhost/play.yml');

  it('warn like ansible-playbook when no inventory was parsed', async () => {
    const inventory = loadInventory([join(FIXTURES, 'nonexistent.ini')]);
    expect(inventory.parsed).toBe(false);
    expect(inventory.checkHostList(undefined)).toEqual([]);
    const mine = inventory.takeWarnings();
    expect(mine).toEqual([
      `Unable to parse ${join(FIXTURES, 'nonexistent.ini')} as an inventory source`,
      'No inventory was parsed, only implicit localhost is available',
      "provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'",
    ]);
    // the same run of ansible-playbook prints these three warnings first
    const result = await runAnsible('ansible-playbook', ['-i', 'nonexistent.ini', play, '--list-hosts']);
    const squeezed = result.stderr.replace(/\s+/g, '');
    expect(squeezed.startsWith(mine.map((w) => `[WARNING]:${w.replace(/\s+/g, '')}`).join(''))).toBe(true);
  });

  it('fail when --limit leaves no host, and stay quiet with localhost_warning off', () => {
    const inventory = loadInventory([patterns]);
    expect(() => inventory.checkHostList('nomatch')).toThrow('Specified inventory, host pattern and/or --limit leaves us with no hosts to target.');
    const empty = loadInventory([join(FIXTURES, 'errors/empty.yml')], { localhostWarning: false, unparsedWarning: false });
    expect(empty.checkHostList(undefined)).toEqual([]);
    expect(empty.takeWarnings().some((w) => w.startsWith('provided hosts list'))).toBe(false);
  });

  it('any_unparsed_is_failed stops with the failures as warnings first', () => {
    let error: unknown;
    try {
      loadInventory([join(FIXTURES, 'errors/loop.ini')], { anyUnparsedIsFailed: true });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InventoryLoadError);
    const e = error as InventoryLoadError;
    expect(e.message).toBe(`Completely failed to parse inventory source ${join(FIXTURES, 'errors/loop.ini')}`);
    expect(e.warnings[0]).toContain("Adding group 'a' as child to 'b' creates a recursive dependency loop.");
  });
});

describe('source errors keep their position', () => {
  it('INI errors point at the line, with Ansible\'s path:line: message', () => {
    const file = join(FIXTURES, 'errors/host-var-without-value.ini');
    const inventory = loadInventory([file]);
    const failure = inventory.failures.find((f) => f.plugin === 'ini')!;
    expect(failure.error).toBeInstanceOf(TsplayError);
    expect(failure.error.message).toBe(`${file}:2: Expected key=value host variable assignment, got: novalue`);
    expect(failure.error.pos).toEqual({ file, line: 2, column: 1 });
    // Ansible shows INI errors without a source excerpt
    expect(failure.error.describe()).toBe(failure.error.message);
  });

  it('YAML syntax errors point into the file and describe it as Ansible does', () => {
    const file = join(FIXTURES, 'errors/syntax.yml');
    const failure = loadInventory([file]).failures.find((f) => f.plugin === 'yaml')!;
    expect(failure.error.pos?.file).toBe(file);
    expect(failure.error.pos?.line).toBe(3);
    expect(failure.error.describe()).toContain(`The error appears to be in '${file}': line 3`);
  });

  it('YAML structure errors point at the key', () => {
    const file = join(FIXTURES, 'errors/int-host.yml');
    const failure = loadInventory([file]).failures.find((f) => f.plugin === 'yaml')!;
    expect(failure.error.message).toBe('Host pattern 1 must be a string. Enclose integers/floats in quotation marks.');
    expect(failure.error.pos).toEqual({ file, line: 3, column: 5 });
  });
});

describe('variable levels', () => {
  it('keeps Ansible\'s levels apart, lowest precedence first', () => {
    const inventory = loadInventory([join(precedence, 'inventory')]);
    const layers = inventory.hostVarLayers('web1', join(precedence, 'playbooks'));
    expect(layers.map((l) => l.level)).toEqual([
      'all_inventory',
      'groups_inventory',
      'all_plugins_inventory',
      'all_plugins_play',
      'groups_plugins_inventory',
      'groups_plugins_play',
      'host_inventory',
      'host_plugins_inventory',
      'host_plugins_play',
    ]);
    const lvl = Object.fromEntries(layers.map((l) => [l.level, l.vars.lvl]));
    expect(lvl).toEqual({
      all_inventory: 'all_ini',
      groups_inventory: 'web_ini',
      all_plugins_inventory: 'all_inv_gv',
      all_plugins_play: 'all_pb_gv',
      groups_plugins_inventory: 'web_inv_gv',
      groups_plugins_play: 'web_pb_gv',
      host_inventory: undefined,
      host_plugins_inventory: 'web1_inv_hv',
      host_plugins_play: undefined,
    });
    expect(inventory.hostVars('web1', join(precedence, 'playbooks')).lvl).toBe('web1_inv_hv');
    expect(inventory.hostVars('web1').deep).toBe('app_inv_gv');
  });

  it('gives every host inventory_file and inventory_dir of the file it first appeared in', async () => {
    const source = join(precedence, 'inventory');
    const python = (await runPython(
      `
import json, sys
from ansible.parsing.dataloader import DataLoader
from ansible.inventory.manager import InventoryManager
inv = InventoryManager(DataLoader(), json.load(sys.stdin))
print(json.dumps({h.name: [h.vars.get('inventory_file'), h.vars.get('inventory_dir')] for h in inv.get_hosts()}))
`,
      [source],
    )) as Record<string, [string, string]>;
    const inventory = loadInventory([source]);
    const mine = Object.fromEntries(inventory.getHosts().map((h) => [h.name, [h.vars.inventory_file, h.vars.inventory_dir]]));
    expect(mine).toEqual(python);
    expect(inventory.inventorySource('db2')).toEqual({ file: join(source, '02-more.yml'), dir: source });
  });
});

describe('vaulted and broken vars files', () => {
  afterEach(() => installVault(new VaultLib()));

  it('decrypts a whole-file vault with the run\'s vault', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'hosts'), 'h1\n');
    const vault = new VaultLib([new VaultSecret('default', 'pw')]);
    writeFileSync(join(dir, 'group_vars', 'all.yml'), vault.encrypt('secret: s3cr3t\n'));
    installVault(vault);
    expect(loadInventory([join(dir, 'hosts')]).hostVars('h1').secret).toBe('s3cr3t');
  });

  it('fails with exit code 4 (Ansible\'s parser error) on bad vars files', () => {
    const inventory = loadInventory([join(FIXTURES, 'bad-vars/list/hosts')]);
    let error: unknown;
    try {
      inventory.hostVars('h1');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TsplayError);
    expect((error as TsplayError).exitCode).toBe(4);
  });
});

describe('inventory directories', () => {
  it('skip ignored extensions, hidden files and vars directories, and recurse into subdirectories', () => {
    const inventory = loadInventory([join(precedence, 'inventory')]);
    expect(inventory.getHosts().map((h) => h.name).sort()).toEqual(['db1', 'db2', 'nested_host', 'web1', 'web2']);
    expect(inventory.data.processedSources).toEqual([
      join(precedence, 'inventory/01-hosts'),
      join(precedence, 'inventory/02-more.yml'),
      join(precedence, 'inventory/nested/hosts'),
    ]);
  });

  it('honour custom ignore patterns and extensions', () => {
    const inventory = loadInventory([join(precedence, 'inventory')], { ignorePatterns: ['^02-'], ignoreExtensions: [] });
    const names = inventory.getHosts().map((h) => h.name);
    expect(names).toContain('not_a_host');
    expect(names).toContain('retry_host');
    expect(names).not.toContain('db2');
    expect(names).not.toContain('hidden_host');
  });
});
