import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  waitUntilInstanceRunning,
  waitUntilInstanceStatusOk,
  waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_ID } from '../ec2/images.js';
import { DEFAULT_SECURITY_GROUP_ID, DEFAULT_SUBNET_IDS, DEFAULT_VPC_ID } from '../ec2/network.js';
import { type TestCloud, eventually, recordingHosts, startTestCloud } from './helpers.js';

let test: TestCloud;
let ec2: EC2Client;
const { factory, hosts } = recordingHosts();

beforeAll(async () => {
  test = await startTestCloud({ network: '127.71' }, { hostFactory: factory });
  ec2 = new EC2Client(test.clientConfig);
});
afterAll(async () => {
  ec2?.destroy();
  await test?.close();
});

async function subnets() {
  const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand({}));
  return Subnets;
}

async function launch(extra: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]> = {}) {
  const result = await ec2.send(
    new RunInstancesCommand({ ImageId: DEFAULT_IMAGE_ID, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'localcloud', ...extra }),
  );
  return result.Instances ?? [];
}

describe('default network', () => {
  it('has a default VPC with two subnets in two zones, a default security group, an image and the key pair', async () => {
    const { Vpcs = [] } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    expect(Vpcs).toHaveLength(1);
    expect(Vpcs[0]?.CidrBlock).toBe('127.71.0.0/16');
    // Fixed ids, so that an inventory can name them.
    expect(Vpcs[0]?.VpcId).toBe(DEFAULT_VPC_ID);
    const all = await subnets();
    expect(all.map((s) => s.SubnetId)).toEqual([...DEFAULT_SUBNET_IDS]);
    expect(all.map((s) => s.CidrBlock).sort()).toEqual(['127.71.1.0/24', '127.71.2.0/24']);
    expect(new Set(all.map((s) => s.AvailabilityZone))).toEqual(new Set(['us-east-1a', 'us-east-1b']));
    const { SecurityGroups = [] } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }));
    expect(SecurityGroups[0]?.VpcId).toBe(Vpcs[0]?.VpcId);
    expect(SecurityGroups[0]?.GroupId).toBe(DEFAULT_SECURITY_GROUP_ID);
    const { Images = [] } = await ec2.send(new DescribeImagesCommand({ ImageIds: [DEFAULT_IMAGE_ID] }));
    expect(Images[0]?.RootDeviceName).toBe('/dev/xvda');
    const { KeyPairs = [] } = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['localcloud'] }));
    expect(KeyPairs[0]?.KeyFingerprint).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
  });

  it('reports unknown ids with the codes AWS uses', async () => {
    await expect(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-00000000000000000'] }))).rejects.toMatchObject({
      name: 'InvalidSubnetID.NotFound',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-12345678'] }))).rejects.toMatchObject({ name: 'InvalidAMIID.NotFound' });
    await expect(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }))).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-0123456789abcdef0' does not exist",
    });
    await expect(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['web1'] }))).rejects.toMatchObject({ name: 'InvalidInstanceID.Malformed' });
    await expect(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['blue'] }] }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });
});

