// setup / gather_facts: the common facts (hostname, distribution, os_family, network,
// memory, CPUs, user, date_time, env...) gathered with one script over the connection.
import type { ModuleDefinition } from '../../module.js';
import { FACTS_SCRIPT } from './facts-script.js';
import { ModuleFailure } from '../../module.js';

interface SetupArgs {
  gather_subset: string[];
  gather_timeout: number;
  filter: string[];
  fact_path: string;
}

const OS_FAMILY: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Debian', linuxmint: 'Debian', raspbian: 'Debian', kali: 'Debian',
  rhel: 'RedHat', centos: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat', amzn: 'RedHat', ol: 'RedHat',
  alpine: 'Alpine', arch: 'Archlinux', sles: 'Suse', opensuse: 'Suse', 'opensuse-leap': 'Suse', gentoo: 'Gentoo',
};

const DISTRIBUTION: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', rhel: 'RedHat', centos: 'CentOS', fedora: 'Fedora', rocky: 'Rocky',
  almalinux: 'AlmaLinux', amzn: 'Amazon', alpine: 'Alpine', arch: 'Archlinux', ol: 'OracleLinux',
};

function parse(output: string): { values: Map<string, string>; env: Record<string, string> } {
  const values = new Map<string, string>();
  const env: Record<string, string> = {};
  const [head, envText = ''] = output.split('\n__ENV__\n');
  for (const line of head!.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
  }
  for (const line of envText.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return { values, env };
}

function dateTime(epoch: number, nanos: string, tz: string, offset: string): Record<string, string> {
  const d = new Date(epoch * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const sign = offset.startsWith('-') ? -1 : 1;
  const offMinutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
  const local = new Date(d.getTime() + offMinutes * 60_000);
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const micro = (nanos || '000000000').slice(0, 6);
  const iso = (x: Date) => `${x.getUTCFullYear()}-${pad(x.getUTCMonth() + 1)}-${pad(x.getUTCDate())}T${pad(x.getUTCHours())}:${pad(x.getUTCMinutes())}:${pad(x.getUTCSeconds())}`;
  const start = Date.UTC(local.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((local.getTime() - start) / 86_400_000) + 1;
  return {
    year: String(local.getUTCFullYear()),
    month: pad(local.getUTCMonth() + 1),
    weekday: days[local.getUTCDay()]!,
    weekday_number: String(local.getUTCDay()),
    weeknumber: pad(Math.floor((dayOfYear + 6 - ((local.getUTCDay() + 6) % 7)) / 7)),
    day: pad(local.getUTCDate()),
    hour: pad(local.getUTCHours()),
    minute: pad(local.getUTCMinutes()),
    second: pad(local.getUTCSeconds()),
    epoch: String(epoch),
    epoch_int: String(epoch),
    date: `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
    time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`,
    iso8601_micro: `${iso(d)}.${micro}Z`,
    iso8601: `${iso(d)}Z`,
    iso8601_basic: `${iso(local).replace(/[-:]/g, '')}${micro}`,
    iso8601_basic_short: iso(local).replace(/[-:]/g, ''),
    tz,
    tz_dst: tz,
    tz_offset: offset,
    monthname: months[local.getUTCMonth()]!,
  };
}

function interfaces(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const entry of text.split(';').filter(Boolean)) {
    const [name, cidr] = entry.trim().split(' ');
    if (!name || !cidr) continue;
    map.set(name, [...(map.get(name) ?? []), cidr]);
  }
  return map;
}

function netmaskOf(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join('.');
}

export function buildFacts(output: string, subset: string[]): Record<string, unknown> {
  const { values, env } = parse(output);
  const v = (key: string) => values.get(key) ?? '';
  const id = v('os_ID').toLowerCase();
  const version = v('os_VERSION_ID') || v('debian_version');
  const hostname = v('hostname');
  const fqdn = v('fqdn') || hostname;
  const v4 = interfaces(v('ipv4_all'));
  const v6 = interfaces(v('ipv6_all'));
  const route = v('route');
  const routeDev = /dev (\S+)/.exec(route)?.[1];
  const routeSrc = /src (\S+)/.exec(route)?.[1];
  const gateway = /via (\S+)/.exec(v('default_route'))?.[1] ?? /via (\S+)/.exec(route)?.[1];
  const defaultIpv4: Record<string, unknown> = {};
  if (routeDev) {
    const cidr = (v4.get(routeDev) ?? []).find((c) => c.startsWith(`${routeSrc}/`)) ?? v4.get(routeDev)?.[0];
    const [address, prefix] = (cidr ?? `${routeSrc ?? ''}/32`).split('/');
    Object.assign(defaultIpv4, {
      address,
      interface: routeDev,
      alias: routeDev,
      gateway: gateway ?? '',
      netmask: netmaskOf(Number(prefix)),
      prefix,
      type: routeDev === 'lo' ? 'loopback' : 'ether',
    });
  }
  const pkgMgr = ['apt', 'dnf', 'yum', 'apk', 'zypper'].find((m) => v(`pkg_${m}`)) ?? 'unknown';
  const init = v('init');
  const memTotal = Math.floor(Number(v('memtotal_kb') || 0) / 1024);
  const vcpus = Number(v('nproc') || 1);
  const cores = Number(v('cores') || vcpus);
  const facts: Record<string, unknown> = {
    ansible_hostname: hostname.split('.')[0],
    ansible_nodename: v('nodename'),
    ansible_fqdn: fqdn,
    ansible_domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '',
    ansible_system: v('system'),
    ansible_kernel: v('kernel'),
    ansible_kernel_version: v('kernel_version'),
    ansible_machine: v('machine'),
    ansible_architecture: v('machine'),
    ansible_userspace_architecture: v('machine'),
    ansible_distribution: DISTRIBUTION[id] ?? (v('os_NAME') || v('system')),
    ansible_distribution_version: version,
    ansible_distribution_major_version: version.split('.')[0] ?? '',
    ansible_distribution_release: v('os_VERSION_CODENAME') || 'NA',
    ansible_distribution_file_variety: OS_FAMILY[id] ?? v('system'),
    ansible_os_family: OS_FAMILY[id] ?? (v('os_ID_LIKE') ? OS_FAMILY[v('os_ID_LIKE').split(' ')[0]!] : undefined) ?? v('system'),
    ansible_processor_vcpus: vcpus,
    ansible_processor_count: Math.max(1, Number(v('sockets') || 1)),
    ansible_processor_cores: cores,
    ansible_processor_nproc: vcpus,
    ansible_processor_threads_per_core: Math.max(1, Math.round(vcpus / Math.max(1, cores))),
    ansible_memtotal_mb: memTotal,
    ansible_memfree_mb: Math.floor(Number(v('memfree_kb') || 0) / 1024),
    ansible_swaptotal_mb: Math.floor(Number(v('swaptotal_kb') || 0) / 1024),
    ansible_swapfree_mb: Math.floor(Number(v('swapfree_kb') || 0) / 1024),
    ansible_user_id: v('user'),
    ansible_user_uid: Number(v('uid')),
    ansible_user_gid: Number(v('gid')),
    ansible_user_dir: v('home'),
    ansible_user_shell: v('shell'),
    ansible_user_gecos: v('gecos'),
    ansible_env: env,
    ansible_date_time: dateTime(Number(v('epoch')), v('epoch_ns'), v('tz'), v('tz_offset') || '+0000'),
    ansible_uptime_seconds: Number(v('uptime') || 0),
    ansible_default_ipv4: defaultIpv4,
    ansible_default_ipv6: {},
    ansible_all_ipv4_addresses: [...v4.entries()].filter(([n]) => n !== 'lo').flatMap(([, c]) => c.map((x) => x.split('/')[0])),
    ansible_all_ipv6_addresses: [...v6.entries()].filter(([n]) => n !== 'lo').flatMap(([, c]) => c.map((x) => x.split('/')[0])),
    ansible_interfaces: [...new Set([...v4.keys(), ...v6.keys()])].sort(),
    ansible_pkg_mgr: pkgMgr,
    ansible_service_mgr: init === 'systemd' ? 'systemd' : init || 'service',
    ansible_machine_id: v('machine_id'),
    ansible_selinux: v('selinux') ? { status: v('selinux').toLowerCase() } : { status: 'disabled' },
    ansible_virtualization_type: v('virt') || 'NA',
    ansible_virtualization_role: v('virt') && v('virt') !== 'none' ? 'guest' : 'NA',
    ansible_python_version: '',
    ansible_local: {},
    ansible_lsb: {},
    gather_subset: subset,
    module_setup: true,
  };
  if (v('python')) facts.discovered_interpreter_python = v('python');
  return facts;
}

export const setupModule: ModuleDefinition<SetupArgs> = {
  name: 'ansible.builtin.setup',
  aliases: ['gather_facts', 'ansible.builtin.gather_facts', 'ansible.legacy.gather_facts'],
  argSpec: {
    gather_subset: { type: 'list', elements: 'str', default: ['all'] },
    gather_timeout: { type: 'int', default: 10 },
    filter: { type: 'list', elements: 'str', default: [] },
    fact_path: { type: 'path', default: '/etc/ansible/facts.d' },
    parallel: { type: 'bool' },
  },
  supportsCheckMode: true,
  async run(args, ctx) {
    const result = await ctx.connection.run(FACTS_SCRIPT, { timeoutMs: args.gather_timeout * 1000, become: ctx.become });
    if (result.rc !== 0 && result.stdout === '') throw new ModuleFailure(`fact gathering failed: ${result.stderr.trim()}`);
    let facts = buildFacts(result.stdout, args.gather_subset);
    if (args.filter.length > 0) {
      const patterns = args.filter.map((f) => new RegExp(`^${f.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
      facts = Object.fromEntries(Object.entries(facts).filter(([k]) => patterns.some((p) => p.test(k))));
    }
    return { ansible_facts: facts, changed: false };
  },
};
