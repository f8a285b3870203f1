// bluegreen_retire: take one instance of the idle color out of service and terminate it only
// once its work is done. It runs on that instance (its connection), in this order:
//   1. refuse when the instance's color carries weight, or (require_baked) when the pair says
//      this color may not be retired yet (the live color has not finished its bake window);
//   2. keep termination protection on while anything below is pending;
//   3. deregister it from its target group and wait until the deregistration delay has let
//      in-flight requests finish (the target is gone from the group);
//   4. run the playbook's command that stops the app's job workers taking new jobs;
//   5. wait until the job probe reports nothing running, with a heartbeat line, up to
//      jobs_timeout; on timeout keep the instance and fail naming the jobs, unless force;
//   6. turn termination protection off and terminate.
import { DescribeInstanceAttributeCommand, ModifyInstanceAttributeCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { DeregisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ModuleDefinition, ModuleFailure } from '../../module.js';
import { awsFailure, send } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import { describeInstances } from '../ec2/instances-api.js';
import { tagListToDict } from '../tags.js';
import { colorInstances } from './color-instances.js';
import { decide } from './decisions.js';
import { refreshTargets } from './health.js';
import { type JobProbeSpec, describeProbe, jobsText, probeJobs, validateProbe } from './job-probe.js';
import { COLORS, type Color, type PairArgs, isColor } from './pair-args.js';
import { readPair } from './pair.js';
import { TAG } from './state-tags.js';
import { bluegreenRetireSpec } from './bluegreen-retire.spec.js';

export interface BluegreenRetireArgs extends PairArgs {
  instance_id: string;
  color?: Color | null;
  stop_workers?: string | null;
  jobs?: JobProbeSpec | null;
  jobs_timeout: number;
  probe_interval: number;
  heartbeat: number;
  deregistration_timeout?: number | null;
  require_baked: boolean;
  force: boolean;
  terminate: boolean;
}

function elapsedText(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

export const bluegreenRetireModule: ModuleDefinition<BluegreenRetireArgs> = {
  ...bluegreenRetireSpec,
  async run(args, ctx) {
    const session = new AwsSession(args, ctx.environment, 'bluegreen_retire');
    const signal = ctx.signal;
    const who = `${ctx.inventoryHostname} (${args.instance_id})`;
    const say = (text: string) => ctx.say(`bluegreen_retire ${who}: ${text}`);
    if (args.jobs) validateProbe(args.jobs);
    try {
      const elb = await session.elbv2();
      const ec2 = await session.ec2();
      const state = await readPair(elb, args, signal);
      const instance = (await describeInstances(ec2, { ids: [args.instance_id] }, signal))[0];
      if (!instance || ['terminated', 'shutting-down'].includes(instance.State?.Name ?? '')) {
        return { changed: false, instance_id: args.instance_id, terminated: true, msg: `${args.instance_id} is already ${instance?.State?.Name ?? 'gone'}` };
      }
      const tagged = tagListToDict(instance.Tags)[TAG.color];
      const color: Color | undefined =
        args.color ?? (isColor(tagged) ? tagged : COLORS.find((c) => state.colors[c].targets.some((t) => t.id === args.instance_id && t.reason !== 'Target.NotRegistered')));
      if (!color) throw new ModuleFailure(`${args.instance_id} belongs to neither color of ${args.service}: not tagged ${TAG.color} and not registered in either target group`);
      const group = state.colors[color];
      if (group.weight > 0) {
        throw new ModuleFailure(`Refusing to retire ${who}: its color ${color} serves traffic for ${args.service} (weight ${group.weight}); switch away from it first`);
      }
      if (args.require_baked) {
        const counts = { blue: 0, green: 0 };
        for (const c of COLORS) counts[c] = (await colorInstances(ec2, args.service, c, signal)).length;
        const retire = decide(state, counts).retire;
        if (retire.color !== color) throw new ModuleFailure(`Refusing to retire ${who} (${color}): ${retire.reason}`);
      }

      const registrations = group.targets.filter((t) => t.id === args.instance_id && t.reason !== 'Target.NotRegistered');
      const delay = group.deregistrationDelaySeconds;
      const plan = [
        registrations.length > 0 ? `deregister from ${group.targetGroupName} and wait for the deregistration delay (${delay} s)` : `(not registered in ${group.targetGroupName})`,
        ...(args.stop_workers ? [`stop job workers: \`${args.stop_workers}\``] : []),
        ...(args.jobs ? [`wait up to ${args.jobs_timeout} s for running jobs (${describeProbe(args.jobs)}) to finish`] : []),
        args.terminate ? `turn termination protection off and terminate ${args.instance_id}` : 'keep the instance (terminate: false)',
      ];
      if (ctx.checkMode) {
        const now = args.jobs ? await probeJobs(args.jobs, { connection: ctx.connection, become: ctx.become, signal }) : undefined;
        const jobsNow = now === undefined ? '' : now.ok ? `; jobs running now: ${now.jobs.length === 0 ? 'none' : jobsText(now.jobs)}` : `; job probe: ${now.error}`;
        return { changed: true, instance_id: args.instance_id, color, plan, msg: `Would ${plan.join(', then ')}${jobsNow}` };
      }

      // 2. Protection on while anything is pending (an operator's or a script's terminate fails).
      const protection = await send(ec2, new DescribeInstanceAttributeCommand({ InstanceId: args.instance_id, Attribute: 'disableApiTermination' }), signal);
      if (protection.DisableApiTermination?.Value !== true) {
        await send(ec2, new ModifyInstanceAttributeCommand({ InstanceId: args.instance_id, DisableApiTermination: { Value: true } }), signal);
      }

      // 3. Deregister and wait out the delay (in-flight requests finish on AWS's side).
      const drainStarted = Date.now();
      const pending = registrations.filter((t) => t.state !== 'draining');
      if (pending.length > 0) {
        await send(elb, new DeregisterTargetsCommand({ TargetGroupArn: group.targetGroupArn, Targets: pending.map((t) => ({ Id: t.id, ...(t.port ? { Port: t.port } : {}) })) }), signal);
      }
      if (registrations.length > 0) {
        say(`deregistered from ${group.targetGroupName}; draining (deregistration delay ${delay} s)`);
        const timeoutMs = (args.deregistration_timeout ?? delay + 60) * 1000;
        let nextHeartbeat = drainStarted + args.heartbeat * 1000;
        for (;;) {
          const left = (await refreshTargets(elb, state, color, signal)).filter((t) => t.id === args.instance_id && t.reason !== 'Target.NotRegistered');
          if (left.length === 0) break;
          if (Date.now() - drainStarted > timeoutMs || signal.aborted) {
            throw new ModuleFailure(`${who} is still ${left.map((t) => t.state).join(', ')} in ${group.targetGroupName} after ${elapsedText(Date.now() - drainStarted)}; the instance is kept`, {
              changed: true, terminated: false,
            });
          }
          if (Date.now() >= nextHeartbeat) {
            say(`draining ${elapsedText(Date.now() - drainStarted)} of the ${delay} s deregistration delay`);
            nextHeartbeat += args.heartbeat * 1000;
          }
          await sleep(1000, undefined, { signal }).catch(() => undefined);
        }
      }
      const drainedSeconds = (Date.now() - drainStarted) / 1000;

      // 4. No new jobs from now on.
      if (args.stop_workers) {
        const answer = await ctx.connection.run(args.stop_workers, { become: ctx.become, signal });
        if (answer.rc !== 0) {
          throw new ModuleFailure(`Stopping the job workers on ${who} failed (rc ${answer.rc}): ${(answer.stderr || answer.stdout).trim()}; the instance is kept`, {
            changed: true, terminated: false, rc: answer.rc, stdout: answer.stdout, stderr: answer.stderr,
          });
        }
        say(`job workers stopped (\`${args.stop_workers}\`)`);
      }

      // 5. Wait for the work in progress.
      const jobsStarted = Date.now();
      let forced: string | undefined;
      if (args.jobs) {
        let nextHeartbeat = jobsStarted;
        for (;;) {
          const answer = await probeJobs(args.jobs, { connection: ctx.connection, become: ctx.become, signal });
          if (answer.ok && answer.jobs.length === 0) break;
          const waited = Date.now() - jobsStarted;
          const what = answer.ok ? `${answer.jobs.length} job${answer.jobs.length === 1 ? '' : 's'} running: ${jobsText(answer.jobs)}` : `job probe failed: ${answer.error}`;
          if (waited >= args.jobs_timeout * 1000 || signal.aborted) {
            if (!args.force) {
              throw new ModuleFailure(
                `Timed out after ${elapsedText(waited)} waiting for ${who} to finish its work: ${what}. The instance is kept (deregistered, termination protection on); run the retirement again later, or with force to terminate it anyway`,
                { changed: true, terminated: false, jobs: answer.ok ? answer.jobs : [], probe_error: answer.ok ? null : answer.error },
              );
            }
            forced = what;
            ctx.warn(`force: terminating ${who} with work still in progress after ${elapsedText(waited)}: ${what}`);
            break;
          }
          if (Date.now() >= nextHeartbeat) {
            say(`waiting for ${what} [${elapsedText(waited)} of ${elapsedText(args.jobs_timeout * 1000)}]`);
            nextHeartbeat += args.heartbeat * 1000;
          }
          await sleep(args.probe_interval * 1000, undefined, { signal }).catch(() => undefined);
        }
        if (!forced) say(`no jobs running after ${elapsedText(Date.now() - jobsStarted)}`);
      }
      const jobsSeconds = (Date.now() - jobsStarted) / 1000;

      // 6. Only now may it go.
      if (!args.terminate) {
        return { changed: true, instance_id: args.instance_id, color, terminated: false, drained_seconds: drainedSeconds, jobs_seconds: jobsSeconds, msg: `${who} drained; kept (terminate: false)` };
      }
      await send(ec2, new ModifyInstanceAttributeCommand({ InstanceId: args.instance_id, DisableApiTermination: { Value: false } }), signal);
      await send(ec2, new TerminateInstancesCommand({ InstanceIds: [args.instance_id] }), signal);
      say('terminated');
      return {
        changed: true,
        instance_id: args.instance_id,
        color,
        terminated: true,
        forced: forced !== undefined,
        drained_seconds: drainedSeconds,
        jobs_seconds: jobsSeconds,
        msg: `${who} drained (${drainedSeconds.toFixed(1)} s), jobs done (${jobsSeconds.toFixed(1)} s)${forced ? ` [forced: ${forced}]` : ''}, terminated`,
      };
    } catch (error) {
      throw awsFailure(error);
    }
  },
};
