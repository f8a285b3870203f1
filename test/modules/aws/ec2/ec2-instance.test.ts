import { CreateTagsCommand, DeleteTagsCommand, DescribeInstancesCommand, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ec2InstanceInfoModule } from '../../../../src/modules/aws/ec2/ec2-instance-info.js';
import { type Ec2InstanceArgs, ec2InstanceModule } from '../../../../src/modules/aws/ec2/ec2-instance.js';
import { moduleContext } from '../context.js';
import { FakeEc2, GROUP, SUBNETS, awsError } from '../fake-ec2.js';

let ec2: FakeEc2;
beforeEach(() => {
  ec2 = new FakeEc2();
  ec2.pendingLooks = 0;
});
afterEach(() => ec2.restore());

const args = (overrides: Partial<Ec2InstanceArgs> = {}): Ec2InstanceArgs => ({
  name: 'app1',
  image_id: 'ami-0123456789abcdef0',
  instance_type: 't3.micro',
  vpc_subnet_id: SUBNETS[0],
  security_group: 'web',
  key_name: 'deploy',
  network: { assign_public_ip: false },
  volumes: [{ device_name: '/dev/xvda', ebs: { volume_size: '16', volume_type: 'gp3', delete_on_termination: true } }],
  tags: { Service: 'shop' },
  termination_protection: true,
  wait: true,
  wait_timeout: 60,
  state: 'running',
  ...overrides,
});

