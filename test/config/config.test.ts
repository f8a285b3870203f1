// The Config object the engine reads: typed accessors, plugin options overridden by host
// variables (checked against Ansible's ConfigManager), and loadConfig as a pure function.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { inventoryOptionsFromConfig } from '../../src/inventory/from-config.js';
import { runPython } from '../inventory/ansible-oracle.js';

function project(cfg: string | undefined): { cwd: string; home: string } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'tsplay-cfg-')));
  mkdirSync(join(root, 'home'));
  mkdirSync(join(root, 'project'));
  if (cfg !== undefined) writeFileSync(join(root, 'project', 'ansible.cfg'), cfg);
  return { cwd: join(root, 'project'), home: join(root, 'home') };
}

describe('typed settings', () => {
  it('reads the settings the engine uses, with Ansible defaults', () => {
    const { cwd, home } = project(undefined);
    const config = loadConfig({ env: {}, cwd, home });
    expect(config.file).toBeUndefined();
    expect(config.forks).toBe(5);
    expect(config.rolesPath).toEqual([`${home}/.ansible/roles`, '/usr/share/ansible/roles', '/etc/ansible/roles']);
    expect(config.inventory).toEqual(['/etc/ansible/hosts']);
    expect(config.remoteUser).toBeNull();
    expect(config.hostKeyChecking).toBe(true);
    expect([config.become, config.becomeMethod, config.becomeUser, config.becomeAskPass]).toEqual([false, 'sudo', 'root', false]);
    expect(config.timeout).toBe(10);
    expect(config.stdoutCallback).toBe('default');
    expect([config.noColor, config.forceColor]).toEqual([false, false]);
    expect(config.gathering).toBe('implicit');
    expect([config.displayOkHosts, config.displaySkippedHosts, config.showCustomStats]).toEqual([true, true, false]);
    expect(config.hashBehaviour).toBe('replace');
    expect(config.errorOnUndefinedVars).toBe(true);
    expect(config.sshArgs).toBe('-C -o ControlMaster=auto -o ControlPersist=60s');
    expect(config.remoteTmp).toBe('~/.ansible/tmp');
    expect(config.interpreterPython).toBe('auto');
    expect(config.commandWarnings).toBe(false);
    expect(config.color('OK')).toBe('green');
  });

  it('resolves paths from the file against its directory and from the environment against cwd', () => {
    const { cwd, home } = project('[defaults]\nroles_path = roles:~/r\nprivate_key_file = keys/id\nforks = 42\ncommand_warnings = yes\n');
    const config = loadConfig({ env: { ANSIBLE_VAULT_PASSWORD_FILE: 'vault.txt' }, cwd: join(cwd, '..', 'home'), home });
    // cwd has no ansible.cfg here: the project's is not found
    expect(config.file).toBeUndefined();
    const inProject = loadConfig({ env: { ANSIBLE_VAULT_PASSWORD_FILE: 'vault.txt' }, cwd, home });
    expect(inProject.file).toBe(join(cwd, 'ansible.cfg'));
    expect(inProject.rolesPath).toEqual([join(cwd, 'roles'), `${home}/r`]);
    expect(inProject.privateKeyFile).toBe(join(cwd, 'keys/id'));
    expect(inProject.vaultPasswordFile).toBe(join(cwd, 'vault.txt'));
    expect(inProject.forks).toBe(42);
    expect(inProject.origin('DEFAULT_FORKS')).toBe(join(cwd, 'ansible.cfg'));
    expect(inProject.commandWarnings).toBe(true);
    expect(inProject.changed().map((s) => s.name)).not.toContain('COMMAND_WARNINGS');
  });

  it('is a pure function of env, cwd and home (process.env is never read)', () => {
    const { cwd, home } = project('[defaults]\nforks = 9\n');
    const before = process.env.ANSIBLE_FORKS;
    process.env.ANSIBLE_FORKS = '77';
    try {
      const a = loadConfig({ env: {}, cwd, home });
      const b = loadConfig({ env: {}, cwd, home });
      expect(a.forks).toBe(9);
      expect(a.all()).toEqual(b.all());
    } finally {
      if (before === undefined) delete process.env.ANSIBLE_FORKS;
      else process.env.ANSIBLE_FORKS = before;
    }
  });

  it('feeds the inventory options', () => {
    const { cwd, home } = project('[inventory]\nhost_pattern_mismatch = error\nenable_plugins = ini\n[defaults]\nhash_behaviour = merge\n');
    const options = inventoryOptionsFromConfig(loadConfig({ env: {}, cwd, home }));
    expect(options.hostPatternMismatch).toBe('error');
    expect(options.enabledPlugins).toEqual(['ini']);
    expect(options.hashBehaviour).toBe('merge');
    expect(options.ignoreExtensions).toContain('.retry');
  });
});

describe('plugin options with host variables', () => {
  it('let variables beat the environment, which beats ansible.cfg, as Ansible\'s ConfigManager does', async () => {
    const { cwd, home } = project('[ssh_connection]\nssh_args = fromfile\nretries = 2\n[defaults]\ntimeout = 4\n');
    const env = { ANSIBLE_SSH_ARGS: 'fromenv', ANSIBLE_TIMEOUT: '7' };
    const questions: [string, string, string, Record<string, unknown>][] = [
      ['connection', 'ssh', 'ssh_args', { ansible_ssh_args: 'fromvar' }],
      ['connection', 'ssh', 'ssh_args', {}],
      ['connection', 'ssh', 'timeout', { ansible_ssh_timeout: '3' }],
      ['connection', 'ssh', 'timeout', {}],
      ['connection', 'ssh', 'reconnection_retries', {}],
      ['connection', 'ssh', 'remote_user', { ansible_user: 'a', ansible_ssh_user: 'b' }],
      ['connection', 'ssh', 'port', { ansible_port: 2222 }],
      ['connection', 'ssh', 'host_key_checking', { ansible_host_key_checking: 'no' }],
      ['become', 'sudo', 'become_user', {}],
      ['become', 'sudo', 'become_flags', { ansible_become_flags: '-H' }],
      ['shell', 'sh', 'remote_tmp', { ansible_remote_tmp: '/var/tmp/x' }],
    ];
    const python = (await runPython(
      `
import json, os, sys
q = json.load(sys.stdin)
os.environ.update(q['env'])
os.environ['ANSIBLE_CONFIG'] = q['config']
os.environ['HOME'] = q['home']
from ansible import constants as C
from ansible.plugins.loader import connection_loader, become_loader, shell_loader
connection_loader.get('ssh', class_only=True)
become_loader.get('sudo')
shell_loader.get('sh')
out = []
for ptype, name, option, variables in q['questions']:
    value, origin = C.config.get_config_value_and_origin(option, plugin_type=ptype, plugin_name=name, variables=variables)
    out.append([value, origin])
print(json.dumps(out))
`,
      { env, config: join(cwd, 'ansible.cfg'), home, questions },
    )) as [unknown, string][];
    const config = loadConfig({ env, cwd, home });
    const mine = questions.map(([type, plugin, option, vars]) => {
      const r = config.pluginOption(type as 'connection', plugin, option, vars);
      return [r.value, r.origin];
    });
    expect(mine).toEqual(python);
  });
});