describe('instances', () => {
  it('launches with tags, subnet, private IP, volumes and placement, and goes pending -> running', async () => {
    const [subnetB] = (await subnets()).filter((s) => s.AvailabilityZone === 'us-east-1b');
    const [instance] = await launch({
      SubnetId: subnetB?.SubnetId,
      Placement: { AvailabilityZone: 'us-east-1b' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web1' }, { Key: 'Service', Value: 'shop' }] }],
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp2', DeleteOnTermination: true } }],
      UserData: Buffer.from('#cloud-config\nhostname: web1\n').toString('base64'),
    });
    expect(instance?.State).toEqual({ Code: 0, Name: 'pending' });
    expect(instance?.PrivateIpAddress).toMatch(/^127\.71\.2\.\d+$/);
    expect(instance?.Placement?.AvailabilityZone).toBe('us-east-1b');
    expect(instance?.Tags).toEqual(expect.arrayContaining([{ Key: 'Name', Value: 'web1' }]));
    expect(instance?.BlockDeviceMappings?.[0]?.DeviceName).toBe('/dev/xvda');
    expect(instance?.LaunchTime).toBeInstanceOf(Date);
    const id = instance?.InstanceId as string;
    await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 20, minDelay: 1 }, { InstanceIds: [id] });
    await waitUntilInstanceStatusOk({ client: ec2, maxWaitTime: 20, minDelay: 1 }, { InstanceIds: [id] });
    expect(hosts.get(id)?.events).toContain('start');
    expect(hosts.get(id)?.spec.addresses).toEqual([instance?.PrivateIpAddress]);
    expect(hosts.get(id)?.spec.userData).toContain('hostname: web1');
    expect(hosts.get(id)?.spec.authorizedKeys[0]).toMatch(/^ssh-rsa /);
  });

  it('launches through a network interface spec with a public IP (what assign_public_ip sends)', async () => {
    const [instance] = await launch({
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: DEFAULT_SUBNET_IDS[1], Groups: [DEFAULT_SECURITY_GROUP_ID], AssociatePublicIpAddress: true }],
    });
    expect(instance?.SubnetId).toBe(DEFAULT_SUBNET_IDS[1]);
    expect(instance?.PublicIpAddress).toMatch(/^127\.71\.100\.\d+$/);
    expect(instance?.PublicDnsName).toBe(`ec2-${instance?.PublicIpAddress?.replace(/\./g, '-')}.compute-1.amazonaws.com`);
    expect(instance?.SecurityGroups).toEqual([{ GroupId: DEFAULT_SECURITY_GROUP_ID, GroupName: 'default' }]);
    expect(hosts.get(instance?.InstanceId ?? '')?.spec.addresses).toEqual([instance?.PrivateIpAddress, instance?.PublicIpAddress]);
    await expect(launch({ SubnetId: DEFAULT_SUBNET_IDS[0], NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: DEFAULT_SUBNET_IDS[1] }] })).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
    });
  });

  it('filters by tag:Name, tag-key, instance-state-name and instance-id', async () => {
    const [a] = await launch({ TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'filter-a' }] }] });
    const [b] = await launch({ TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'filter-b' }, { Key: 'Role', Value: 'x' }] }] });
    const ids = (result: { Reservations?: { Instances?: { InstanceId?: string }[] }[] }) =>
      (result.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
    expect(ids(await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['filter-a'] }] })))).toEqual([a?.InstanceId]);
    expect(ids(await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['filter-*'] }] }))).sort()).toEqual(
      [a?.InstanceId, b?.InstanceId].sort(),
    );
    expect(ids(await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['Role'] }] })))).toEqual([b?.InstanceId]);
    expect(
      ids(
        await ec2.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name: 'instance-id', Values: [a?.InstanceId ?? ''] },
              { Name: 'instance-state-name', Values: ['pending', 'running'] },
            ],
          }),
        ),
      ),
    ).toEqual([a?.InstanceId]);
  });

  it('is idempotent on ClientToken and refuses a changed request with the same token', async () => {
    const first = await launch({ ClientToken: 'token-1', MaxCount: 2, MinCount: 2 });
    const again = await launch({ ClientToken: 'token-1', MaxCount: 2, MinCount: 2 });
    expect(again.map((i) => i.InstanceId)).toEqual(first.map((i) => i.InstanceId));
    await expect(launch({ ClientToken: 'token-1', MaxCount: 3, MinCount: 3 })).rejects.toMatchObject({ name: 'IdempotentParameterMismatch' });
  });

  it('validates launches like EC2', async () => {
    await expect(launch({ ImageId: 'ami-0000000000000ffff' })).rejects.toMatchObject({ name: 'InvalidAMIID.NotFound' });
    await expect(launch({ KeyName: 'nope' })).rejects.toMatchObject({ name: 'InvalidKeyPair.NotFound' });
    await expect(launch({ SecurityGroupIds: ['sg-00000000000000000'] })).rejects.toMatchObject({ name: 'InvalidGroup.NotFound' });
    await expect(launch({ InstanceType: 'huge' as never })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(
      launch({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 2 } }] }),
    ).rejects.toMatchObject({ name: 'InvalidBlockDeviceMapping' });
    await expect(launch({ DryRun: true })).rejects.toMatchObject({ name: 'DryRunOperation', $metadata: { httpStatusCode: 412 } });
  });

  it('honours termination protection, stops, starts, reboots and terminates', async () => {
    const [instance] = await launch({ DisableApiTermination: true });
    const id = instance?.InstanceId as string;
    await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 20, minDelay: 1 }, { InstanceIds: [id] });
    const attribute = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiTermination' }));
    expect(attribute.DisableApiTermination?.Value).toBe(true);
    await expect(ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))).rejects.toMatchObject({ name: 'OperationNotPermitted' });

    const stopped = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stopped.StoppingInstances?.[0]).toMatchObject({ PreviousState: { Name: 'running' }, CurrentState: { Name: 'stopping' } });
    await eventually(async () => {
      const r = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      return r.Reservations?.[0]?.Instances?.[0]?.State?.Name === 'stopped';
    });
    await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 20, minDelay: 1 }, { InstanceIds: [id] });
    await ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    await eventually(() => (hosts.get(id)?.events.filter((e) => e === 'start').length ?? 0) >= 3, 5000, 'the reboot');

    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
    const terminated = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(terminated.TerminatingInstances?.[0]?.CurrentState?.Name).toBe('shutting-down');
    await waitUntilInstanceTerminated({ client: ec2, maxWaitTime: 20, minDelay: 1 }, { InstanceIds: [id] });
    expect(hosts.get(id)?.events).toContain('destroy');
    const after = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(after.Reservations?.[0]?.Instances?.[0]?.PrivateIpAddress).toBeUndefined();
  });

  it('creates and deletes tags', async () => {
    const [instance] = await launch();
    const id = instance?.InstanceId as string;
    await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'Env', Value: 'stg' }, { Key: 'Color', Value: 'blue' }] }));
    await ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'Color', Value: 'green' }, { Key: 'Env' }] }));
    const r = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(r.Reservations?.[0]?.Instances?.[0]?.Tags).toEqual([{ Key: 'Color', Value: 'blue' }]);
    await expect(ec2.send(new CreateTagsCommand({ Resources: ['i-0000000000000dead'], Tags: [{ Key: 'a', Value: 'b' }] }))).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
    });
  });

  it('paginates DescribeInstances with MaxResults and NextToken', async () => {
    const seen: string[] = [];
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, {})) {
      const ids = (page.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? '');
      expect(ids.length).toBeLessThanOrEqual(5);
      seen.push(...ids);
    }
    expect(seen.length).toBeGreaterThan(5);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
