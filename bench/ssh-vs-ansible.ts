// ansible-playbook vs tsplay over SSH (a benchmark, not a test): the same playbook,
// inventory and real sshd hosts on loopback (localcloud/host, one root filesystem
// each), ansible-playbook with pipelining on and forks = host count, tsplay with the
// same forks. Each runner gets fresh hosts at the same addresses, so both start from
// the same machines. Prints both wall times, the ratio and tsplay's cost per task per
// host; then tsplay alone against many hosts, with the peak RSS of its process.
// Run as root:
//   npm run bench:ssh [-- --only commands,mixed,memory --skip-ansible --memory-hosts 200]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { generateKeyPair, type KeyPair } from '../localcloud/host/keys.js';
import { allocateAddress, SshLab, type Host } from '../test/harness/index.js';

const argv = process.argv.slice(2);
function option(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
const only = new Set((option('only') ?? 'commands,mixed,memory').split(','));
const skipAnsible = argv.includes('--skip-ansible');
const memoryHosts = Number(option('memory-hosts') ?? 200);
const repo = resolve(import.meta.dirname, '..', ...(import.meta.dirname.includes('/dist/') ? ['..'] : []));
const TSPLAY = join(repo, 'bin/tsplay.js');

interface Workload {
  title: string;
  hosts: number;
  tasks: number;
  /** The play's task list, YAML, indented under `tasks:`. */
  taskYaml: string;
}

const commandTasks = (count: number): string =>
  Array.from({ length: count }, (_, i) => `    - name: true ${i + 1}\n      command: /bin/true`).join('\n');

// Two of each: command, copy, template, file, stat.
const MIXED_TASKS = `
    - name: a directory
      file: { path: /srv/bench, state: directory, mode: "0755" }
    - name: a command
      command: uname -n
    - name: a file from files/
      copy: { src: app.conf, dest: /srv/bench/app.conf, mode: "0644" }
    - name: a template
      template: { src: app.ini.j2, dest: /srv/bench/app.ini, mode: "0640" }
    - name: stat the template
      stat: { path: /srv/bench/app.ini }
      register: rendered
    - name: a link
      file: { src: /srv/bench/app.ini, dest: /srv/bench/current.ini, state: link }
    - name: a command with the stat result
      command: echo {{ rendered.stat.size }}
    - name: content
      copy: { content: "{{ inventory_hostname }}\\n", dest: /srv/bench/name }
    - name: a second template
      template: { src: motd.j2, dest: /srv/bench/motd }
    - name: stat with checksum
      stat: { path: /srv/bench/app.conf, checksum_algorithm: sha1 }`;

function writeProject(dir: string, hosts: readonly { name: string; address: string }[], workload: Workload, keyFile: string): void {
  mkdirSync(join(dir, 'files'), { recursive: true });
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'files/app.conf'), `${'setting = value\n'.repeat(64)}`);
  writeFileSync(join(dir, 'templates/app.ini.j2'), '[app]\nname = {{ inventory_hostname }}\naddress = {{ ansible_host }}\n{% for i in range(20) %}key{{ i }} = {{ i * 2 }}\n{% endfor %}');
  writeFileSync(join(dir, 'templates/motd.j2'), 'Welcome to {{ inventory_hostname }} ({{ group_names | join(", ") }})\n');
  const lines = hosts.map((h) => `${h.name} ansible_host=${h.address}`);
  writeFileSync(
    join(dir, 'inventory'),
    `[bench]\n${lines.join('\n')}\n\n[bench:vars]\nansible_user=root\nansible_port=22\nansible_ssh_private_key_file=${keyFile}\n` +
      `ansible_ssh_common_args='-o UserKnownHostsFile=/dev/null'\nansible_python_interpreter=/usr/bin/python3\n`,
  );
  writeFileSync(join(dir, 'playbook.yml'), `- hosts: bench\n  gather_facts: false\n  tasks:\n${workload.taskYaml.replace(/^\n/, '')}\n`);
}

interface Measured {
  seconds: number;
  code: number | null;
  recap: string;
  stderr: string;
  /** Peak resident set of the runner's main process (VmHWM), in MB. */
  peakRssMb: number;
}

/** Runs a command, sampling its peak RSS from /proc until it exits. */
function measure(command: string, args: string[], cwd: string): Promise<Measured> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd,
      env: {
        ...process.env,
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_HOST_KEY_CHECKING: 'False',
        ANSIBLE_PIPELINING: 'True',
        ANSIBLE_RETRY_FILES_ENABLED: '0',
        ANSIBLE_DEPRECATION_WARNINGS: '0',
        TSPLAY_NO_HISTORY: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakKb = Math.max(peakKb, Number(match[1]));
      } catch {
        /* exited */
      }
    };
    const sampler = setInterval(sample, 20);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', () => sample());
    child.on('close', (code) => {
      clearInterval(sampler);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const recap = stdout.slice(stdout.lastIndexOf('PLAY RECAP'));
      resolvePromise({ seconds, code, recap, stderr, peakRssMb: peakKb / 1024 });
    });
  });
}

