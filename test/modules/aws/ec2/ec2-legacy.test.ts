import { DescribeInstancesCommand, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LegacyEc2Args, ec2LegacyModule } from '../../../../src/modules/aws/ec2/ec2-legacy.js';
import { ModuleFailure } from '../../../../src/modules/module.js';
import { moduleContext } from '../context.js';
import { FakeEc2, GROUP, SUBNETS, VPC, awsError } from '../fake-ec2.js';

/** The article's task, as its variables render for web1. */
function articleArgs(overrides: Partial<LegacyEc2Args> = {}): LegacyEc2Args {
  return {
    key_name: 'deploy',
    group_id: [GROUP.GroupId],
    instance_type: 't2.micro',
    image: 'ami-0123456789abcdef0',
    vpc_subnet_id: SUBNETS[1],
    region: 'us-east-1',
    assign_public_ip: false,
    instance_profile_name: '',
    wait: true,
    wait_timeout: 300,
    user_data: '#cloud-config\nhostname: web1\n',
    exact_count: 1,
    count_tag: { Name: 'web1.example' },
    instance_tags: { Name: 'web1.example', Environment: 'stg', Service: 'shop' },
    volumes: [{ device_name: '/dev/xvda', device_type: 'gp2', volume_size: '8', delete_on_termination: true }],
    state: 'present',
    count: 1,
    ...overrides,
  };
}

async function run(args: LegacyEc2Args, options: Parameters<typeof moduleContext>[0] = {}) {
  return ec2LegacyModule.run(args, moduleContext(options));
}

async function failure(promise: Promise<unknown>): Promise<ModuleFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ModuleFailure);
    return error as ModuleFailure;
  }
  throw new Error('expected the module to fail');
}

let ec2: FakeEc2;
beforeEach(() => {
  ec2 = new FakeEc2();
  ec2.pendingLooks = 0;
});
afterEach(() => ec2.restore());

describe('ec2 (legacy) exact_count', () => {
  it('launches one instance with the arguments mapped to RunInstances', async () => {
    const result = await run(articleArgs());
    expect(result.changed).toBe(true);
    const [input] = ec2.inputsOf(RunInstancesCommand);
    expect(input).toMatchObject({
      ImageId: 'ami-0123456789abcdef0',
      InstanceType: 't2.micro',
      KeyName: 'deploy',
      MinCount: 1,
      MaxCount: 1,
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: SUBNETS[1], AssociatePublicIpAddress: false, Groups: [GROUP.GroupId] }],
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp2', DeleteOnTermination: true } }],
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            { Key: 'Name', Value: 'web1.example' },
            { Key: 'Environment', Value: 'stg' },
            { Key: 'Service', Value: 'shop' },
          ],
        },
      ],
    });
    // An empty instance_profile_name (`{{ ec2_iam_role | default }}`) asks for no profile.
    expect(input?.IamInstanceProfile).toBeUndefined();
    expect(input?.SubnetId).toBeUndefined();
    expect(Buffer.from(input?.UserData ?? '', 'base64').toString()).toBe('#cloud-config\nhostname: web1\n');

    const instances = result.instances as Record<string, unknown>[];
    expect(instances).toHaveLength(1);
    expect(instances[0]).toMatchObject({ state: 'running', private_ip: expect.stringMatching(/^10\.0\.1\./), tags: { Name: 'web1.example' }, image_id: 'ami-0123456789abcdef0' });
    expect(result.instance_ids).toEqual([instances[0]?.id]);
    expect(result.tagged_instances).toEqual(instances);
  });

  it('searches by count_tag within the subnet and its VPC, live instances only', async () => {
    await run(articleArgs());
    const [first] = ec2.inputsOf(DescribeInstancesCommand);
    expect(first?.Filters).toEqual([
      { Name: 'tag:Name', Values: ['web1.example'] },
      { Name: 'subnet-id', Values: [SUBNETS[1]] },
      { Name: 'vpc-id', Values: [VPC] },
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ]);
  });

  it('changes nothing on the second run, and returns the instance as tagged_instances only', async () => {
    await run(articleArgs());
    ec2.mock.resetHistory();
    const second = await run(articleArgs());
    expect(second.changed).toBe(false);
    expect(second.instances).toEqual([]);
    expect(second.instance_ids).toEqual([]);
    expect(second.tagged_instances).toHaveLength(1);
    expect(ec2.mutations()).toEqual([]);
  });

  it('terminates the oldest instances first when there are too many, and says which', async () => {
    // Ids in the opposite order of launch times: Ansible took the lowest ids.
    const newest = ec2.add({ Name: 'web1.example' }, new Date('2024-03-01T00:00:00Z'));
    const oldest = ec2.add({ Name: 'web1.example' }, new Date('2024-01-01T00:00:00Z'));
    const middle = ec2.add({ Name: 'web1.example' }, new Date('2024-02-01T00:00:00Z'));
    const result = await run(articleArgs({ vpc_subnet_id: SUBNETS[0] }));
    expect(ec2.inputsOf(TerminateInstancesCommand).flatMap((i) => i.InstanceIds)).toEqual([oldest, middle]);
    expect(result.changed).toBe(true);
    expect(result.instance_ids).toEqual([oldest, middle].sort());
    expect((result.instances as { state: string }[]).every((i) => i.state === 'terminated')).toBe(true);
    expect((result.tagged_instances as { id: string }[]).map((i) => i.id)).toEqual([newest]);
    expect(result.msg).toContain(`${oldest} (launched 2024-01-01T00:00:00.000Z)`);
    expect(result.msg).toContain('oldest launch_time first');
  });

  it('counts tags given as a key, a dict with an empty value, or a list of both', async () => {
    ec2.add({ Name: 'web1.example', Role: 'web' }, new Date());
    for (const countTag of ['Role', { Role: null }, ['Role', { Name: 'web1.example' }]]) {
      const result = await run(articleArgs({ count_tag: countTag, vpc_subnet_id: SUBNETS[0] }));
      expect(result.changed, JSON.stringify(countTag)).toBe(false);
      expect(result.tagged_instances, JSON.stringify(countTag)).toHaveLength(1);
    }
    const filters = ec2.inputsOf(DescribeInstancesCommand).map((i) => i.Filters?.filter((f) => f.Name?.startsWith('tag')));
    expect(filters).toEqual([
      [{ Name: 'tag:Role', Values: ['*'] }],
      [{ Name: 'tag:Role', Values: ['*'] }],
      [
        { Name: 'tag:Role', Values: ['*'] },
        { Name: 'tag:Name', Values: ['web1.example'] },
      ],
    ]);
  });

  it('refuses exact_count without count_tag, or with an empty one, before any call', async () => {
    for (const countTag of [undefined, null]) {
      const error = await failure(run(articleArgs({ count_tag: countTag })));
      expect(error.message).toBe("you must use the 'count_tag' option with exact_count");
    }
    for (const countTag of ['', {}, [], ' ', { '': 'x' }]) {
      const error = await failure(run(articleArgs({ count_tag: countTag, exact_count: 0 })));
      expect(error.message).toMatch(/^count_tag must name at least one tag/);
    }
    expect(ec2.mock.calls()).toHaveLength(0);
  });

  it('warns when the launched instances would not carry the count_tag', async () => {
    const result = await run(articleArgs({ count_tag: { Role: 'web' } }));
    expect(result.warnings).toEqual([expect.stringContaining('Role=web')]);
  });
});

