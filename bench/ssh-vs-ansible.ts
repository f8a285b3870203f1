// ansible-playbook vs tsplay over SSH (a benchmark, not a test): the same playbook,
// inventory and real sshd hosts on loopback (localcloud/host, one root filesystem
// each), ansible-playbook with pipelining on and forks = host count, tsplay with the
// same forks. Each runner gets fresh hosts at the same addresses, so both start from
// the same machines. Prints both wall times (each the median of three runs unless --runs
// says otherwise), the ratio and tsplay's cost per task per host; then tsplay alone
// against many hosts, with the peak RSS of its process.
// Run as root:
//   npm run bench:ssh [-- --only commands,mixed,memory,connect --skip-ansible --memory-hosts 200 --runs 1 --cpu-prof DIR --tsplay FILE]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { REPO as repo } from '../scripts/repo.js';
import { generateKeyPair, type KeyPair } from '../localcloud/host/keys.js';
import { allocateAddress, SshLab, type Host } from '../test/harness/index.js';
import { treeCpuSeconds } from './host-cpu.js';
import { commandTasks, MIXED_TASKS, writeProject, type Workload } from './ssh-workloads.js';

const argv = process.argv.slice(2);
function option(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
const only = new Set((option('only') ?? 'commands,mixed,memory').split(','));
const skipAnsible = argv.includes('--skip-ansible');
const memoryHosts = Number(option('memory-hosts') ?? 200);
/**
 * Runs of each runner per workload (fresh hosts each time); the median is reported. Three by
 * default: on this 2-core VM one tsplay run of the mixed workload took 0.73 to 0.85 s within
 * the same hour, more than the changes being measured.
 */
const runs = Number(option('runs') ?? 3);
/** Write a CPU profile of each tsplay run into this directory (node --cpu-prof). */
const profileDir = option('cpu-prof');
/** The tsplay entry point to run (another build can be compared with --tsplay FILE). */
const TSPLAY = resolve(option('tsplay') ?? join(repo, 'bin/tsplay.js'));

/** Kernel clock ticks per second (USER_HZ), the unit of /proc/<pid>/stat times. */
const CLOCK_TICKS = 100;

interface Measured {
  seconds: number;
  code: number | null;
  recap: string;
  stderr: string;
  /** Peak resident set of the runner's main process (VmHWM), in MB. */
  peakRssMb: number;
  /** CPU time (user + system) of the runner's main process, in seconds. */
  cpuSeconds: number;
  /** CPU time the whole machine spent during the run (hosts, sshd, commands, and anything else running). */
  machineCpuSeconds: number;
  /** CPU time the hosts spent during the run (sshd, shells, commands): the runner's work on them. */
  hostsCpuSeconds: number;
}

/** Busy CPU time of the machine so far (all cores), from /proc/stat. */
function machineBusySeconds(): number {
  const [, user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  return (user! + nice! + system! + irq! + softirq!) / CLOCK_TICKS;
}

/** Runs a command, sampling its peak RSS from /proc until it exits. */
function measure(command: string, args: string[], cwd: string): Promise<Measured> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const busyBefore = machineBusySeconds();
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
    let cpuTicks = 0;
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakKb = Math.max(peakKb, Number(match[1]));
        // utime and stime: fields 14 and 15, counted after the parenthesised command name.
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        cpuTicks = Math.max(cpuTicks, Number(fields[11]) + Number(fields[12]));
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
      resolvePromise({ seconds, code, recap, stderr, peakRssMb: peakKb / 1024, cpuSeconds: cpuTicks / CLOCK_TICKS, machineCpuSeconds: machineBusySeconds() - busyBefore, hostsCpuSeconds: 0 });
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

  /** CPU time of the running hosts' processes so far. */
  cpuSeconds(): number {
    return treeCpuSeconds(this.running.map((host) => host.pid));
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((host) => host.stop()));
    this.running = [];
  }
}

