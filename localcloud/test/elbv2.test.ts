import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand, waitUntilInstanceRunning } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  type TargetHealthStateEnum,
  waitUntilLoadBalancerAvailable,
  waitUntilTargetDeregistered,
  waitUntilTargetInService,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { type Server, createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_ID } from '../ec2/images.js';
import { type TestCloud, eventually, recordingHosts, startTestCloud } from './helpers.js';

let test: TestCloud;
let elb: ElasticLoadBalancingV2Client;
let ec2: EC2Client;
const servers: Server[] = [];
let vpcId = '';
let subnetIds: string[] = [];

/** An app on an instance's address: answers its name, and /health as `health.status` says. */
function app(address: string, port: number, name: string) {
  const health = { status: 200 };
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(health.status).end('health');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(name);
  });
  servers.push(server);
  return new Promise<typeof health>((resolve) => server.listen(port, address, () => resolve(health)));
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

async function tally(url: string, count: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const { status, body } = await get(url);
    const key = status === 200 ? body : String(status);
    seen[key] = (seen[key] ?? 0) + 1;
  }
  return seen;
}

async function launch(name: string) {
  const result = await ec2.send(
    new RunInstancesCommand({
      ImageId: DEFAULT_IMAGE_ID,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetIds[0],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: name }] }],
    }),
  );
  const instance = result.Instances?.[0];
  await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 20, minDelay: 1 }, { InstanceIds: [instance?.InstanceId ?? ''] });
  return { id: instance?.InstanceId ?? '', ip: instance?.PrivateIpAddress ?? '' };
}

async function targetGroup(name: string) {
  const result = await elb.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: vpcId,
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 2,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      Tags: [{ Key: 'Color', Value: name }],
    }),
  );
  return result.TargetGroups?.[0]?.TargetGroupArn ?? '';
}

async function states(arn: string): Promise<Record<string, TargetHealthStateEnum | undefined>> {
  const result = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
  return Object.fromEntries((result.TargetHealthDescriptions ?? []).map((d) => [d.Target?.Id ?? '', d.TargetHealth?.State]));
}

async function waitForState(arn: string, id: string, state: TargetHealthStateEnum) {
  await eventually(async () => (await states(arn))[id] === state, 15_000, `${id} to be ${state}`);
}

beforeAll(async () => {
  // 5 s health check intervals run every 100 ms; a 300 s deregistration delay lasts 6 s.
  test = await startTestCloud({ network: '127.73', elbTimeScale: 0.02 }, { hostFactory: recordingHosts().factory });
  elb = new ElasticLoadBalancingV2Client(test.clientConfig);
  ec2 = new EC2Client(test.clientConfig);
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  vpcId = subnets[0]?.VpcId ?? '';
  subnetIds = subnets.map((s) => s.SubnetId ?? '');
});
afterAll(async () => {
  for (const server of servers) server.close();
  elb?.destroy();
  ec2?.destroy();
  await test?.close();
});