describe('ec2 (legacy) check mode', () => {
  it('reports the launch and launches nothing', async () => {
    const result = await run(articleArgs(), { checkMode: true, diffMode: true });
    expect(result.changed).toBe(true);
    expect(result.msg).toBe('Would have launched 1 instance(s) if not in check mode');
    expect(result.instances).toEqual([]);
    expect(ec2.mutations()).toEqual([]);
    expect(result.diff).toEqual({
      before: { instances: {} },
      after: { instances: { '(new instance 1 of 1)': `launch t2.micro from ami-0123456789abcdef0 in ${SUBNETS[1]}` } },
    });
  });

  it('reports the terminations and terminates nothing', async () => {
    const old = ec2.add({ Name: 'web1.example' }, new Date('2024-01-01T00:00:00Z'));
    ec2.add({ Name: 'web1.example' }, new Date('2024-02-01T00:00:00Z'));
    const result = await run(articleArgs({ vpc_subnet_id: SUBNETS[0] }), { checkMode: true });
    expect(result.changed).toBe(true);
    expect(result.msg).toMatch(new RegExp(`^Would have terminated ${old} \\(launched`));
    expect(ec2.mutations()).toEqual([]);
  });

  it('still validates what it would send', async () => {
    const error = await failure(run(articleArgs({ volumes: [{ device_name: '/dev/sdb' }] }), { checkMode: true }));
    expect(error.message).toBe('Size must be specified when creating a new volume or modifying the root volume');
  });
});

