// bluegreen_retire against the in-memory EC2 and ELBv2, running its commands (stopping the
// job workers, the job probe) on this machine through the local connection: the "jobs" are
// lines of a file the test writes and empties, as an app's job list would.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeregisterTargetsCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ModifyInstanceAttributeCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../../../src/connection/local.js';
import { type BluegreenRetireArgs, bluegreenRetireModule } from '../../../../src/modules/aws/bluegreen/bluegreen-retire.js';
import { TAG } from '../../../../src/modules/aws/bluegreen/state-tags.js';
import { ModuleFailure } from '../../../../src/modules/module.js';
import { moduleContext } from '../context.js';
import { FakePair, PAIR } from './fake-pair.js';

let pair: FakePair;
let dir: string;
let jobsFile: string;
let stoppedFile: string;

/** Green live and baked; blue, the color it replaced, still registered with one instance. */
function switchedAndBaked(options: { deregistrationDelay?: number; baked?: boolean } = {}) {
  const baked = options.baked ?? true;
  pair = new FakePair({
    weights: { blue: 0, green: 100 },
    deregistrationDelay: options.deregistrationDelay ?? 5,
    tags: {
      blue: { [TAG.rollbackTarget]: '2024-05-02T10:00:00.000Z' },
      green: { [TAG.liveSince]: '2024-05-02T10:00:00.000Z', ...(baked ? { [TAG.bakedAt]: '2024-05-02T10:30:00.000Z' } : {}) },
    },
  });
  const blue = pair.instance('blue');
  const green = pair.instance('green');
  return { blue, green };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'retire-'));
  jobsFile = join(dir, 'jobs');
  stoppedFile = join(dir, 'workers-stopped');
  writeFileSync(jobsFile, '');
});
afterEach(() => {
  pair?.restore();
  rmSync(dir, { recursive: true, force: true });
});

const onHost = (options: { checkMode?: boolean } = {}) => moduleContext({ ...options, connection: new LocalConnection('localhost') });

const args = (instanceId: string, overrides: Partial<BluegreenRetireArgs> = {}): BluegreenRetireArgs => ({
  ...PAIR,
  instance_id: instanceId,
  stop_workers: `touch ${stoppedFile}`,
  jobs: { command: `cat ${jobsFile}` },
  jobs_timeout: 30,
  probe_interval: 0,
  heartbeat: 1,
  require_baked: true,
  force: false,
  terminate: true,
  ...overrides,
});

async function failureOf(promise: Promise<unknown>): Promise<ModuleFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModuleFailure);
  return error as ModuleFailure;
}

const stateOf = (id: string) => pair.ec2.instances.get(id)?.State?.Name;
const protectedNow = (id: string) => pair.ec2.instances.get(id)?.disableApiTermination;

