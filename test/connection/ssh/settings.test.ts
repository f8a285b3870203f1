// How connection settings are read: inventory variables over CLI defaults, Ansible's
// order of ssh options (first wins), ~/.ssh/config Host/Match blocks, ssh arguments.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TsplayError } from '../../../src/errors.js';
import { parseProxyJump, resolveEndpoint } from '../../../src/connection/ssh/endpoint.js';
import { parseSshArgs } from '../../../src/connection/ssh/ssh-args.js';
import { loadSshConfig } from '../../../src/connection/ssh/ssh-config.js';
import { sshCommandLine, sshSettingsFromVars, type SshSettings } from '../../../src/connection/ssh/settings.js';
import { shlexSplit } from '../../../src/connection/ssh/shlex.js';

const home = mkdtempSync(join(tmpdir(), 'tsplay-ssh-settings-'));

function endpointFor(settings: SshSettings, configText = '') {
  const file = join(home, `config-${Math.random()}`);
  writeFileSync(file, configText);
  const commandLine = sshCommandLine(settings);
  return resolveEndpoint({
    name: settings.host,
    commandLine: commandLine.options,
    config: [loadSshConfig(file, home)],
    home,
    localUser: 'me',
    agentSocket: undefined,
  });
}

describe('sshSettingsFromVars', () => {
  it('reads the connection variables, their aliases, and lets them beat the CLI defaults', () => {
    const settings = sshSettingsFromVars(
      { inventory_hostname: 'web1', ansible_ssh_host: '10.0.0.5', ansible_ssh_port: '2222', ansible_ssh_user: 'deploy', ansible_ssh_pass: 'pw', ansible_ssh_private_key_file: '/k' },
      { remoteUser: 'cli-user', privateKeyFile: '/cli-key', timeout: 30 },
    );
    expect(settings).toMatchObject({ inventoryHost: 'web1', host: '10.0.0.5', port: 2222, user: 'deploy', password: 'pw', privateKeyFile: '/k', timeoutSeconds: 30 });
    const fallback = sshSettingsFromVars({ inventory_hostname: 'web2' }, { remoteUser: 'cli-user', privateKeyFile: '/cli-key' });
    expect(fallback).toMatchObject({ host: 'web2', user: 'cli-user', privateKeyFile: '/cli-key', timeoutSeconds: 10, hostKeyChecking: true });
  });

  it('takes host key checking from the host, the defaults, then ANSIBLE_HOST_KEY_CHECKING', () => {
    expect(sshSettingsFromVars({ ansible_host_key_checking: 'no' }).hostKeyChecking).toBe(false);
    expect(sshSettingsFromVars({}, { hostKeyChecking: false }).hostKeyChecking).toBe(false);
    const saved = process.env['ANSIBLE_HOST_KEY_CHECKING'];
    try {
      process.env['ANSIBLE_HOST_KEY_CHECKING'] = 'False';
      expect(sshSettingsFromVars({}).hostKeyChecking).toBe(false);
      expect(sshSettingsFromVars({ ansible_ssh_host_key_checking: true }).hostKeyChecking).toBe(true);
    } finally {
      if (saved === undefined) delete process.env['ANSIBLE_HOST_KEY_CHECKING'];
      else process.env['ANSIBLE_HOST_KEY_CHECKING'] = saved;
    }
  });

  it('refuses a port that is not one, with a message and no stack', () => {
    expect(() => sshSettingsFromVars({ inventory_hostname: 'x', ansible_port: 'ssh' })).toThrow(TsplayError);
    expect(() => sshSettingsFromVars({ inventory_hostname: 'x', ansible_port: 70000 })).toThrow(/Invalid port '70000'/);
  });
});

describe('ssh arguments', () => {
  it('splits like shlex and reads -o, -J, -p, -l, -i, -F in every spelling', () => {
    expect(shlexSplit(`-o 'ProxyCommand="ssh -W %h:%p -q user@bastion"' -o "A B" x\\ y`)).toEqual([
      '-o',
      'ProxyCommand="ssh -W %h:%p -q user@bastion"',
      '-o',
      'A B',
      'x y',
    ]);
    const parsed = parseSshArgs(`-C -oPort=2200 -o User=u -o "ConnectTimeout 5" -J jump:22 -p2201 -l luser -i ~/key -F /cfg -qT -o 'ProxyCommand="nc %h %p"'`, 'test');
    expect(parsed.configFile).toBe('/cfg');
    expect(parsed.options.map((o) => [o.key, o.value])).toEqual([
      ['compression', 'yes'],
      ['port', '2200'],
      ['user', 'u'],
      ['connecttimeout', '5'],
      ['proxyjump', 'jump:22'],
      ['port', '2201'],
      ['user', 'luser'],
      ['identityfile', '~/key'],
      // -q: ssh's LogLevel QUIET (it silences the "Connection to ... closed." of a terminal).
      ['loglevel', 'QUIET'],
      ['proxycommand', 'nc %h %p'],
    ]);
  });

  it('parses ProxyJump chains', () => {
    expect(parseProxyJump('a, u@b:2222,ssh://v@[::1]:2200')).toEqual([
      { user: undefined, host: 'a', port: undefined },
      { user: 'u', host: 'b', port: 2222 },
      { user: 'v', host: '::1', port: 2200 },
    ]);
    expect(parseProxyJump('none')).toEqual([]);
  });
});

