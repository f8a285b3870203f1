// A small in-memory EC2 behind aws-sdk-client-mock, so that unit tests can run a module
// twice and see its idempotency: instances launched by RunInstances appear in
// DescribeInstances (filters included), go pending -> running after a few looks, and
// terminate. Every call is still visible through the mock for argument checks.
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
  type Filter,
  type Instance,
  ModifyInstanceAttributeCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { inputsOf, mutationsOf } from './mock-calls.js';

const mockEc2 = () => mockClient(EC2Client);

export const VPC = 'vpc-0a1b2c3d4e5f60001';
export const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
export const GROUP = { GroupId: 'sg-0a1b2c3d4e5f60001', GroupName: 'web' };

const MUTATING = [CreateTagsCommand, DeleteTagsCommand, RunInstancesCommand, TerminateInstancesCommand, StartInstancesCommand, StopInstancesCommand, RebootInstancesCommand, ModifyInstanceAttributeCommand];

export function awsError(code: string, message: string, status = 400): EC2ServiceException {
  return new EC2ServiceException({ name: code, $fault: 'client', $metadata: { httpStatusCode: status, requestId: 'req-1', attempts: 1 }, message });
}

function matchesPattern(pattern: string, value: string): boolean {
  const source = pattern.replace(/\\([*?\\])|([.+^${}()|[\]\\])|(\*)|(\?)/g, (_m, escaped, special, star, question) =>
    escaped ? `\\${escaped}` : special ? `\\${special}` : star ? '.*' : question ? '.' : '',
  );
  return new RegExp(`^${source}$`).test(value);
}

export class FakeEc2 {
  readonly mock: ReturnType<typeof mockEc2>;
  readonly instances = new Map<string, Instance & { looks: number; disableApiTermination: boolean }>();
  private serial = 0;
  /** How many DescribeInstances a pending instance needs before it runs. */
  pendingLooks = 1;

  constructor() {
    this.mock = mockEc2();
    const on = (command: unknown, handler: (input: never) => unknown) =>
      (this.mock.on as unknown as (c: unknown) => { callsFake(f: (input: never) => unknown): void })(command).callsFake(handler);
    on(DescribeSubnetsCommand, (input: { SubnetIds?: string[] }) => {
      const unknown = (input.SubnetIds ?? []).find((id) => !SUBNETS.includes(id));
      if (unknown) throw awsError('InvalidSubnetID.NotFound', `The subnet ID '${unknown}' does not exist`);
      return { Subnets: (input.SubnetIds ?? SUBNETS).map((SubnetId) => ({ SubnetId, VpcId: VPC })) };
    });
    on(DescribeSecurityGroupsCommand, (input: { GroupIds?: string[] }) => {
      const unknown = (input.GroupIds ?? []).find((id) => id !== GROUP.GroupId);
      if (unknown) throw awsError('InvalidGroup.NotFound', `The security group '${unknown}' does not exist`);
      return { SecurityGroups: [{ ...GROUP, VpcId: VPC }] };
    });
    on(DescribeVpcsCommand, () => ({ Vpcs: [{ VpcId: VPC, IsDefault: true }] }));
    on(RunInstancesCommand, (input: Record<string, never>) => this.run(input));
    on(CreateTagsCommand, (input: { Resources: string[]; Tags: { Key: string; Value: string }[] }) => {
      for (const id of input.Resources) {
        const instance = this.require(id);
        const kept = (instance.Tags ?? []).filter((t) => !input.Tags.some((n) => n.Key === t.Key));
        instance.Tags = [...kept, ...input.Tags];
      }
      return {};
    });
    on(DeleteTagsCommand, (input: { Resources: string[]; Tags: { Key: string }[] }) => {
      for (const id of input.Resources) {
        const instance = this.require(id);
        instance.Tags = (instance.Tags ?? []).filter((t) => !input.Tags.some((n) => n.Key === t.Key));
      }
      return {};
    });
    on(DescribeInstancesCommand, (input: { InstanceIds?: string[]; Filters?: Filter[] }) => this.describe(input));
    on(TerminateInstancesCommand, (input: { InstanceIds: string[] }) => ({
      TerminatingInstances: input.InstanceIds.map((id) => {
        const instance = this.require(id);
        if (instance.disableApiTermination) {
          throw awsError('OperationNotPermitted', `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`);
        }
        const previous = instance.State;
        instance.State = { Code: 48, Name: 'terminated' };
        return { InstanceId: id, PreviousState: previous, CurrentState: instance.State };
      }),
    }));
    on(StopInstancesCommand, (input: { InstanceIds: string[] }) => ({
      StoppingInstances: input.InstanceIds.map((id) => {
        this.require(id).State = { Code: 80, Name: 'stopped' };
        return { InstanceId: id };
      }),
    }));
    on(StartInstancesCommand, (input: { InstanceIds: string[] }) => ({
      StartingInstances: input.InstanceIds.map((id) => {
        this.require(id).State = { Code: 16, Name: 'running' };
        return { InstanceId: id };
      }),
    }));
    on(RebootInstancesCommand, () => ({}));
    on(DescribeInstanceAttributeCommand, (input: { InstanceId: string; Attribute: string }) => {
      const instance = this.require(input.InstanceId);
      return input.Attribute === 'disableApiTermination'
        ? { InstanceId: input.InstanceId, DisableApiTermination: { Value: instance.disableApiTermination } }
        : { InstanceId: input.InstanceId, SourceDestCheck: { Value: instance.SourceDestCheck ?? true } };
    });
    on(ModifyInstanceAttributeCommand, (input: { InstanceId: string; DisableApiTermination?: { Value: boolean }; SourceDestCheck?: { Value: boolean } }) => {
      const instance = this.require(input.InstanceId);
      if (input.DisableApiTermination) instance.disableApiTermination = input.DisableApiTermination.Value;
      if (input.SourceDestCheck) instance.SourceDestCheck = input.SourceDestCheck.Value;
      return {};
    });
  }

