import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ec2InstanceInfoModule } from '../../../../src/modules/aws/ec2/ec2-instance-info.js';
import { ModuleFailure } from '../../../../src/modules/module.js';
import { moduleContext } from '../context.js';
import { FakeEc2, GROUP, SUBNETS, VPC, awsError } from '../fake-ec2.js';

let ec2: FakeEc2;
beforeEach(() => {
  ec2 = new FakeEc2();
});
afterEach(() => ec2.restore());

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

describe('ec2_instance_info', () => {
  it('asks by ids, and returns instances in snake_case with tags as a dict', async () => {
    const web = ec2.add({ Name: 'web-1', Env: 'stg' }, new Date('2024-05-01T10:00:00.000Z'));
    ec2.add({ Name: 'db-1' }, hoursAgo(1));
    const result = await ec2InstanceInfoModule.run({ instance_ids: [web], filters: {} }, moduleContext());
    expect(ec2.inputsOf(DescribeInstancesCommand)).toEqual([{ InstanceIds: [web] }]);
    expect(result.changed).toBe(false);
    const instances = result.instances as Record<string, unknown>[];
    expect(instances).toHaveLength(1);
    expect(instances[0]).toMatchObject({
      instance_id: web,
      image_id: 'ami-0123456789abcdef0',
      instance_type: 't2.micro',
      private_ip_address: expect.stringMatching(/^10\.0\.1\.\d+$/),
      private_dns_name: expect.stringMatching(/\.ec2\.internal$/),
      subnet_id: SUBNETS[0],
      vpc_id: VPC,
      state: { code: 16, name: 'running' },
      placement: { availability_zone: 'us-east-1a', tenancy: 'default', group_name: '' },
      security_groups: [{ group_id: GROUP.GroupId, group_name: GROUP.GroupName }],
      launch_time: '2024-05-01T10:00:00+00:00',
      source_dest_check: true,
      tags: { Name: 'web-1', Env: 'stg' },
    });
    // Tag keys keep their case: only AWS's own keys are snake_cased.
    expect(Object.keys(instances[0] ?? {})).not.toContain('Tags');
  });

  it('turns the filters dict into AWS filters (lists, numbers and booleans as text)', async () => {
    ec2.add({ Name: 'web-1', Env: 'stg' }, hoursAgo(1));
    ec2.add({ Name: 'web-2', Env: 'prd' }, hoursAgo(1));
    ec2.add({ Name: 'web-3', Env: 'stg' }, hoursAgo(1), { State: { Code: 80, Name: 'stopped' } });
    const result = await ec2InstanceInfoModule.run({ filters: { 'tag:Env': 'stg', 'instance-state-name': ['running', 'pending'] } }, moduleContext());
    expect(ec2.inputsOf(DescribeInstancesCommand)).toEqual([
      { Filters: [{ Name: 'tag:Env', Values: ['stg'] }, { Name: 'instance-state-name', Values: ['running', 'pending'] }] },
    ]);
    expect((result.instances as { tags: { Name: string } }[]).map((i) => i.tags.Name)).toEqual(['web-1']);

    ec2.mock.resetHistory();
    await ec2InstanceInfoModule.run({ filters: { 'tag:Build': 42, 'tag:Canary': true } }, moduleContext());
    expect(ec2.inputsOf(DescribeInstancesCommand)[0]?.Filters).toEqual([
      { Name: 'tag:Build', Values: ['42'] },
      { Name: 'tag:Canary', Values: ['true'] },
    ]);
  });

  it('keeps only instances launched at least minimum_uptime minutes ago', async () => {
    const old = ec2.add({ Name: 'old' }, hoursAgo(2));
    ec2.add({ Name: 'new' }, new Date(Date.now() - 5 * 60_000));
    const result = await ec2InstanceInfoModule.run({ filters: {}, minimum_uptime: 60 }, moduleContext());
    expect((result.instances as { instance_id: string }[]).map((i) => i.instance_id)).toEqual([old]);
    const all = await ec2InstanceInfoModule.run({ filters: {}, minimum_uptime: 1 }, moduleContext());
    expect((all.instances as unknown[]).length).toBe(2);
  });

  it('follows NextToken through every page', async () => {
    ec2.mock
      .on(DescribeInstancesCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken === 'page-2'
          ? { Reservations: [{ Instances: [{ InstanceId: 'i-2', Tags: [] }] }] }
          : { Reservations: [{ Instances: [{ InstanceId: 'i-1', Tags: [] }] }], NextToken: 'page-2' },
      );
    const result = await ec2InstanceInfoModule.run({ filters: {} }, moduleContext());
    expect((result.instances as { instance_id: string }[]).map((i) => i.instance_id)).toEqual(['i-1', 'i-2']);
    expect(ec2.inputsOf(DescribeInstancesCommand)).toEqual([{}, { NextToken: 'page-2' }]);
  });

  it('changes nothing, also in check mode, and returns an empty list when nothing matches', async () => {
    ec2.add({ Name: 'web-1' }, hoursAgo(1));
    const result = await ec2InstanceInfoModule.run({ filters: { 'tag:Name': 'nope' } }, moduleContext({ checkMode: true }));
    expect(result).toEqual({ changed: false, instances: [] });
    expect(ec2.mutations()).toEqual([]);
  });

  it('fails with what it was doing and AWS words', async () => {
    const missing = await ec2InstanceInfoModule.run({ instance_ids: ['i-0000000000000dead'], filters: {} }, moduleContext()).catch((e: Error) => e);
    expect(missing).toBeInstanceOf(ModuleFailure);
    expect((missing as Error).message).toBe(
      "Failed to list ec2 instances: An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0000000000000dead' does not exist",
    );
    expect((missing as ModuleFailure).extra).toMatchObject({ error: { code: 'InvalidInstanceID.NotFound' }, response_metadata: { http_status_code: 400 } });

    ec2.mock.on(DescribeInstancesCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const denied = await ec2InstanceInfoModule.run({ filters: {} }, moduleContext()).catch((e: Error) => e);
    expect((denied as Error).message).toBe('Failed to list ec2 instances: An error occurred (UnauthorizedOperation) when calling the DescribeInstances operation: You are not authorized to perform this operation.');
  });
});
