// What the SSH transport costs, measured against real sshd hosts on loopback (not a
// test: it prints numbers). Run as root:
//   npx vite-node bench/ssh-transport.ts [hosts=50]
// Reports host start time, connection setup time, per-command cost (plain, become,
// file operations), many hosts in parallel, and memory per connection.
import pLimit from 'p-limit';
import { createSshConnection } from '../src/connection/ssh/index.js';
import type { SshConnection } from '../src/connection/ssh/ssh-connection.js';
import { DEPLOY_PASSWORD, DEPLOY_USER, SshLab, type Host } from '../test/harness/index.js';

const hostCount = Number(process.argv[2] ?? 50);

function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

async function perOperation(label: string, count: number, op: (i: number) => Promise<unknown>): Promise<void> {
  await op(-1); // warm: the worker for this identity exists before the clock starts
  const [, total] = await timed(async () => {
    for (let i = 0; i < count; i++) await op(i);
  });
  console.log(`  ${label.padEnd(44)} ${ms(total / count)} per operation (${count} in a row)`);
}

function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

async function main(): Promise<void> {
  const lab = SshLab.create();
  const connections: SshConnection[] = [];
  try {
    console.log(`SSH transport on ${hostCount} loopback hosts (real sshd, one root filesystem each)\n`);
    const [one, bootOne] = await timed(() => lab.startHost());
    console.log(`host start, one host:                        ${ms(bootOne)}`);
    const [others, bootMany] = await timed(() => lab.startHosts(hostCount - 1));
    const hosts: Host[] = [one, ...others];
    console.log(`host start, ${hostCount - 1} more in parallel:             ${ms(bootMany)} (${ms(bootMany / (hostCount - 1))} per host)`);
    lab.trust();

    console.log('\nOne host, one connection:');
    const conn = createSshConnection(one.hostname, lab.settings(one, { ansible_user: DEPLOY_USER }));
    connections.push(conn);
    const [, connectTime] = await timed(() => conn.connect());
    const [, firstCommand] = await timed(() => conn.run('true'));
    console.log(`  connection setup (TCP, kex, auth)            ${ms(connectTime)}`);
    console.log(`  first command (opens the worker session)     ${ms(firstCommand)}`);
    const become = { method: 'sudo', user: 'root', password: DEPLOY_PASSWORD };
    await perOperation('command, argv (/bin/true)', 500, () => conn.run(['/bin/true']));
    await perOperation('command, shell string', 500, () => conn.run('echo $HOME >/dev/null'));
    await perOperation('command with stdin, env and cwd', 300, () => conn.run('cat >/dev/null', { stdin: 'x'.repeat(1000), env: { A: 'b' }, cwd: '/tmp' }));
    const [, becomeFirst] = await timed(() => conn.run('true', { become: { ...become, user: 'nobody' } }));
    console.log(`  first become command (sudo + password check) ${ms(becomeFirst)}`);
    await perOperation('command with become (sudo, password)', 500, () => conn.run(['/bin/true'], { become }));
    await perOperation('writeFile 2 KB, atomic, mode', 300, (i) => conn.writeFile(`/tmp/bench-${i}`, 'x'.repeat(2048), { mode: 0o640 }));
    await perOperation('writeFile 2 KB as root (become)', 300, (i) => conn.writeFile(`/tmp/bench-root-${i}`, 'x'.repeat(2048), { become }));
    await perOperation('stat with checksum', 300, () => conn.stat('/etc/passwd', { checksum: true }));
    await perOperation('readFile 2 KB', 300, () => conn.readFile('/tmp/bench-1'));
    await perOperation('checksum', 300, () => conn.checksum('/etc/services'));
    await perOperation('mkdirs', 300, (i) => conn.mkdirs(`/tmp/bench-dir/${i}/a/b`, { mode: 0o755 }));
    const [, parallel] = await timed(() => Promise.all(Array.from({ length: 40 }, () => conn.run('sleep 0.05'))));
    console.log(`  40 x "sleep 0.05" at once on one host        ${ms(parallel)} (workers run them side by side)`);

    console.log(`\n${hostCount} hosts, one connection each:`);
    const before = rssMb();
    const many = hosts.map((host) => createSshConnection(host.hostname, lab.settings(host)));
    connections.push(...many);
    const limit = pLimit(hostCount);
    const [, connectAll] = await timed(() => Promise.all(many.map((c) => limit(() => c.connect()))));
    console.log(`  connect all in parallel                      ${ms(connectAll)} (${ms(connectAll / hostCount)} per host)`);
    await Promise.all(many.map((c) => c.run('true')));
    const tasks = 20;
    const [, runAll] = await timed(() =>
      Promise.all(
        many.map(async (c) => {
          for (let i = 0; i < tasks; i++) await c.run(['/bin/true']);
        }),
      ),
    );
    console.log(`  ${tasks} commands on each host, hosts in parallel ${ms(runAll)} (${ms(runAll / tasks)} per command round, ${ms(runAll / tasks / hostCount)} per command per host)`);
    (globalThis as { gc?: () => void }).gc?.();
    const after = rssMb();
    console.log(`  controller RSS: ${before.toFixed(1)} MB before, ${after.toFixed(1)} MB with ${hostCount} connections + workers: ${(((after - before) * 1024) / hostCount).toFixed(0)} KB per connection`);
  } finally {
    await Promise.all(connections.map((c) => c.close()));
    await lab.stop();
  }
}

await main();