  restore(): void {
    this.mock.restore();
  }

  /** Puts an instance in place as if launched earlier. */
  add(tags: Record<string, string>, launchTime: Date, overrides: Partial<Instance> = {}): string {
    const id = `i-${(++this.serial).toString(16).padStart(17, '0')}`;
    this.instances.set(id, {
      InstanceId: id,
      ImageId: 'ami-0123456789abcdef0',
      InstanceType: 't2.micro',
      State: { Code: 16, Name: 'running' },
      LaunchTime: launchTime,
      PrivateIpAddress: `10.0.1.${this.serial}`,
      PrivateDnsName: `ip-10-0-1-${this.serial}.ec2.internal`,
      PublicDnsName: '',
      SubnetId: SUBNETS[0],
      VpcId: VPC,
      Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default', GroupName: '' },
      SecurityGroups: [GROUP],
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      SourceDestCheck: true,
      looks: 0,
      disableApiTermination: false,
      ...overrides,
    });
    return id;
  }

  private require(id: string) {
    const instance = this.instances.get(id);
    if (!instance) throw awsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
    return instance;
  }

  private run(input: Record<string, never>) {
    const count = input.MaxCount as number;
    const specs = (input.TagSpecifications as { ResourceType: string; Tags: { Key: string; Value: string }[] }[] | undefined) ?? [];
    const tags = (specs.find((s) => s.ResourceType === 'instance')?.Tags ?? []).reduce<Record<string, string>>(
      (all, t) => ({ ...all, [t.Key]: t.Value }),
      {},
    );
    const nic = (input.NetworkInterfaces as { SubnetId?: string }[] | undefined)?.[0];
    const subnet = (input.SubnetId as string | undefined) ?? nic?.SubnetId ?? SUBNETS[0];
    const created: Instance[] = [];
    for (let i = 0; i < count; i++) {
      const id = this.add(tags, new Date(), {
        State: { Code: 0, Name: 'pending' },
        ImageId: input.ImageId,
        InstanceType: (input.InstanceType as string | undefined) ?? 'm1.small',
        KeyName: input.KeyName,
        SubnetId: subnet,
        ClientToken: input.ClientToken,
        AmiLaunchIndex: i,
      } as Partial<Instance>);
      const instance = this.instances.get(id)!;
      instance.disableApiTermination = (input.DisableApiTermination as boolean | undefined) ?? false;
      created.push({ ...instance });
    }
    return { Instances: created };
  }

  private describe(input: { InstanceIds?: string[]; Filters?: Filter[] }) {
    const candidates = input.InstanceIds?.length ? input.InstanceIds.map((id) => this.require(id)) : [...this.instances.values()];
    const values = (instance: Instance, name: string): string[] => {
      const tags = instance.Tags ?? [];
      if (name.startsWith('tag:')) return tags.filter((t) => t.Key === name.slice(4)).map((t) => t.Value ?? '');
      if (name === 'tag-key') return tags.map((t) => t.Key ?? '');
      const simple: Record<string, unknown> = {
        'instance-state-name': instance.State?.Name,
        'subnet-id': instance.SubnetId,
        'vpc-id': instance.VpcId,
        'client-token': instance.ClientToken,
        'instance-id': instance.InstanceId,
        'availability-zone': instance.Placement?.AvailabilityZone,
        'image-id': instance.ImageId,
      };
      if (name === 'network-interface.network-interface-id') return [];
      if (!(name in simple)) throw awsError('InvalidParameterValue', `The filter '${name}' is invalid`);
      return simple[name] === undefined ? [] : [String(simple[name])];
    };
    const matching = candidates.filter((instance) =>
      (input.Filters ?? []).every((f) => (f.Values ?? []).some((pattern) => values(instance, f.Name ?? '').some((v) => matchesPattern(pattern, v)))),
    );
    for (const instance of matching) {
      if (instance.State?.Name === 'pending' && ++instance.looks > this.pendingLooks) instance.State = { Code: 16, Name: 'running' };
    }
    return { Reservations: matching.map((instance) => ({ Instances: [strip(instance)] })) };
  }

  /** The mutating calls the module made, as [command name, input]. */
  mutations(): [string, unknown][] {
    return mutationsOf(this.mock, MUTATING);
  }

  inputsOf<T>(command: abstract new (...args: never[]) => { input: T }): T[] {
    return inputsOf(this.mock, command);
  }
}

function strip(instance: Instance & { looks?: number; disableApiTermination?: boolean }): Instance {
  const { looks: _looks, disableApiTermination: _protection, ...rest } = instance;
  return { ...rest };
}