describe('endpoint resolution', () => {
  const base = (vars: Record<string, unknown>) => sshSettingsFromVars({ inventory_hostname: 'web', ...vars });

  it("puts Ansible's own options before ssh_common_args and the config files, as its ssh plugin does", () => {
    const endpoint = endpointFor(
      base({ ansible_host: 'web.internal', ansible_user: 'deploy', ansible_port: 2200, ansible_ssh_common_args: '-o User=other -o Port=9 -o ProxyJump=bastion' }),
      'Host web.internal\n  User fromconfig\n  Port 7\n  ProxyJump configjump\n  HostName 10.1.2.3\n',
    );
    expect(endpoint).toMatchObject({ hostname: '10.1.2.3', user: 'deploy', port: 2200, proxyJump: [{ host: 'bastion' }] });
  });

  it('uses ~/.ssh/config for what the inventory leaves open, first matching value winning', () => {
    const config = [
      'Host *.internal !db.internal',
      '  User ec2-user',
      '  IdentityFile ~/.ssh/%r-%h.pem',
      'Host web*',
      '  Port 2022',
      '  User ignored-second',
      'Match originalhost web.internal user ec2-user',
      '  StrictHostKeyChecking accept-new',
      'Host *',
      '  ServerAliveInterval 5',
      '  UserKnownHostsFile ~/.ssh/kh /dev/null',
    ].join('\n');
    const endpoint = endpointFor(base({ ansible_host: 'web.internal' }), config);
    expect(endpoint).toMatchObject({
      user: 'ec2-user',
      port: 2022,
      identityFiles: [join(home, '.ssh/ec2-user-web.internal.pem')],
      strictHostKeyChecking: 'accept-new',
      serverAliveIntervalMs: 5000,
      userKnownHostsFiles: [join(home, '.ssh/kh'), '/dev/null'],
      connectTimeoutMs: 10_000,
    });
    const db = endpointFor(base({ ansible_host: 'db.internal' }), config);
    expect(db.user).toBe('me');
    expect(db.defaultIdentities).toBe(true);
    expect(db.strictHostKeyChecking).toBe('ask');
  });

  it('turns host_key_checking off with StrictHostKeyChecking=no ahead of everything else', () => {
    const endpoint = endpointFor(sshSettingsFromVars({ ansible_host: 'h', ansible_ssh_common_args: '-o StrictHostKeyChecking=yes' }, { hostKeyChecking: false }));
    expect(endpoint.strictHostKeyChecking).toBe('no');
  });

  it('keeps whichever of ProxyJump and ProxyCommand comes first', () => {
    const viaCommand = endpointFor(base({ ansible_host: 'h', ansible_ssh_common_args: `-o ProxyCommand='nc %h %p'` }), 'Host h\n  ProxyJump j\n');
    expect(viaCommand).toMatchObject({ proxyCommand: 'nc h 22', proxyJump: [] });
    const viaJump = endpointFor(base({ ansible_host: 'h' }), 'Host h\n  ProxyJump j\n  ProxyCommand nc %h %p\n');
    expect(viaJump).toMatchObject({ proxyCommand: undefined, proxyJump: [{ host: 'j' }] });
  });

  it('offers no password methods when there is no password, as Ansible tells ssh', () => {
    expect(endpointFor(base({ ansible_host: 'h' }))).toMatchObject({ passwordAuthentication: false, kbdInteractiveAuthentication: false });
    expect(endpointFor(base({ ansible_host: 'h', ansible_password: 'x' }))).toMatchObject({ passwordAuthentication: true });
  });

  it('follows Include directives and reads quoted values', () => {
    writeFileSync(join(home, 'inc-a.conf'), 'Host inc\n  HostName 10.9.9.9\n  IdentityFile "/path with space/key"\n');
    const endpoint = endpointFor(base({ ansible_host: 'inc' }), `Include ${join(home, 'inc-*.conf')}\n`);
    expect(endpoint).toMatchObject({ hostname: '10.9.9.9', identityFiles: ['/path with space/key'] });
  });
});
