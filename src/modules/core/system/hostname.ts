// hostname: the host's name. With systemd as init, through hostnamectl (transient and
// static names); otherwise, as Ansible's Debian strategy, the name in /etc/hostname
// (other strategies by `use`). Returns the hostname facts and a `hostname = ...` diff.
import { ModuleFailure, type ModuleContext, type ModuleDefinition, type ModuleResult } from '../../module.js';
import { Target } from '../files/target.js';
import { systemdIsRunning } from '../services/sysv.js';

export interface HostnameArgs {
  name: string;
  use?: string | null;
}

const USES = ['alpine', 'debian', 'freebsd', 'generic', 'macos', 'macosx', 'darwin', 'openbsd', 'openrc', 'redhat', 'sles', 'solaris', 'systemd'];

/** Reads and writes the current and permanent names one way. */
interface Strategy {
  current(): Promise<string>;
  permanent(): Promise<string>;
  setCurrent(name: string): Promise<void>;
  setPermanent(name: string): Promise<void>;
  /** hostnamectl sets the permanent name first (NetworkManager would complain otherwise). */
  permanentFirst?: boolean;
}

function fileStrategy(target: Target, file: string, setKernelName = false): Strategy {
  const read = async () => ((await target.stat(file, { follow: true }))?.type === 'file' ? (await target.readFile(file)).toString('utf8').trim() : '');
  return {
    current: read,
    permanent: read,
    setCurrent: async (name) => {
      if (setKernelName) await target.shOk('failed to update hostname', 'hostname -F "$1"', [file]).catch(() => target.shOk('failed to update hostname', 'hostname -- "$1"', [name]));
    },
    setPermanent: (name) => target.writeFile(file, `${name}\n`),
  };
}

function keyFileStrategy(target: Target, file: string, key: string): Strategy {
  const read = async () => {
    if ((await target.stat(file, { follow: true }))?.type !== 'file') return '';
    const line = (await target.readFile(file)).toString('utf8').split('\n').find((l) => l.trim().startsWith(key));
    return line ? line.split('=')[1]!.trim().replace(/^"(.*)"$/, '$1') : '';
  };
  return {
    current: read,
    permanent: read,
    setCurrent: async () => undefined,
    async setPermanent(name) {
      const text = (await target.stat(file, { follow: true })) ? (await target.readFile(file)).toString('utf8') : '';
      const lines = text.split('\n').filter((l, i, all) => !(l === '' && i === all.length - 1));
      const index = lines.findIndex((l) => l.trim().startsWith(key));
      const line = key === 'hostname' ? `hostname="${name}"` : `${key}=${name}`;
      if (index === -1) lines.push(line);
      else lines[index] = line;
      await target.writeFile(file, `${lines.join('\n')}\n`);
    },
  };
}

function systemdStrategy(target: Target): Strategy {
  const get = async (flag: string) => {
    const r = await target.run(['hostnamectl', flag, 'status']);
    if (r.rc !== 0) throw new ModuleFailure(`Command failed rc=${r.rc}, out=${r.stdout}, err=${r.stderr}`);
    return r.stdout.trim();
  };
  const set = async (flags: string[], name: string) => {
    if (name.length > 64) throw new ModuleFailure('name cannot be longer than 64 characters on systemd servers, try a shorter name');
    const r = await target.run(['hostnamectl', ...flags, 'set-hostname', name]);
    if (r.rc !== 0) throw new ModuleFailure(`Command failed rc=${r.rc}, out=${r.stdout}, err=${r.stderr}`);
  };
  return {
    current: () => get('--transient'),
    permanent: () => get('--static'),
    setCurrent: (name) => set(['--transient'], name),
    setPermanent: (name) => set(['--pretty', '--static'], name),
    permanentFirst: true,
  };
}

async function strategyFor(target: Target, use: string | undefined): Promise<Strategy> {
  switch (use) {
    case 'systemd':
    case 'debian':
      return systemdStrategy(target);
    case 'alpine':
      return fileStrategy(target, '/etc/hostname', true);
    case 'sles':
      return fileStrategy(target, '/etc/HOSTNAME');
    case 'redhat':
      return keyFileStrategy(target, '/etc/sysconfig/network', 'HOSTNAME');
    case 'openrc':
      return keyFileStrategy(target, '/etc/conf.d/hostname', 'hostname');
    case undefined:
      return (await systemdIsRunning(target)) ? systemdStrategy(target) : fileStrategy(target, '/etc/hostname');
    default:
      throw new ModuleFailure(`hostname module cannot be used on platform Linux (${use})`);
  }
}

export async function runHostname(args: HostnameArgs, ctx: ModuleContext): Promise<ModuleResult> {
  const target = new Target(ctx);
  const { name } = args;
  const strategy = await strategyFor(target, args.use ?? undefined);
  const current = await strategy.current();
  const permanent = await strategy.permanent();
  let changed = false;
  const updateCurrent = async () => {
    if ((await strategy.current()) === name) return;
    if (!ctx.checkMode) await strategy.setCurrent(name);
    changed = true;
  };
  const updatePermanent = async () => {
    if ((await strategy.permanent()) === name) return;
    if (!ctx.checkMode) await strategy.setPermanent(name);
    changed = true;
  };
  if (strategy.permanentFirst) {
    await updatePermanent();
    await updateCurrent();
  } else {
    await updateCurrent();
    await updatePermanent();
  }
  const before = name !== current ? current : permanent;
  const fqdn = (await target.sh('hostname -f 2>/dev/null || hostname')).stdout.trim();
  const result: ModuleResult = {
    changed,
    name,
    ansible_facts: { ansible_hostname: name.split('.')[0], ansible_nodename: name, ansible_fqdn: fqdn, ansible_domain: fqdn.split('.').slice(1).join('.') },
  };
  if (changed) result.diff = { after: `hostname = ${name}\n`, before: `hostname = ${before}\n` };
  return result;
}

export const hostnameModule: ModuleDefinition<HostnameArgs> = {
  name: 'ansible.builtin.hostname',
  argSpec: { name: { type: 'str', required: true }, use: { type: 'str', choices: USES } },
  supportsCheckMode: true,
  run: runHostname,
};
