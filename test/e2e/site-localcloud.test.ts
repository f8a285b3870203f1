// The article's whole site.yml on the local cloud, as a user runs it after
// `eval "$(tsplay-localcloud env)"`: play 1 (roles/ec2) launches web1 and web2, records them
// in Route 53 and waits for their sshd; its add_host hands each instance's private IP to
// play 2, which deploys the sample app on the new instances in the same run, tests the
// release through nginx and registers the instances in an ALB target group, whose listener
// then serves the app from both; the same run again changes nothing. (roles/ec2's wait_for
// has `delay: 60`: this takes a while.)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, TSPLAY } from '../differential/harness.js';
import { parseDefaultOutput } from '../differential/output-parser.js';
import { freePort, httpGet, machineProblem, REPO, SampleAppRepo } from './site-lab.js';

const execFileAsync = promisify(execFile);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

describe('playbooks/site.yml on the local cloud: provision and configure in one run', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'site-cloud-'));
  let env: Record<string, string> = {};
  let repo: SampleAppRepo;
  let listenerUrl = '';
  let targetGroupArn = '';
  const clientConfig = () => ({ endpoint: env.AWS_ENDPOINT_URL, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

  beforeAll(async () => {
    const problem = machineProblem();
    if (problem) throw new Error(problem);
    repo = await SampleAppRepo.create();
    const port = await freePort();
    const cloud = ['localcloud/bin.js', 'start', '--detach', '--port', String(port), '--network', '127.94', '--state-dir', stateDir];
    await execFileAsync('node', [...cloud, '--private-zone', 'bdash.inside', '--pending-ms', '500', '--boot-ms', '500', '--elb-time-scale', '0.2'], { cwd: REPO });
    const { stdout } = await execFileAsync('node', ['localcloud/bin.js', 'env', '--state-dir', stateDir], { cwd: REPO });
    env = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map(([, name, value]) => [name as string, value as string]));

    // The load balancer the environment already has: a target group checking /health, and
    // a listener forwarding to it.
    const elb = new ElasticLoadBalancingV2Client(clientConfig());
    const group = await elb.send(
      new CreateTargetGroupCommand({
        Name: 'bdash-e2e', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-00000000000000001', TargetType: 'instance',
        HealthCheckPath: '/health', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2,
      }),
    );
    targetGroupArn = group.TargetGroups![0]!.TargetGroupArn!;
    const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'bdash-e2e', Subnets: ['subnet-0000000000000000a', 'subnet-0000000000000000b'] }));
    const balancer = lb.LoadBalancers![0]!;
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: balancer.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }));
    elb.destroy();
    listenerUrl = `http://${balancer.DNSName}/`;
  });

  afterAll(async () => {
    await execFileAsync('node', ['localcloud/bin.js', 'stop', '--state-dir', stateDir], { cwd: REPO }).catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
    repo?.stop();
  });

  it('launches web1 and web2, deploys the app on them, passes the release test and serves it through the listener', async () => {
    const args = ['-i', 'inventory/local', 'playbooks/site.yml', '-e', `deploy_repo=${repo.url}`, '-e', 'deploy_subdir=', '-e', 'register_tg_group=bdash-e2e'];
    const output = await run(process.execPath, [TSPLAY, ...args], REPO, env);
    expect(output.code, `${output.stdout}\n${output.stderr}`).toBe(0);
    const parsed = parseDefaultOutput(output.stdout);
    for (const name of ['web1', 'web2']) expect(parsed.recap[name]).toMatchObject({ failed: 0, unreachable: 0 });
    const task = (banner: string) => parsed.tasks.find((t) => t.banner === banner)?.lines.sort();
    expect(task('TASK [ec2 : Provision EC2 Box]')).toEqual(['changed: [web1 -> localhost]', 'changed: [web2 -> localhost]']);
    expect(task('TASK [release-test : Ask the app for its health through nginx]')).toEqual(['ok: [web1]', 'ok: [web2]']);
    expect(task('TASK [register-tg : Register the instance in the target group]')).toEqual(['changed: [web1 -> localhost]', 'changed: [web2 -> localhost]']);
    expect(output.stdout).toContain(`"msg": "web1 runs ${repo.head()}"`);

    // The instances are the hosts play 2 configured: their private IPs answer with their names.
    const ec2 = new EC2Client(clientConfig());
    const described = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }));
    ec2.destroy();
    const instances = (described.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    const byName = Object.fromEntries(instances.map((i) => [i.Tags?.find((t) => t.Key === 'Name')?.Value, i]));
    expect(Object.keys(byName).sort()).toEqual(['web1', 'web2']);
    for (const name of ['web1', 'web2']) {
      const answer = await httpGet(`http://${byName[name]!.PrivateIpAddress}/health`);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok', hostname: name, environment: 'local', revision: repo.head() });
    }

    // Both are healthy targets, and the listener spreads requests over them.
    const elb = new ElasticLoadBalancingV2Client(clientConfig());
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    elb.destroy();
    expect((health.TargetHealthDescriptions ?? []).map((d) => [d.Target?.Id, d.TargetHealth?.State]).sort()).toEqual(
      [byName.web1!.InstanceId, byName.web2!.InstanceId].sort().map((id) => [id, 'healthy']),
    );
    const served = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const answer = await httpGet(listenerUrl);
      expect(answer.status).toBe(200);
      served.add(/ on (\S+)$/.exec(answer.body.trim())?.[1] ?? answer.body);
    }
    expect([...served].sort()).toEqual(['web1', 'web2']);

    // The same run again: the instances exist, the app runs, the targets are registered.
    const again = await run(process.execPath, [TSPLAY, ...args], REPO, env);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
    const recap = parseDefaultOutput(again.stdout).recap;
    for (const name of ['web1', 'web2']) expect(recap[name]).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
  }, 600_000);
});
