// Benchmark (not a test): the per-render cost of task-argument templates against a
// realistic hostvars, for 200 and 2000 hosts, to show that a render does not cost more
// when the inventory grows. Run with `npm run bench:template`.
import { performance } from 'node:perf_hooks';
import { createTemplar } from '../src/template/index.js';
import { LayeredScope, type VarScope } from '../src/vars/scope.js';

const RENDERS = 100_000;

/** Templates as they appear in task arguments and conditionals of real playbooks. */
const TEMPLATES: { name: string; text: string; kind: 'arg' | 'when' }[] = [
  { name: 'single var', text: '{{ inventory_hostname }}', kind: 'arg' },
  { name: 'path', text: '{{ deploy_to }}/releases/{{ release_ts }}', kind: 'arg' },
  { name: 'hostvars lookup', text: "{{ hostvars[inventory_hostname]['ansible_host'] }}", kind: 'arg' },
  { name: 'slice + modulo', text: '{{ ec2_subnet_ids[(inventory_hostname_short[-1:] | int % 2)] }}', kind: 'arg' },
  { name: 'inline if', text: "{{ 'green' if active_color == 'blue' else 'blue' }}", kind: 'arg' },
  { name: 'default + math', text: "{{ item.name | default('none') }}-{{ item.port + 1 }}", kind: 'arg' },
  { name: 'lazy var', text: 'RAILS_ENV={{ rails_env }} {{ app_cmd }}', kind: 'arg' },
  { name: 'when defined', text: 'migrate_db_cli is defined', kind: 'when' },
  { name: 'when compare', text: 'project_env != "prd" and item.port > 1000', kind: 'when' },
];

function inventory(hostCount: number) {
  const names = Array.from({ length: hostCount }, (_, i) => `web-${String(i).padStart(4, '0')}.example.com`);
  const groupVars = {
    app_name: 'myapp',
    deploy_to: '/var/www/{{ app_name }}',
    rails_env: 'production',
    app_cmd: 'bundle exec rake db:migrate',
    project_env: 'stg',
    active_color: 'blue',
    ec2_subnet_ids: ['subnet-aaa', 'subnet-bbb'],
    ntp_servers: ['0.pool.ntp.org', '1.pool.ntp.org'],
  };
  const hostLayers = new Map<string, Record<string, unknown>>();
  const hostvars: Record<string, VarScope> = {};
  const groups = { all: names, web: names };
  for (const [i, name] of names.entries()) {
    const hostLayer = {
      inventory_hostname: name,
      inventory_hostname_short: name.split('.')[0],
      ansible_host: `10.0.${Math.floor(i / 250)}.${i % 250}`,
      release_ts: '20240101120000',
      facts: { os: 'Debian', cpus: 2, mem_mb: 4096, mounts: [{ mount: '/', size: 1e10 }] },
    };
    hostLayers.set(name, hostLayer);
    hostvars[name] = new LayeredScope([hostLayer, groupVars]);
  }
  const magic = { hostvars, groups, item: { name: 'svc', port: 8080 } };
  return { names, scopeFor: (name: string) => new LayeredScope([magic, hostLayers.get(name)!, groupVars]) };
}

function measure(hostCount: number): Map<string, number> {
  const templar = createTemplar();
  const inv = inventory(hostCount);
  const scopes = inv.names.slice(0, 50).map((n) => inv.scopeFor(n));
  const results = new Map<string, number>();
  for (const t of TEMPLATES) {
    const run = (i: number) =>
      t.kind === 'when' ? templar.evaluateConditional(t.text, scopes[i % scopes.length]!) : templar.template(t.text, scopes[i % scopes.length]!);
    for (let i = 0; i < 2000; i++) run(i); // warm up: compile, JIT
    const start = performance.now();
    for (let i = 0; i < RENDERS; i++) run(i);
    results.set(t.name, ((performance.now() - start) * 1000) / RENDERS);
  }
  return results;
}

const small = measure(200);
const large = measure(2000);
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`${RENDERS} renders per template (cached compiled templates), µs per render`);
console.log(`${pad('template', 18)} ${pad('200 hosts', 10)} ${pad('2000 hosts', 10)}`);
let total200 = 0;
let total2000 = 0;
for (const t of TEMPLATES) {
  const a = small.get(t.name)!;
  const b = large.get(t.name)!;
  total200 += a;
  total2000 += b;
  console.log(`${pad(t.name, 18)} ${pad(a.toFixed(2), 10)} ${pad(b.toFixed(2), 10)}`);
}
console.log(`${pad('mean', 18)} ${pad((total200 / TEMPLATES.length).toFixed(2), 10)} ${pad((total2000 / TEMPLATES.length).toFixed(2), 10)}`);