/** Hosts by name with a key each, started fresh (same addresses and keys) for every runner. */
class HostSet {
  readonly members: { name: string; address: string; hostKey: KeyPair }[];
  private running: Host[] = [];

  constructor(
    private readonly lab: SshLab,
    count: number,
  ) {
    this.members = Array.from({ length: count }, (_, i) => ({ name: `node${String(i + 1).padStart(3, '0')}`, address: allocateAddress(), hostKey: generateKeyPair() }));
  }

  async start(): Promise<void> {
    const limit = pLimit(32);
    this.running = await Promise.all(this.members.map((m) => limit(() => this.lab.startHost({ address: m.address, hostKeys: [m.hostKey], users: [] }))));
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((host) => host.stop()));
    this.running = [];
  }
}

async function runOn(lab: SshLab, hosts: HostSet, workload: Workload, runner: 'ansible-playbook' | 'tsplay'): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-bench-ssh-'));
  try {
    writeProject(dir, hosts.members, workload, lab.keyFile);
    await hosts.start();
    const args = ['-i', 'inventory', 'playbook.yml', '-f', String(workload.hosts)];
    const measured = runner === 'tsplay' ? await measure(process.execPath, [TSPLAY, ...args], dir) : await measure('ansible-playbook', args, dir);
    if (measured.code !== 0) console.log(`  ${runner} exited ${measured.code}\n${measured.recap}\n${measured.stderr}`);
    return measured;
  } finally {
    await hosts.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function recapCounts(recap: string): string {
  return recap
    .split('\n')
    .filter((line) => line.includes(' : '))
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .sort()
    .join('\n');
}

async function compare(lab: SshLab, workload: Workload): Promise<void> {
  console.log(`\n${workload.title}: ${workload.hosts} hosts x ${workload.tasks} tasks, forks ${workload.hosts}`);
  const hosts = new HostSet(lab, workload.hosts);
  const tsplay = await runOn(lab, hosts, workload, 'tsplay');
  const perTask = (tsplay.seconds * 1000) / (workload.hosts * workload.tasks);
  console.log(`  tsplay:           ${tsplay.seconds.toFixed(2)} s (exit ${tsplay.code}), ${perTask.toFixed(2)} ms per task per host, peak RSS ${tsplay.peakRssMb.toFixed(0)} MB`);
  if (skipAnsible) return;
  const ansible = await runOn(lab, hosts, workload, 'ansible-playbook');
  const ansiblePerTask = (ansible.seconds * 1000) / (workload.hosts * workload.tasks);
  console.log(`  ansible-playbook: ${ansible.seconds.toFixed(2)} s (exit ${ansible.code}), ${ansiblePerTask.toFixed(1)} ms per task per host`);
  console.log(`  ratio: tsplay is ${(ansible.seconds / tsplay.seconds).toFixed(1)}x faster`);
  if (recapCounts(ansible.recap) !== recapCounts(tsplay.recap)) {
    console.log(`  WARNING: the recaps differ\n--- ansible-playbook\n${ansible.recap}\n--- tsplay\n${tsplay.recap}`);
  }
}

async function memory(lab: SshLab, count: number): Promise<void> {
  const workload: Workload = { title: 'memory', hosts: count, tasks: 10, taskYaml: MIXED_TASKS };
  console.log(`\nmemory: tsplay, ${count} hosts x 10 mixed tasks, forks ${count}`);
  const hosts = new HostSet(lab, count);
  const tsplay = await runOn(lab, hosts, workload, 'tsplay');
  const perTask = (tsplay.seconds * 1000) / (count * workload.tasks);
  console.log(`  tsplay: ${tsplay.seconds.toFixed(2)} s (exit ${tsplay.code}), ${perTask.toFixed(2)} ms per task per host`);
  console.log(`  peak RSS of the tsplay process: ${tsplay.peakRssMb.toFixed(0)} MB (target: under 300 MB)`);
}

async function main(): Promise<void> {
  const lab = SshLab.create();
  try {
    console.log('SSH benchmark: real sshd hosts on loopback; ansible-playbook with pipelining, forks = hosts, host key checking off');
    if (only.has('commands')) await compare(lab, { title: 'commands', hosts: 10, tasks: 20, taskYaml: commandTasks(20) });
    if (only.has('mixed')) await compare(lab, { title: 'mixed (command, copy, template, file, stat)', hosts: 20, tasks: 10, taskYaml: MIXED_TASKS });
    if (only.has('memory')) await memory(lab, memoryHosts);
  } finally {
    await lab.stop();
  }
}

await main();
