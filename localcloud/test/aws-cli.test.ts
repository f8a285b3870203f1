// The AWS CLI (botocore: an independent client, with its own parsers) against the local
// cloud: the wire format must be AWS's, not only what the JavaScript SDK accepts.
import { DescribeSubnetsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_ID } from '../ec2/images.js';
import { type TestCloud, recordingHosts, startTestCloud } from './helpers.js';

const run = promisify(execFile);
// Debian's awscli package; AWS_ENDPOINT_URL support came to the CLI after the version
// Debian 12 ships (2.9), so the endpoint is also passed as --endpoint-url.
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';

let test: TestCloud;

async function aws(...args: string[]): Promise<unknown> {
  const { stdout } = await run(AWS, [...args, '--endpoint-url', test.cloud.endpoint, '--output', 'json'], { env: test.env, timeout: 60_000 });
  return JSON.parse(stdout);
}

async function awsError(...args: string[]): Promise<string> {
  try {
    await run(AWS, [...args, '--endpoint-url', test.cloud.endpoint, '--output', 'json'], { env: test.env, timeout: 60_000 });
  } catch (error) {
    return (error as { stderr: string }).stderr;
  }
  throw new Error('the command succeeded');
}

let instanceId = '';
let targetGroupArn = '';
let zoneId = '';

beforeAll(async () => {
  test = await startTestCloud({ network: '127.74', elbTimeScale: 0.02 }, { hostFactory: recordingHosts().factory });
  const ec2 = new EC2Client(test.clientConfig);
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: DEFAULT_IMAGE_ID,
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      KeyName: 'localcloud',
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web1' }] }],
    }),
  );
  instanceId = run.Instances?.[0]?.InstanceId ?? '';
  const elb = new ElasticLoadBalancingV2Client(test.clientConfig);
  targetGroupArn =
    (await elb.send(new CreateTargetGroupCommand({ Name: 'web', Protocol: 'HTTP', Port: 8080, VpcId: subnets[0]?.VpcId }))).TargetGroups?.[0]
      ?.TargetGroupArn ?? '';
  const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: subnets.map((s) => s.SubnetId ?? '') }));
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }),
  );
  const route53 = new Route53Client(test.clientConfig);
  const zone = await route53.send(
    new CreateHostedZoneCommand({ Name: 'bdash.inside', CallerReference: 'cli', VPC: { VPCId: subnets[0]?.VpcId, VPCRegion: 'us-east-1' } }),
  );
  zoneId = zone.HostedZone?.Id ?? '';
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'web1.bdash.inside', Type: 'A', TTL: 60, ResourceRecords: [{ Value: run.Instances?.[0]?.PrivateIpAddress }] } }] },
    }),
  );
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: instanceId }] }));
  for (const client of [ec2, elb, route53]) client.destroy();
});
afterAll(async () => {
  await test?.close();
});

describe('the AWS CLI', () => {
  it('ec2 describe-instances, with a tag filter', async () => {
    const result = (await aws('ec2', 'describe-instances', '--filters', 'Name=tag:Name,Values=web1')) as {
      Reservations: { Instances: { InstanceId: string; PrivateIpAddress: string; State: { Name: string }; Tags: unknown[]; LaunchTime: string }[] }[];
    };
    const instance = result.Reservations[0]?.Instances[0];
    expect(instance?.InstanceId).toBe(instanceId);
    expect(instance?.PrivateIpAddress).toMatch(/^127\.74\.1\.\d+$/);
    expect(['pending', 'running']).toContain(instance?.State.Name);
    expect(instance?.Tags).toEqual([{ Key: 'Name', Value: 'web1' }]);
    expect(instance?.LaunchTime).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('ec2 errors carry the EC2 code', async () => {
    expect(await awsError('ec2', 'describe-instances', '--instance-ids', 'i-0123456789abcdef0')).toContain('InvalidInstanceID.NotFound');
  });

  it('elbv2 describe-target-health', async () => {
    const result = (await aws('elbv2', 'describe-target-health', '--target-group-arn', targetGroupArn)) as {
      TargetHealthDescriptions: { Target: { Id: string; Port: number }; TargetHealth: { State: string } }[];
    };
    expect(result.TargetHealthDescriptions[0]?.Target).toEqual({ Id: instanceId, Port: 8080 });
    expect(['initial', 'unhealthy', 'unused']).toContain(result.TargetHealthDescriptions[0]?.TargetHealth.State);
    expect(await awsError('elbv2', 'describe-target-health', '--target-group-arn', `${targetGroupArn}0`)).toContain('TargetGroupNotFound');
  });

  it('route53 list-resource-record-sets', async () => {
    const result = (await aws('route53', 'list-resource-record-sets', '--hosted-zone-id', zoneId)) as {
      ResourceRecordSets: { Name: string; Type: string; TTL: number; ResourceRecords: { Value: string }[] }[];
    };
    expect(result.ResourceRecordSets.map((r) => `${r.Name} ${r.Type}`)).toEqual(['bdash.inside. NS', 'bdash.inside. SOA', 'web1.bdash.inside. A']);
    expect(result.ResourceRecordSets[2]?.ResourceRecords[0]?.Value).toMatch(/^127\.74\.1\.\d+$/);
    expect(await awsError('route53', 'list-resource-record-sets', '--hosted-zone-id', 'Z0000000000000000000')).toContain('NoSuchHostedZone');
  });
});