describe('bluegreen_retire', () => {
  it('deregisters, waits for the drain, stops the workers, waits for the jobs, then terminates', async () => {
    const { blue } = switchedAndBaked();
    pair.elb.drainLooks = 2;
    writeFileSync(jobsFile, 'import-users\n');
    // The job finishes 1.5 s after the workers were told to stop (never before).
    let stoppedBeforeJobEnded = false;
    let jobEnds: NodeJS.Timeout | undefined;
    const watcher = setInterval(() => {
      if (jobEnds || !existsSync(stoppedFile)) return;
      stoppedBeforeJobEnded = true;
      jobEnds = setTimeout(() => writeFileSync(jobsFile, ''), 1_500);
    }, 20);
    const ctx = onHost();
    const result = await bluegreenRetireModule.run(args(blue), ctx).finally(() => {
      clearInterval(watcher);
      clearTimeout(jobEnds);
    });

    expect(pair.elb.inputsOf(DeregisterTargetsCommand)).toEqual([{ TargetGroupArn: pair.arn.blue, Targets: [{ Id: blue, Port: 8080 }] }]);
    expect(stoppedBeforeJobEnded).toBe(true);
    expect(pair.ec2.inputsOf(ModifyInstanceAttributeCommand)).toEqual([{ InstanceId: blue, DisableApiTermination: { Value: false } }]);
    expect(pair.ec2.inputsOf(TerminateInstancesCommand)).toEqual([{ InstanceIds: [blue] }]);
    expect(stateOf(blue)).toBe('terminated');
    expect(pair.elb.targetsOf('shop-blue')).toEqual([]);
    expect(result).toMatchObject({ changed: true, instance_id: blue, color: 'blue', terminated: true, forced: false });
    expect(result.jobs_seconds as number).toBeGreaterThanOrEqual(1.4);
    expect(result.msg).toMatch(new RegExp(`^localhost \\(${blue}\\) drained \\(\\d+\\.\\d s\\), jobs done \\(\\d+\\.\\d s\\), terminated$`));
    const who = `bluegreen_retire localhost (${blue})`;
    expect(ctx.said[0]).toBe(`${who}: deregistered from shop-blue; draining (deregistration delay 5 s)`);
    expect(ctx.said).toContain(`${who}: job workers stopped (\`touch ${stoppedFile}\`)`);
    expect(ctx.said).toContain(`${who}: waiting for 1 job running: import-users [0 s of 30 s]`);
    expect(ctx.said.some((l) => /: waiting for 1 job running: import-users \[1 s of 30 s\]$/.test(l))).toBe(true);
    expect(ctx.said.at(-1)).toBe(`${who}: terminated`);
  });

  it('on a jobs timeout keeps the instance, deregistered and protected, and names the job', async () => {
    const { blue } = switchedAndBaked();
    writeFileSync(jobsFile, 'nightly-export\n');
    const failure = await failureOf(bluegreenRetireModule.run(args(blue, { jobs_timeout: 1 }), onHost()));
    expect(failure.message).toBe(
      `Timed out after 1 s waiting for localhost (${blue}) to finish its work: 1 job running: nightly-export. The instance is kept (deregistered, termination protection on); run the retirement again later, or with force to terminate it anyway`,
    );
    expect(failure.extra).toEqual({ changed: true, terminated: false, jobs: [{ name: 'nightly-export' }], probe_error: null });
    expect(stateOf(blue)).toBe('running');
    expect(protectedNow(blue)).toBe(true);
    expect(pair.ec2.inputsOf(TerminateInstancesCommand)).toEqual([]);
    expect(pair.elb.targetsOf('shop-blue')).toEqual([]);

    // Once the job is done, the next retirement finds it deregistered and terminates it.
    writeFileSync(jobsFile, '');
    const again = await bluegreenRetireModule.run(args(blue), onHost());
    expect(again).toMatchObject({ changed: true, color: 'blue', terminated: true });
    expect(pair.elb.inputsOf(DeregisterTargetsCommand)).toHaveLength(1);
    expect(stateOf(blue)).toBe('terminated');
  });

  it('with force terminates after the timeout and warns with the job', async () => {
    const { blue } = switchedAndBaked();
    writeFileSync(jobsFile, 'nightly-export\n');
    const ctx = onHost();
    const result = await bluegreenRetireModule.run(args(blue, { jobs_timeout: 1, force: true }), ctx);
    expect(result).toMatchObject({ terminated: true, forced: true });
    expect(result.msg).toContain('[forced: 1 job running: nightly-export]');
    expect(ctx.warnings).toEqual([`force: terminating localhost (${blue}) with work still in progress after 1 s: 1 job running: nightly-export`]);
    expect(stateOf(blue)).toBe('terminated');
  });

  it('refuses an instance of the color that serves, naming its weight', async () => {
    const { green } = switchedAndBaked();
    const failure = await failureOf(bluegreenRetireModule.run(args(green), onHost()));
    expect(failure.message).toBe(`Refusing to retire localhost (${green}): its color green serves traffic for shop (weight 100); switch away from it first`);
    expect(pair.mutations()).toEqual([]);
  });

  it('refuses the rollback target while the live color has not baked, unless require_baked is off', async () => {
    const { blue } = switchedAndBaked({ baked: false });
    const failure = await failureOf(bluegreenRetireModule.run(args(blue), onHost()));
    expect(failure.message).toBe(`Refusing to retire localhost (${blue}) (blue): green has not finished its bake window; blue is its rollback target`);
    expect(pair.mutations()).toEqual([]);
    const result = await bluegreenRetireModule.run(args(blue, { require_baked: false }), onHost());
    expect(result).toMatchObject({ terminated: true });
  });

  it('keeps the instance when the deregistration does not finish in time', async () => {
    const { blue } = switchedAndBaked();
    pair.elb.drainLooks = 1_000;
    const failure = await failureOf(bluegreenRetireModule.run(args(blue, { deregistration_timeout: 1 }), onHost()));
    expect(failure.message).toMatch(new RegExp(`^localhost \\(${blue}\\) is still draining in shop-blue after [12] s; the instance is kept$`));
    expect(existsSync(stoppedFile)).toBe(false);
    expect(stateOf(blue)).toBe('running');
  });

  it('keeps the instance when stopping the workers fails', async () => {
    const { blue } = switchedAndBaked();
    const failure = await failureOf(bluegreenRetireModule.run(args(blue, { stop_workers: 'echo no supervisor here >&2; exit 3' }), onHost()));
    expect(failure.message).toBe(`Stopping the job workers on localhost (${blue}) failed (rc 3): no supervisor here; the instance is kept`);
    expect(failure.extra).toMatchObject({ terminated: false, rc: 3 });
    expect(stateOf(blue)).toBe('running');
  });

  it('with terminate off drains and keeps the instance', async () => {
    const { blue } = switchedAndBaked();
    const result = await bluegreenRetireModule.run(args(blue, { terminate: false }), onHost());
    expect(result).toMatchObject({ changed: true, terminated: false, msg: `localhost (${blue}) drained; kept (terminate: false)` });
    expect(stateOf(blue)).toBe('running');
    expect(protectedNow(blue)).toBe(true);
  });

  it('in check mode shows the plan and the jobs running now, and changes nothing', async () => {
    const { blue } = switchedAndBaked();
    writeFileSync(jobsFile, 'import-users\n');
    const planned = await bluegreenRetireModule.run(args(blue), onHost({ checkMode: true }));
    expect(planned).toEqual({
      changed: true,
      instance_id: blue,
      color: 'blue',
      plan: [
        'deregister from shop-blue and wait for the deregistration delay (5 s)',
        `stop job workers: \`touch ${stoppedFile}\``,
        `wait up to 30 s for running jobs (command \`cat ${jobsFile}\`) to finish`,
        `turn termination protection off and terminate ${blue}`,
      ],
      msg: `Would deregister from shop-blue and wait for the deregistration delay (5 s), then stop job workers: \`touch ${stoppedFile}\`, then wait up to 30 s for running jobs (command \`cat ${jobsFile}\`) to finish, then turn termination protection off and terminate ${blue}; jobs running now: import-users`,
    });
    expect(pair.mutations()).toEqual([]);
    expect(existsSync(stoppedFile)).toBe(false);
  });

  it('finds the color of an untagged instance from its registration, and turns protection on first', async () => {
    const { green } = switchedAndBaked();
    const blue = pair.instance('blue', { tagged: false, protected: false });
    pair.elb.mock.resetHistory();
    const result = await bluegreenRetireModule.run(args(blue, { jobs: null, stop_workers: null }), onHost());
    expect(result).toMatchObject({ color: 'blue', terminated: true });
    expect(pair.ec2.inputsOf(ModifyInstanceAttributeCommand).map((i) => i.DisableApiTermination?.Value)).toEqual([true, false]);
    expect(pair.elb.inputsOf(DescribeTargetHealthCommand).length).toBeGreaterThan(0);
    expect(stateOf(green)).toBe('running');
  });

  it('reports a terminated instance as done, and one of neither color as an error', async () => {
    const { blue } = switchedAndBaked();
    pair.ec2.instances.get(blue)!.State = { Code: 48, Name: 'terminated' };
    expect(await bluegreenRetireModule.run(args(blue), onHost())).toEqual({ changed: false, instance_id: blue, terminated: true, msg: `${blue} is already terminated` });
    const stranger = pair.instance('blue', { tagged: false, registered: false });
    const failure = await failureOf(bluegreenRetireModule.run(args(stranger), onHost()));
    expect(failure.message).toBe(`${stranger} belongs to neither color of shop: not tagged tsplay:bluegreen:color and not registered in either target group`);
    const badProbe = await failureOf(bluegreenRetireModule.run(args(blue, { jobs: {} }), onHost()));
    expect(badProbe.message).toBe('jobs needs one of: process, pid_file, command, url');
  });
});