describe('ec2_instance', () => {
  it('launches with the spec Ansible builds and returns snake_case instances', async () => {
    const result = await ec2InstanceModule.run(args(), moduleContext());
    const [spec] = ec2.inputsOf(RunInstancesCommand);
    expect(spec).toMatchObject({
      ImageId: 'ami-0123456789abcdef0',
      InstanceType: 't3.micro',
      KeyName: 'deploy',
      MinCount: 1,
      MaxCount: 1,
      DisableApiTermination: true,
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: SUBNETS[0], AssociatePublicIpAddress: false, Groups: [GROUP.GroupId] }],
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 16, VolumeType: 'gp3', Iops: 3000, Throughput: 125, DeleteOnTermination: true } }],
      TagSpecifications: [
        { ResourceType: 'volume', Tags: [{ Key: 'Service', Value: 'shop' }, { Key: 'Name', Value: 'app1' }] },
        { ResourceType: 'instance', Tags: [{ Key: 'Service', Value: 'shop' }, { Key: 'Name', Value: 'app1' }] },
      ],
    });
    expect(spec?.ClientToken).toMatch(/^[0-9a-f]{32}$/);
    expect(result).toMatchObject({ changed: true, spec: { ImageId: 'ami-0123456789abcdef0' } });
    const [instance] = result.instances as Record<string, unknown>[];
    expect(instance).toMatchObject({ instance_id: result.instance_ids && (result.instance_ids as string[])[0], state: { name: 'running' }, tags: { Name: 'app1', Service: 'shop' } });
    expect(typeof instance?.launch_time).toBe('string');
  });

  it('finds the instance again by Name, subnet and image, and changes nothing', async () => {
    await ec2InstanceModule.run(args(), moduleContext());
    ec2.mock.resetHistory();
    const again = await ec2InstanceModule.run(args(), moduleContext());
    expect(again.changed).toBe(false);
    expect(ec2.mutations()).toEqual([]);
    expect(ec2.inputsOf(DescribeInstancesCommand)[0]?.Filters).toEqual([
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      { Name: 'subnet-id', Values: [SUBNETS[0]] },
      { Name: 'tag:Name', Values: ['app1'] },
      { Name: 'image-id', Values: ['ami-0123456789abcdef0'] },
    ]);
  });

  it('updates tags of an existing instance, purging others by default', async () => {
    const id = ec2.add({ Name: 'app1', Old: 'x' }, new Date(), { ImageId: 'ami-0123456789abcdef0' });
    const result = await ec2InstanceModule.run(args({ termination_protection: null, security_group: null }), moduleContext());
    expect(result.changed).toBe(true);
    expect(ec2.inputsOf(DeleteTagsCommand)[0]).toEqual({ Resources: [id], Tags: [{ Key: 'Old' }] });
    expect(ec2.inputsOf(CreateTagsCommand)[0]).toEqual({ Resources: [id], Tags: [{ Key: 'Service', Value: 'shop' }] });
  });

  it('keeps exact_count, terminating the oldest first, and plans it in check mode', async () => {
    const old = ec2.add({ Name: 'app1' }, new Date('2024-01-01T00:00:00Z'), { ImageId: 'ami-0123456789abcdef0' });
    const recent = ec2.add({ Name: 'app1' }, new Date('2024-06-01T00:00:00Z'), { ImageId: 'ami-0123456789abcdef0' });
    const planned = await ec2InstanceModule.run(args({ exact_count: 1 }), moduleContext({ checkMode: true }));
    expect(planned).toMatchObject({ changed: true, terminated_ids: [old], msg: `Would have terminated following instances if not in check mode ["${old}"]` });
    expect(ec2.mutations()).toEqual([]);
    const done = await ec2InstanceModule.run(args({ exact_count: 1 }), moduleContext());
    expect(done).toMatchObject({ changed: true, msg: 'Successfully terminated instances.', terminated_ids: [old], instance_ids: [old, recent] });
    expect(ec2.inputsOf(TerminateInstancesCommand)[0]?.InstanceIds).toEqual([old]);
    expect(await ec2InstanceModule.run(args({ exact_count: 1 }), moduleContext())).toMatchObject({ changed: false, msg: '1 instances already running, nothing to do.' });
  });

  it('stops, starts and terminates by id', async () => {
    const id = ec2.add({ Name: 'db' }, new Date());
    expect(await ec2InstanceModule.run({ instance_ids: [id], state: 'stopped', wait: true }, moduleContext())).toMatchObject({ changed: true, msg: 'Instances stopped', stop_success: [id] });
    expect((await ec2InstanceModule.run({ instance_ids: [id], state: 'stopped' }, moduleContext())).changed).toBe(false);
    expect(await ec2InstanceModule.run({ instance_ids: [id], state: 'started' }, moduleContext())).toMatchObject({ changed: true, msg: 'Instances started', start_success: [id] });
    const planned = await ec2InstanceModule.run({ instance_ids: [id], state: 'absent' }, moduleContext({ checkMode: true }));
    expect(planned).toMatchObject({ changed: true, msg: `Would have terminated ${id} if not in check mode` });
    expect(await ec2InstanceModule.run({ instance_ids: [id], state: 'absent' }, moduleContext())).toMatchObject({ changed: true, msg: 'Instances terminated', terminate_success: [id] });
    expect(await ec2InstanceModule.run({ instance_ids: [id], state: 'absent' }, moduleContext())).toEqual({ changed: false, msg: 'No matching instances found' });
  });

  it('says what failed when AWS refuses', async () => {
    ec2.mock.on(RunInstancesCommand).rejects(awsError('InsufficientInstanceCapacity', 'We currently do not have sufficient t3.micro capacity.'));
    const error = await ec2InstanceModule.run(args(), moduleContext()).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'Failed to create new EC2 instance: An error occurred (InsufficientInstanceCapacity) when calling the RunInstances operation: We currently do not have sufficient t3.micro capacity.',
    );
    const noImage = await ec2InstanceModule.run(args({ image_id: null, name: 'other' }), moduleContext()).catch((e: Error) => e);
    expect((noImage as Error).message).toBe('You must include an image_id or image.id parameter to create an instance, or use a launch_template.');
  });
});

describe('ec2_instance_info', () => {
  it('lists instances by filters and uptime', async () => {
    const old = ec2.add({ Name: 'a' }, new Date(Date.now() - 3600_000));
    ec2.add({ Name: 'b' }, new Date());
    const all = await ec2InstanceInfoModule.run({ filters: { 'instance-state-name': 'running' } }, moduleContext());
    expect((all.instances as unknown[]).length).toBe(2);
    const aged = await ec2InstanceInfoModule.run({ filters: {}, minimum_uptime: 30 }, moduleContext());
    expect(aged.instances).toMatchObject([{ instance_id: old, tags: { Name: 'a' } }]);
  });
});