describe('ec2 (legacy) count, wait and attributes', () => {
  it('waits for running when wait is set', async () => {
    ec2.pendingLooks = 2;
    const result = await run(articleArgs({ exact_count: null, count_tag: null, count: 2 }));
    expect((result.instances as { state: string }[]).map((i) => i.state)).toEqual(['running', 'running']);
    expect(ec2.inputsOf(RunInstancesCommand)[0]).toMatchObject({ MinCount: 2, MaxCount: 2 });
  });

  it('returns pending instances right away without wait', async () => {
    ec2.pendingLooks = 5;
    const result = await run(articleArgs({ wait: false }));
    expect((result.instances as { state: string }[])[0]?.state).toBe('pending');
  });

  it('sets termination protection at launch and refuses to lose it silently', async () => {
    await run(articleArgs({ termination_protection: true }));
    expect(ec2.inputsOf(RunInstancesCommand)[0]?.DisableApiTermination).toBe(true);
    const id = [...ec2.instances.keys()][0] as string;
    const error = await failure(run({ state: 'absent', instance_ids: [id], region: 'us-east-1' }));
    expect(error.message).toBe(
      `Unable to terminate instance ${id}: An error occurred (OperationNotPermitted) when calling the TerminateInstances operation: The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
    );
    expect(error.extra).toMatchObject({ error: { code: 'OperationNotPermitted' }, response_metadata: { http_status_code: 400, request_id: 'req-1' } });
  });

  it('maps security group names, zones and plain subnets', async () => {
    await run(articleArgs({ group_id: null, group: ['web'], assign_public_ip: null, zone: 'us-east-1b', private_ip: '10.0.2.10' }));
    expect(ec2.inputsOf(RunInstancesCommand)[0]).toMatchObject({
      SubnetId: SUBNETS[1],
      SecurityGroupIds: [GROUP.GroupId],
      Placement: { AvailabilityZone: 'us-east-1b' },
      PrivateIpAddress: '10.0.2.10',
    });
    const error = await failure(run(articleArgs({ group_id: null, group: ['nope'], count_tag: { Name: 'web2.example' } })));
    expect(error.message).toBe('The following group names are not valid: nope');
  });
});

describe('ec2 (legacy) other states', () => {
  it('terminates by id, then reports no change', async () => {
    const id = ec2.add({ Name: 'x' }, new Date());
    const first = await run({ state: 'absent', instance_ids: [id], wait: true, region: 'us-east-1' });
    expect(first).toMatchObject({ changed: true, instance_ids: [id] });
    expect((first.instances as { state: string }[])[0]?.state).toBe('terminated');
    const second = await run({ state: 'absent', instance_ids: [id], region: 'us-east-1' });
    expect(second.changed).toBe(false);
    const error = await failure(run({ state: 'absent', region: 'us-east-1' }));
    expect(error.message).toBe('instance_ids list is required for absent state');
  });

  it('stops and starts by tags, idempotently, and plans in check mode', async () => {
    const id = ec2.add({ Role: 'worker' }, new Date());
    const planned = await run({ state: 'stopped', instance_tags: { Role: 'worker' }, region: 'us-east-1' }, { checkMode: true });
    expect(planned).toMatchObject({ changed: true, msg: `Would have stopped ${id} if not in check mode` });
    expect(ec2.mutations()).toEqual([]);
    const stopped = await run({ state: 'stopped', instance_tags: { Role: 'worker' }, wait: true, region: 'us-east-1' });
    expect(stopped).toMatchObject({ changed: true, instance_ids: [id] });
    expect((stopped.instances as { state: string }[])[0]?.state).toBe('stopped');
    expect((await run({ state: 'stopped', instance_tags: { Role: 'worker' }, region: 'us-east-1' })).changed).toBe(false);
    expect((await run({ state: 'running', instance_ids: [id], region: 'us-east-1' })).changed).toBe(true);
    const error = await failure(run({ state: 'running', region: 'us-east-1' }));
    expect(error.message).toBe('running list needs to be a list of instances or set of tags to run: None');
  });

  it('turns termination protection on for existing instances', async () => {
    const id = ec2.add({ Role: 'db' }, new Date());
    const result = await run({ state: 'running', instance_ids: [id], termination_protection: true, region: 'us-east-1' });
    expect(result.changed).toBe(true);
    expect(ec2.instances.get(id)?.disableApiTermination).toBe(true);
    expect((await run({ state: 'running', instance_ids: [id], termination_protection: true, region: 'us-east-1' })).changed).toBe(false);
  });
});

describe('ec2 (legacy) errors', () => {
  it('words AWS errors as Ansible does, without a stack trace', async () => {
    ec2.mock.on(RunInstancesCommand).rejects(awsError('InvalidAMIID.NotFound', "The image id '[ami-0123456789abcdef0]' does not exist"));
    const error = await failure(run(articleArgs()));
    expect(error.message).toBe(
      "Instance creation failed: An error occurred (InvalidAMIID.NotFound) when calling the RunInstances operation: The image id '[ami-0123456789abcdef0]' does not exist",
    );
    expect(error.extra).toMatchObject({ error: { code: 'InvalidAMIID.NotFound' } });
    expect(JSON.stringify(error.extra)).not.toMatch(/\n\s+at /);
  });

  it('requires an image, and a region', async () => {
    expect((await failure(run(articleArgs({ image: null })))).message).toBe('image parameter is required for new instance');
    // The SDK also looks in the controller's environment and shared config: hide both.
    const saved = { ...process.env };
    for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[name];
    process.env.AWS_CONFIG_FILE = '/nonexistent';
    try {
      const noRegion = await failure(ec2LegacyModule.run(articleArgs({ region: null }), moduleContext({ environment: { AWS_REGION: '', AWS_DEFAULT_REGION: '' } })));
      expect(noRegion.message).toBe('The ec2 module requires a region and none was found in configuration, environment variables or module parameters');
    } finally {
      process.env = saved;
    }
  });
});