describe('a listener with weighted target groups (blue/green)', () => {
  let blueArn = '';
  let greenArn = '';
  let listenerArn = '';
  let url = '';
  let blue: { id: string; ip: string };
  let green: { id: string; ip: string };
  let greenHealth: { status: number };

  it('registers targets that become healthy through real HTTP health checks once a listener uses the group', async () => {
    blue = await launch('blue-1');
    green = await launch('green-1');
    await app(blue.ip, 8080, 'blue');
    greenHealth = await app(green.ip, 8080, 'green');
    blueArn = await targetGroup('blue');
    greenArn = await targetGroup('green');
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: blueArn, Targets: [{ Id: blue.id }] }));
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: greenArn, Targets: [{ Id: green.id }] }));
    const unused = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: blueArn }));
    expect(unused.TargetHealthDescriptions?.[0]?.TargetHealth).toMatchObject({ State: 'unused', Reason: 'Target.NotInUse' });

    const lb = (
      await elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: subnetIds, Scheme: 'internal', Type: 'application' }))
    ).LoadBalancers?.[0];
    expect(lb?.DNSName).toMatch(/^127\.73\.1\.\d+$/);
    const listener = await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb?.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blueArn, Weight: 100 },
                { TargetGroupArn: greenArn, Weight: 0 },
              ],
            },
          },
        ],
      }),
    );
    listenerArn = listener.Listeners?.[0]?.ListenerArn ?? '';
    await waitUntilLoadBalancerAvailable({ client: elb, maxWaitTime: 20, minDelay: 1 }, { LoadBalancerArns: [lb?.LoadBalancerArn ?? ''] });
    url = `http://${lb?.DNSName}:80/`;
    const first = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: blueArn }));
    expect(['initial', 'healthy']).toContain(first.TargetHealthDescriptions?.[0]?.TargetHealth?.State);
    await waitUntilTargetInService({ client: elb, maxWaitTime: 20, minDelay: 1 }, { TargetGroupArn: blueArn, Targets: [{ Id: blue.id }] });
    await waitForState(greenArn, green.id, 'healthy');
    const groups = await elb.send(new DescribeTargetGroupsCommand({ Names: ['blue'] }));
    expect(groups.TargetGroups?.[0]?.LoadBalancerArns).toEqual([lb?.LoadBalancerArn]);
  });

  it('forwards by weight and moves traffic when the weights change', async () => {
    expect(await tally(url, 30)).toEqual({ blue: 30 });
    await elb.send(
      new ModifyListenerCommand({
        ListenerArn: listenerArn,
        DefaultActions: [
          { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blueArn, Weight: 50 }, { TargetGroupArn: greenArn, Weight: 50 }] } },
        ],
      }),
    );
    const split = await tally(url, 200);
    expect(split.blue).toBeGreaterThan(60);
    expect(split.green).toBeGreaterThan(60);
    await elb.send(
      new ModifyListenerCommand({
        ListenerArn: listenerArn,
        DefaultActions: [
          { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blueArn, Weight: 0 }, { TargetGroupArn: greenArn, Weight: 100 }] } },
        ],
      }),
    );
    expect(await tally(url, 30)).toEqual({ green: 30 });
    const described = await elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    expect(described.Listeners?.[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: blueArn, Weight: 0 },
      { TargetGroupArn: greenArn, Weight: 100 },
    ]);
  });

  it('loses no request while the weights move back and forth', async () => {
    let failures = 0;
    let done = 0;
    let running = true;
    const load = async () => {
      while (running) {
        const { status } = await get(url).catch(() => ({ status: 0 }));
        if (status !== 200) failures++;
        done++;
        await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 10));
      }
    };
    const workers = [load(), load(), load(), load()];
    const weights = (blueWeight: number) =>
      elb.send(
        new ModifyListenerCommand({
          ListenerArn: listenerArn,
          DefaultActions: [
            { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blueArn, Weight: blueWeight }, { TargetGroupArn: greenArn, Weight: 100 - blueWeight }] } },
          ],
        }),
      );
    for (const blueWeight of [100, 50, 0, 50, 100, 0]) {
      await weights(blueWeight);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    running = false;
    await Promise.all(workers);
    expect(done).toBeGreaterThan(100);
    expect(failures).toBe(0);
  });

  it('marks a failing target unhealthy, with the reason AWS gives', async () => {
    greenHealth.status = 500;
    await waitForState(greenArn, green.id, 'unhealthy');
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: greenArn }));
    expect(health.TargetHealthDescriptions?.[0]?.TargetHealth).toMatchObject({
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [500]',
    });
    greenHealth.status = 200;
    await waitForState(greenArn, green.id, 'healthy');
  });

  it('stops sending to a deregistered target: it drains for the deregistration delay, then is gone', async () => {
    const second = await launch('green-2');
    await app(second.ip, 8080, 'green-2');
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: greenArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '100' }] }));
    const attributes = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: greenArn }));
    expect(attributes.Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '100' });
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: greenArn, Targets: [{ Id: second.id }] }));
    await waitForState(greenArn, second.id, 'healthy');
    const both = await tally(url, 40);
    expect(both['green-2']).toBeGreaterThan(5);
    expect(both.green).toBeGreaterThan(5);

    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: greenArn, Targets: [{ Id: green.id }] }));
    const draining = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: greenArn, Targets: [{ Id: green.id }] }));
    expect(draining.TargetHealthDescriptions?.[0]?.TargetHealth).toMatchObject({ State: 'draining', Reason: 'Target.DeregistrationInProgress' });
    expect(await tally(url, 30)).toEqual({ 'green-2': 30 });
    await waitUntilTargetDeregistered({ client: elb, maxWaitTime: 20, minDelay: 1 }, { TargetGroupArn: greenArn, Targets: [{ Id: green.id }] });
    expect((await states(greenArn))[green.id]).toBeUndefined();
    const gone = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: greenArn, Targets: [{ Id: green.id }] }));
    expect(gone.TargetHealthDescriptions?.[0]?.TargetHealth).toMatchObject({ State: 'unused', Reason: 'Target.NotRegistered' });
  });

  it('takes a terminated instance out of its target group, through draining', async () => {
    const doomed = await launch('doomed');
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: blueArn, Targets: [{ Id: doomed.id }] }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [doomed.id] }));
    await waitForState(blueArn, doomed.id, 'draining');
    await eventually(async () => (await states(blueArn))[doomed.id] === undefined, 15_000, 'the terminated target to leave');
  });

  it('counts requests and errors per listener on the internal endpoint', async () => {
    const response = await fetch(`${test.cloud.endpoint}/_localcloud/elbv2/listeners?window=600`);
    const { listeners } = (await response.json()) as { listeners: { listenerArn: string; totals: { requests: number; status2xx: number }; window: { errorRate: number } }[] };
    const mine = listeners.find((l) => l.listenerArn === listenerArn);
    expect(mine?.totals.requests).toBeGreaterThanOrEqual(330);
    expect(mine?.totals.status2xx).toBe(mine?.totals.requests);
    expect(mine?.window.errorRate).toBe(0);
  });

  it('routes by rule conditions before the default action', async () => {
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', Values: ['/blue/*'] }],
        Actions: [{ Type: 'forward', TargetGroupArn: blueArn }],
      }),
    );
    expect((await get(`${url}blue/x`)).body).toBe('blue');
    const rules = await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    expect(rules.Rules?.map((r) => [r.Priority, r.IsDefault])).toEqual([
      ['10', false],
      ['default', true],
    ]);
  });

  it('answers 503 when the chosen group has no target left', async () => {
    await elb.send(
      new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', MessageBody: 'maintenance' } }] }),
    );
    expect(await get(url)).toEqual({ status: 503, body: 'maintenance' });
  });

  it('reports errors as AWS does', async () => {
    await expect(elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: `${blueArn}0` }))).rejects.toMatchObject({
      name: 'TargetGroupNotFoundException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(elb.send(new DescribeLoadBalancersCommand({ Names: ['nope'] }))).rejects.toMatchObject({ name: 'LoadBalancerNotFoundException' });
    await expect(elb.send(new RegisterTargetsCommand({ TargetGroupArn: blueArn, Targets: [{ Id: 'i-0000000000000dead' }] }))).rejects.toMatchObject({
      name: 'InvalidTargetException',
    });
    const tags = await elb.send(new DescribeTagsCommand({ ResourceArns: [blueArn] }));
    expect(tags.TagDescriptions?.[0]?.Tags).toEqual([{ Key: 'Color', Value: 'blue' }]);
  });
});
