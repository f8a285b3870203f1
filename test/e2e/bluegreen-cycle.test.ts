// Issue 7 end to end, on a local cloud of its own, with a load generator sending requests
// through the load balancer's listener from the first switch to the end:
//   v1 creates the service and goes live; v2 is provisioned in the other color, deployed,
//   health-gated, switched and baked with zero failed requests; a 60 s job on v1 makes a
//   retirement with a 10 s timeout keep the instance and fail naming the job, and the next
//   retirement wait for the job and only then terminate; v3 is broken and the health gate
//   refuses it; v4 starts answering 500 after the switch and is rolled back automatically
//   within 10 s, no request failing after that window.
// (The article's ec2 role waits 60 s before checking SSH on new instances: this test takes
// about five minutes.)
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DescribeInstanceAttributeCommand, DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCloud, LoadGenerator, bluegreen, loadBalancerUrl, startDemoCloud } from '../../scripts/demo.js';

const run = promisify(execFile);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

describe('blue-green cycle on the local cloud under load', () => {
  let cloud: DemoCloud;
  let load: LoadGenerator;
  let ec2: EC2Client;
  let elb: ElasticLoadBalancingV2Client;
  const logs: string[] = [];

  const tsplay = async (...args: string[]) => {
    const result = await bluegreen(cloud.env, args);
    logs.push(`$ ${args.join(' ')}\n${result.output}`);
    return result;
  };

  const instances = async (): Promise<Instance[]> => {
    const answer = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }] }));
    return (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  };
  const named = async (name: string) => (await instances()).find((i) => i.Tags?.some((t) => t.Key === 'Name' && t.Value === name));

  const weights = async () => {
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['bdash-local'] }))).LoadBalancers?.[0];
    const listener = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners?.[0];
    const tuples = listener?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? [];
    return Object.fromEntries(tuples.map((t) => [String(t.TargetGroupArn).includes('-blue/') ? 'blue' : 'green', t.Weight]));
  };

  const ssh = async (ip: string, command: string) => {
    const { stdout } = await run('ssh', ['-i', cloud.env.LOCALCLOUD_PRIVATE_KEY as string, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `root@${ip}`, command]);
    return stdout;
  };

  const waitFor = async (what: string, check: () => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    cloud = await startDemoCloud('127.78');
    const config = { endpoint: cloud.env.AWS_ENDPOINT_URL, region: cloud.env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
    ec2 = new EC2Client(config);
    elb = new ElasticLoadBalancingV2Client(config);
  }, 60_000);

  afterAll(async () => {
    await load?.stop();
    ec2?.destroy();
    elb?.destroy();
    await cloud?.stop();
  }, 60_000);

  it('v1 creates the service and goes live', async () => {
    const first = await tsplay('-t', 'deploy,switch', '-e', 'bluegreen_release=v1');
    expect(first.code, first.output).toBe(0);
    expect(await weights()).toEqual({ blue: 0, green: 100 });
    load = new LoadGenerator(await loadBalancerUrl(cloud.env, 'bdash-local'), 2, 30);
    load.start();
    await waitFor('answers from v1', () => load.samples.some((s) => s.body.startsWith('release v1')), 10_000);
  }, 300_000);

  it('v2: provision the other color, deploy, health gate, switch, bake; zero failed requests', async () => {
    const check = await tsplay('-t', 'deploy,switch,retire', '--check', '-e', 'bluegreen_release=v2');
    expect(check.code, check.output).toBe(0);
    expect(check.output).toMatch(/deploy -> blue/);
    expect(await named('blue-web1')).toBeUndefined();

    const deploy = await tsplay('-t', 'deploy', '-e', 'bluegreen_release=v2');
    expect(deploy.code, deploy.output).toBe(0);
    expect(await weights()).toEqual({ blue: 0, green: 100 });
    const switched = await tsplay('-t', 'switch');
    expect(switched.code, switched.output).toBe(0);
    expect(switched.output).toMatch(/bluegreen bdash: blue is live \(blue 100, green 0\), baked 20 s/);
    expect(await weights()).toEqual({ blue: 100, green: 0 });
    await waitFor('answers from v2', () => load.samples.slice(-4).every((s) => s.body.startsWith('release v2')), 5_000);
    expect(load.failures(), JSON.stringify(load.failures().slice(0, 5))).toEqual([]);
  }, 300_000);

  it('retirement waits for a 60 s job; with a 10 s timeout it keeps the instance and names the job', async () => {
    const old = await named('green-web1');
    const ip = old?.PrivateIpAddress as string;
    const jobStarted = Date.now();
    await ssh(ip, 'setsid /srv/bgapp/bin/job import-users 60 </dev/null >/dev/null 2>&1 & sleep 0.3; ls /srv/bgapp/jobs');

    const early = await tsplay('-t', 'retire', '-e', 'bluegreen_jobs_timeout=10');
    expect(early.code, early.output).toBe(2);
    expect(early.output).toMatch(/Timed out after 1\d s waiting for green-web1 \(i-\w+\) to finish its work: 1 job running: import-users/);
    expect(early.output).toMatch(/waiting for 1 job running: import-users/); // the heartbeat
    const kept = await named('green-web1');
    expect(kept?.State?.Name).toBe('running');
    const protection = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: kept?.InstanceId, Attribute: 'disableApiTermination' }));
    expect(protection.DisableApiTermination?.Value).toBe(true);

    const retire = await tsplay('-t', 'retire');
    const finished = Date.now();
    expect(retire.code, retire.output).toBe(0);
    expect(retire.output).toMatch(/green-web1 \(i-\w+\): no jobs running after/);
    expect(finished - jobStarted).toBeGreaterThanOrEqual(60_000);
    expect(await named('green-web1')).toBeUndefined();
    expect(await named('green-web2')).toBeUndefined();
    expect(load.failures(), JSON.stringify(load.failures().slice(0, 5))).toEqual([]);
  }, 300_000);

  it('v3 is broken: the health gate refuses the switch and v2 keeps serving', async () => {
    const broken = await tsplay('-t', 'deploy,switch', '-e', 'bluegreen_release=v3', '-e', 'bluegreen_release_broken=true');
    expect(broken.code, broken.output).toBe(2);
    expect(broken.output).toMatch(/Health gate refused to switch bdash to green \(bdash-local-green\): .*unhealthy.*weights unchanged \(blue 100, green 0\)/);
    expect(await weights()).toEqual({ blue: 100, green: 0 });
    expect(load.samples.slice(-4).every((s) => s.body.startsWith('release v2'))).toBe(true);
    expect(load.failures(), JSON.stringify(load.failures().slice(0, 5))).toEqual([]);
  }, 300_000);

  it('v4 fails after the switch: automatic rollback within 10 s, nothing lost after that', async () => {
    const running = tsplay('-t', 'deploy,switch', '-e', 'bluegreen_release=v4', '-e', 'bluegreen_bake_seconds=60');
    await waitFor('answers from v4', () => load.samples.slice(-2).every((s) => s.body.startsWith('release v4')), 240_000);
    const v4 = (await instances()).filter((i) => i.Tags?.some((t) => t.Key === 'Name' && t.Value?.startsWith('green-')));
    const failedAt = Date.now();
    await Promise.all(v4.map((i) => ssh(i.PrivateIpAddress as string, 'touch /srv/bgapp/FAIL')));
    const result = await running;
    expect(result.code, result.output).toBe(2);
    expect(result.output).toMatch(/green failed during the bake window: HTTP 5xx rate .* is above 5%; rolled back to blue in/);
    expect(await weights()).toEqual({ blue: 100, green: 0 });
    const failures = load.failures();
    expect(failures.length).toBeGreaterThan(0);
    const lastFailure = Math.max(...failures.map((f) => f.at + f.ms));
    expect(lastFailure - failedAt).toBeLessThan(10_000);
    expect(load.failures(failedAt + 10_000)).toEqual([]);
    // Requests sent to v4 just before the rollback may still be answering.
    await waitFor('answers from v2 again', () => load.samples.slice(-4).every((s) => s.body.startsWith('release v2')), 5_000);
    const totals = await load.stop();
    console.log(`bluegreen e2e: ${totals.requests} requests, ${totals.failed} failed, all within ${((lastFailure - failedAt) / 1000).toFixed(1)} s of v4's failure`);
  }, 300_000);
});
