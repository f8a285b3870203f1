// Where a task's time goes over SSH (a diagnostic, not a test): runs a benchmark
// workload with tsplay in this process against one real sshd host on loopback and
// prints, for each module run, every remote operation it makes (one line per round
// trip: what it runs and how long it took), then the totals of the run.
// With --cpu N, runs the workload N times on a fresh host state instead and prints each
// task's average CPU time on the host (sshd, shells, commands) and in this process.
// Run as root (TRACE_OUTPUT=1 also prints what each operation printed):
//   npm run build && node dist/bench/ssh-round-trips.js [--workload mixed|commands] [--runs 2] [--cpu 20]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { SshConnection } from '../src/connection/ssh/ssh-connection.js';
import { RemoteShell } from '../src/connection/ssh/remote-shell.js';
import { registerBuiltinModules } from '../src/modules/index.js';
import { allModules } from '../src/modules/registry.js';
import type { FramedCommand } from '../src/connection/ssh/framing.js';
import { SshLab } from '../test/harness/index.js';
import { treeCpuSeconds } from './host-cpu.js';
import { commandTasks, MIXED_TASKS, writeProject, type Workload } from './ssh-workloads.js';

const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const workloadName = option('workload') ?? 'mixed';
const runs = Number(option('runs') ?? 2);
const cpuRuns = Number(option('cpu') ?? 0);

/** A framed command's body as one short line: the script or program it runs. */
function describe(command: FramedCommand): string {
  const text = command.body
    .split('\n')
    .filter((line) => !/^(set -- |LC_ALL=C|export )/.test(line))
    .join('; ')
    .replace(/\s+/g, ' ');
  const stdin = command.stdin?.length ? ` [stdin ${command.stdin.length} B]` : '';
  return `${text.slice(0, 110)}${text.length > 110 ? '...' : ''}${stdin}`;
}

let operations = 0;
let workers = 0;
/** Lines of the module run in progress (one host: module runs never overlap). */
let lines: string[] = [];
/** The host's root process, for its CPU time. */
let hostPid = 0;
/** Per task (in order of the run): module name, round trips, host and controller CPU seconds, summed over runs. */
let taskIndex = 0;
const perTask: { name: string; trips: number; host: number; controller: number }[] = [];

type Execute = (this: SshConnection, command: FramedCommand, ...rest: unknown[]) => Promise<{ rc: number }>;
const prototype = SshConnection.prototype as unknown as { execute: Execute };
const execute = prototype.execute;
prototype.execute = async function (this: SshConnection, command: FramedCommand, ...rest: unknown[]) {
  operations++;
  const started = performance.now();
  const output = await execute.call(this, command, ...rest);
  lines.push(`    ${(performance.now() - started).toFixed(2).padStart(6)} ms rc=${output.rc} ${describe(command)}`);
  if (process.env['TRACE_OUTPUT']) lines.push(`      ${JSON.stringify((output as unknown as { stdout: Buffer }).stdout.toString('utf8'))}`);
  return output;
};
const open = RemoteShell.open.bind(RemoteShell);
RemoteShell.open = (...args: Parameters<typeof RemoteShell.open>) => {
  workers++;
  lines.push('    (opens a worker session)');
  return open(...args);
};

registerBuiltinModules();
for (const definition of allModules()) {
  const run = definition.run.bind(definition);
  definition.run = async (args, ctx) => {
    lines = [];
    const before = operations;
    const started = performance.now();
    const hostBefore = treeCpuSeconds([hostPid]);
    const controllerBefore = process.cpuUsage();
    try {
      return await run(args, ctx);
    } finally {
      const count = operations - before;
      const controller = process.cpuUsage(controllerBefore);
      const task = (perTask[taskIndex] ??= { name: definition.name, trips: 0, host: 0, controller: 0 });
      taskIndex++;
      task.trips += count;
      task.host += treeCpuSeconds([hostPid]) - hostBefore;
      task.controller += (controller.user + controller.system) / 1e6;
      if (!cpuRuns) {
        console.log(`  ${definition.name}: ${count} round trip${count === 1 ? '' : 's'}, ${(performance.now() - started).toFixed(2)} ms`);
        for (const line of lines) console.log(line);
      }
    }
  };
}

const workloads: Record<string, Workload> = {
  mixed: { title: 'mixed', hosts: 1, tasks: 10, taskYaml: MIXED_TASKS },
  commands: { title: 'commands', hosts: 1, tasks: 5, taskYaml: commandTasks(5) },
};

const lab = SshLab.create();
const dir = mkdtempSync(join(tmpdir(), 'tsplay-round-trips-'));
try {
  const host = await lab.startHost({ users: [] });
  hostPid = host.pid;
  const workload = workloads[workloadName]!;
  writeProject(dir, [{ name: 'node001', address: host.address }], workload, lab.keyFile);
  process.chdir(dir);
  process.env['ANSIBLE_HOST_KEY_CHECKING'] = 'False';
  process.env['TSPLAY_NO_HISTORY'] = '1';
  for (let run = 1; run <= cpuRuns; run++) {
    taskIndex = 0;
    await host.exec('rm -rf /srv/bench /root/.ansible');
    await main(['-i', 'inventory', 'playbook.yml']);
  }
  if (cpuRuns) {
    console.log(`\nper task, average of ${cpuRuns} runs on a fresh host state (CPU counted in ticks of 10 ms):`);
    for (const task of perTask) {
      const ms = (seconds: number) => `${((seconds * 1000) / cpuRuns).toFixed(1).padStart(5)} ms`;
      console.log(`  ${task.name.padEnd(24)} ${(task.trips / cpuRuns).toFixed(1)} round trips, host CPU ${ms(task.host)}, controller CPU ${ms(task.controller)}`);
    }
  }
  for (let run = 1; run <= (cpuRuns ? 0 : runs); run++) {
    console.log(`\n=== run ${run}${run > 1 ? ' (the same hosts again: nothing to change)' : ''}`);
    operations = 0;
    workers = 0;
    const started = performance.now();
    const code = await main(['-i', 'inventory', 'playbook.yml']);
    const seconds = (performance.now() - started) / 1000;
    console.log(`=== run ${run}: exit ${code}, ${seconds.toFixed(2)} s, ${operations} remote operations for ${workload.tasks} tasks, ${workers} worker sessions opened`);
  }
} finally {
  await lab.stop();
  rmSync(dir, { recursive: true, force: true });
}