function profileArgs(): string[] {
  return profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`];
}

async function runOn(lab: SshLab, hosts: HostSet, workload: Workload, runner: 'ansible-playbook' | 'tsplay'): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-bench-ssh-'));
  try {
    writeProject(dir, hosts.members, workload, lab.keyFile);
    await hosts.start();
    const args = ['-i', 'inventory', 'playbook.yml', '-f', String(workload.hosts)];
    const hostsBefore = hosts.cpuSeconds();
    const measured = runner === 'tsplay' ? await measure(process.execPath, [...profileArgs(), TSPLAY, ...args], dir) : await measure('ansible-playbook', args, dir);
    measured.hostsCpuSeconds = hosts.cpuSeconds() - hostsBefore;
    if (measured.code !== 0) throw new Error(`${runner} exited ${measured.code}: the timing means nothing\n${measured.recap}\n${measured.stderr}`);
    if (measured.stderr.trim()) console.log(`  ${runner} wrote on stderr: ${measured.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `runs` runs of one runner on fresh hosts; the run with the median wall time. */
async function medianRun(lab: SshLab, hosts: HostSet, workload: Workload, runner: 'ansible-playbook' | 'tsplay'): Promise<Measured & { all: number[] }> {
  const measured: Measured[] = [];
  for (let i = 0; i < runs; i++) measured.push(await runOn(lab, hosts, workload, runner));
  const all = measured.map((m) => m.seconds);
  const middle = median(all);
  const chosen = measured.reduce((best, m) => (Math.abs(m.seconds - middle) < Math.abs(best.seconds - middle) ? m : best));
  return { ...chosen, seconds: middle, all };
}

function times(all: number[]): string {
  return all.length > 1 ? ` (median of ${all.map((t) => t.toFixed(2)).join(', ')})` : '';
}

async function compare(lab: SshLab, workload: Workload): Promise<void> {
  console.log(`\n${workload.title}: ${workload.hosts} hosts x ${workload.tasks} tasks, forks ${workload.hosts}`);
  const hosts = new HostSet(lab, workload.hosts);
  const empty: Workload = { ...workload, title: 'empty', tasks: 0, taskYaml: '' };
  const startup = await medianRun(lab, hosts, empty, 'tsplay');
  const tsplay = await medianRun(lab, hosts, workload, 'tsplay');
  const cells = workload.hosts * workload.tasks;
  const perTask = (tsplay.seconds * 1000) / cells;
  const perTaskAfterStartup = ((tsplay.seconds - startup.seconds) * 1000) / cells;
  console.log(
    `  tsplay:           ${tsplay.seconds.toFixed(2)} s${times(tsplay.all)}, exit ${tsplay.code}, peak RSS ${tsplay.peakRssMb.toFixed(0)} MB, ` +
      `CPU ${tsplay.cpuSeconds.toFixed(2)} s, hosts' CPU ${tsplay.hostsCpuSeconds.toFixed(2)} s (whole machine ${tsplay.machineCpuSeconds.toFixed(2)} s)`,
  );
  console.log(
    `                    ${perTask.toFixed(2)} ms per task per host; startup (same inventory, no tasks) ${startup.seconds.toFixed(2)} s, ` +
      `${perTaskAfterStartup.toFixed(2)} ms per task per host after it`,
  );
  if (skipAnsible) return;
  const ansible = await medianRun(lab, hosts, workload, 'ansible-playbook');
  const ansiblePerTask = (ansible.seconds * 1000) / cells;
  console.log(
    `  ansible-playbook: ${ansible.seconds.toFixed(2)} s${times(ansible.all)}, exit ${ansible.code}, ${ansiblePerTask.toFixed(1)} ms per task per host, ` +
      `CPU ${ansible.cpuSeconds.toFixed(2)} s (its main process), hosts' CPU ${ansible.hostsCpuSeconds.toFixed(2)} s`,
  );
  console.log(`  ratio: tsplay is ${(ansible.seconds / tsplay.seconds).toFixed(1)}x faster (target: 30x)`);
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
    // Hosts share the controller's cores: anything else running on the machine shows in the times.
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    if (only.has('commands')) await compare(lab, { title: 'commands', hosts: 10, tasks: 20, taskYaml: commandTasks(20) });
    if (only.has('mixed')) await compare(lab, { title: 'mixed (command, copy, template, file, stat)', hosts: 20, tasks: 10, taskYaml: MIXED_TASKS });
    if (only.has('memory')) await memory(lab, memoryHosts);
    // Not run by default: what connecting costs (one command task on 20 hosts).
    if (only.has('connect')) await compare(lab, { title: 'connect (one command)', hosts: 20, tasks: 1, taskYaml: commandTasks(1) });
  } finally {
    await lab.stop();
  }
}

await main();
