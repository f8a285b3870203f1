// The EC2 Query API (version 2016-11-15) over the local EC2 resources.
import * as ec2Client from '@aws-sdk/client-ec2';
import type {
  AuthorizeSecurityGroupEgressRequest,
  AuthorizeSecurityGroupIngressRequest,
  CreateKeyPairRequest,
  CreateSecurityGroupRequest,
  CreateTagsRequest,
  DeleteKeyPairRequest,
  DeleteSecurityGroupRequest,
  DeleteTagsRequest,
  DescribeAvailabilityZonesRequest,
  DescribeImagesRequest,
  DescribeInstanceAttributeRequest,
  DescribeInstanceStatusRequest,
  DescribeInstancesRequest,
  DescribeKeyPairsRequest,
  DescribeSecurityGroupsRequest,
  DescribeSubnetsRequest,
  DescribeTagsRequest,
  DescribeVolumesRequest,
  DescribeVpcsRequest,
  ImportKeyPairRequest,
  InstanceAttribute,
  InstanceStateChange,
  InstanceStatus,
  ModifyInstanceAttributeRequest,
  RebootInstancesRequest,
  RevokeSecurityGroupIngressRequest,
  RunInstancesRequest,
  StartInstancesRequest,
  StopInstancesRequest,
  TagDescription,
  TerminateInstancesRequest,
} from '@aws-sdk/client-ec2';
import { CloudError } from '../protocol/cloud-error.js';
import { paginate } from '../protocol/pagination.js';
import { operationsOf } from '../protocol/schema.js';
import { type QueryService, errorStatusesOf } from '../protocol/service.js';
import type { Ec2 } from './ec2.js';
import { applyFilters } from './filters.js';
import { type InstanceRecord, STATE_CODES, dryRun } from './instances.js';
import type { SecurityGroupRecord } from './network.js';
import { resourceTypeOf } from './tags.js';

const clientModule = ec2Client as unknown as Record<string, unknown>;

function checkMaxResults(maxResults: number | undefined, min: number, max: number): void {
  if (maxResults !== undefined && (maxResults < min || maxResults > max)) {
    throw new CloudError(
      'InvalidParameterValue',
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
    );
  }
}

function requireIds(ids: string[] | undefined, name: string): string[] {
  if (!ids || ids.length === 0) throw new CloudError('MissingParameter', `The request must contain the parameter ${name}`);
  return ids;
}

export function ec2Service(ec2: Ec2): QueryService {
  const { fleet, network, images, keyPairs, volumes, tags } = ec2;
  const region = ec2.settings.region;

  const instanceFilters = {
    'instance-id': (i: InstanceRecord) => i.instanceId,
    'instance-state-name': (i: InstanceRecord) => i.state,
    'instance-state-code': (i: InstanceRecord) => STATE_CODES[i.state],
    'instance-type': (i: InstanceRecord) => i.instanceType,
    'image-id': (i: InstanceRecord) => i.imageId,
    'key-name': (i: InstanceRecord) => i.keyName,
    'subnet-id': (i: InstanceRecord) => (i.state === 'terminated' ? undefined : i.subnet.subnetId),
    'vpc-id': (i: InstanceRecord) => (i.state === 'terminated' ? undefined : i.subnet.vpcId),
    'availability-zone': (i: InstanceRecord) => i.subnet.availabilityZone,
    'private-ip-address': (i: InstanceRecord) => (i.state === 'terminated' ? undefined : i.privateIp),
    'network-interface.addresses.private-ip-address': (i: InstanceRecord) => (i.state === 'terminated' ? undefined : i.privateIp),
    'ip-address': (i: InstanceRecord) => i.publicIp,
    'private-dns-name': (i: InstanceRecord) => (i.state === 'terminated' ? undefined : fleet.privateDnsName(i.privateIp)),
    'dns-name': (i: InstanceRecord) => (i.publicIp ? fleet.publicDnsName(i.publicIp) : undefined),
    'reservation-id': (i: InstanceRecord) => i.reservationId,
    'client-token': (i: InstanceRecord) => i.clientToken,
    'launch-index': (i: InstanceRecord) => i.amiLaunchIndex,
    'launch-time': (i: InstanceRecord) => i.launchTime.toISOString(),
    'instance.group-id': (i: InstanceRecord) => i.groups.map((g) => g.GroupId),
    'instance.group-name': (i: InstanceRecord) => i.groups.map((g) => g.GroupName),
    'group-id': (i: InstanceRecord) => i.groups.map((g) => g.GroupId),
    'group-name': (i: InstanceRecord) => i.groups.map((g) => g.GroupName),
    'iam-instance-profile.arn': (i: InstanceRecord) => i.iamInstanceProfile?.Arn,
    'architecture': () => 'x86_64',
    'root-device-type': () => 'ebs',
    'tenancy': (i: InstanceRecord) => i.tenancy,
    'owner-id': () => ec2.settings.accountId,
  };
  const instanceTags = { tags, idOf: (i: InstanceRecord) => i.instanceId };

  function stateChange(record: InstanceRecord, previous: InstanceRecord['state']): InstanceStateChange {
    return {
      InstanceId: record.instanceId,
      CurrentState: { Code: STATE_CODES[record.state], Name: record.state },
      PreviousState: { Code: STATE_CODES[previous], Name: previous },
    };
  }

  function groupFromRequest(groupId: string | undefined, groupName: string | undefined): SecurityGroupRecord {
    if (groupId) return network.securityGroup(groupId);
    if (groupName) return network.securityGroupByName(groupName);
    throw new CloudError('MissingParameter', 'The request must contain the parameter groupName or groupId');
  }

  function checkResourcesExist(resourceIds: string[]): void {
    for (const id of resourceIds) {
      const type = resourceTypeOf(id);
      if (type === 'instance') fleet.require([id]);
      else if (type === 'volume') volumes.get(id);
      else if (type === 'security-group') network.securityGroup(id);
      else if (type === 'subnet') network.subnet(id);
      else if (type === 'image') images.get(id);
      else if (type === 'key-pair') keyPairs.byId(id);
      else if (type === 'vpc') {
        if (!network.vpcs.has(id)) throw new CloudError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
      } else if (type === undefined) throw new CloudError('InvalidID', `The ID '${id}' is not valid`);
    }
  }

  const handlers = {
    RunInstances: (input: RunInstancesRequest) => fleet.run(input),

    DescribeInstances: (input: DescribeInstancesRequest) => {
      if (input.InstanceIds?.length && input.MaxResults !== undefined) {
        throw new CloudError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
      }
      checkMaxResults(input.MaxResults, 5, 1000);
      const candidates = input.InstanceIds?.length ? fleet.require(input.InstanceIds) : fleet.all();
      const matching = applyFilters(candidates, input.Filters, instanceFilters, instanceTags);
      if (input.DryRun) throw dryRun();
      const page = paginate(matching, input.MaxResults, input.NextToken);
      const byReservation = new Map<string, InstanceRecord[]>();
      for (const record of page.items) {
        const group = byReservation.get(record.reservationId);
        if (group) group.push(record);
        else byReservation.set(record.reservationId, [record]);
      }
      const reservations = [...byReservation.values()].map((records) => {
        const first = records[0] as InstanceRecord;
        const reservation = fleet.reservationOf(first) ?? { reservationId: first.reservationId, instances: records, requestFingerprint: '' };
        return fleet.describeReservation(reservation, records);
      });
      return { Reservations: reservations, NextToken: page.nextToken };
    },

    DescribeInstanceStatus: (input: DescribeInstanceStatusRequest) => {
      checkMaxResults(input.MaxResults, 5, 1000);
      const candidates = input.InstanceIds?.length ? fleet.require(input.InstanceIds) : fleet.all();
      const visible = input.IncludeAllInstances ? candidates : candidates.filter((i) => i.state === 'running');
      const matching = applyFilters(visible, input.Filters, {
        'availability-zone': (i: InstanceRecord) => i.subnet.availabilityZone,
        'instance-state-name': (i: InstanceRecord) => i.state,
        'instance-state-code': (i: InstanceRecord) => STATE_CODES[i.state],
        'instance-status.status': (i: InstanceRecord) => (i.state !== 'running' ? 'not-applicable' : i.booted ? 'ok' : 'initializing'),
        'system-status.status': (i: InstanceRecord) => (i.state !== 'running' ? 'not-applicable' : 'ok'),
      });
      if (input.DryRun) throw dryRun();
      const page = paginate(matching, input.MaxResults, input.NextToken);
      const statuses: InstanceStatus[] = page.items.map((i) => {
        const running = i.state === 'running';
        const reachability = !running ? 'not-applicable' : i.booted ? 'ok' : 'initializing';
        const detail = reachability === 'ok' ? 'passed' : 'initializing';
        return {
          InstanceId: i.instanceId,
          AvailabilityZone: i.subnet.availabilityZone,
          InstanceState: { Code: STATE_CODES[i.state], Name: i.state },
          InstanceStatus: running ? { Status: reachability, Details: [{ Name: 'reachability', Status: detail }] } : { Status: 'not-applicable' },
          SystemStatus: running ? { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] } : { Status: 'not-applicable' },
        } as InstanceStatus;
      });
      return { InstanceStatuses: statuses, NextToken: page.nextToken };
    },

    TerminateInstances: (input: TerminateInstancesRequest) => {
      const records = fleet.require(requireIds(input.InstanceIds, 'InstanceId'));
      for (const record of records) fleet.checkTerminable(record);
      if (input.DryRun) throw dryRun();
      return { TerminatingInstances: records.map((record) => stateChange(record, fleet.terminate(record))) };
    },

    StopInstances: (input: StopInstancesRequest) => {
      const records = fleet.require(requireIds(input.InstanceIds, 'InstanceId'));
      for (const record of records) {
        if (record.state === 'terminated' || record.state === 'shutting-down') {
          throw new CloudError('IncorrectInstanceState', `This instance '${record.instanceId}' is not in a state from which it can be stopped.`);
        }
      }
      if (input.DryRun) throw dryRun();
      return { StoppingInstances: records.map((record) => stateChange(record, fleet.stop(record))) };
    },

    StartInstances: (input: StartInstancesRequest) => {
      const records = fleet.require(requireIds(input.InstanceIds, 'InstanceId'));
      for (const record of records) {
        if (!['stopped', 'pending', 'running'].includes(record.state)) {
          throw new CloudError('IncorrectInstanceState', `The instance '${record.instanceId}' is not in a state from which it can be started.`);
        }
      }
      if (input.DryRun) throw dryRun();
      return { StartingInstances: records.map((record) => stateChange(record, fleet.start(record))) };
    },

    RebootInstances: (input: RebootInstancesRequest) => {
      const records = fleet.require(requireIds(input.InstanceIds, 'InstanceId'));
      if (input.DryRun) throw dryRun();
      for (const record of records) fleet.reboot(record);
      return {};
    },

    DescribeInstanceAttribute: (input: DescribeInstanceAttributeRequest) => {
      if (!input.InstanceId) throw new CloudError('MissingParameter', 'The request must contain the parameter InstanceId');
      if (!input.Attribute) throw new CloudError('MissingParameter', 'The request must contain the parameter Attribute');
      const [record] = fleet.require([input.InstanceId]) as [InstanceRecord];
      const attribute: InstanceAttribute = { InstanceId: record.instanceId };
      switch (input.Attribute) {
        case 'disableApiTermination':
          attribute.DisableApiTermination = { Value: record.disableApiTermination };
          break;
        case 'instanceType':
          attribute.InstanceType = { Value: record.instanceType };
          break;
        case 'instanceInitiatedShutdownBehavior':
          attribute.InstanceInitiatedShutdownBehavior = { Value: record.shutdownBehavior };
          break;
        case 'userData':
          attribute.UserData = record.userData === undefined ? {} : { Value: record.userData };
          break;
        case 'groupSet':
          attribute.Groups = record.groups;
          break;
        case 'sourceDestCheck':
          attribute.SourceDestCheck = { Value: record.sourceDestCheck };
          break;
        case 'ebsOptimized':
          attribute.EbsOptimized = { Value: record.ebsOptimized };
          break;
        case 'rootDeviceName':
          attribute.RootDeviceName = { Value: record.rootDeviceName };
          break;
        case 'blockDeviceMapping':
          attribute.BlockDeviceMappings = volumes.mappingsOf(record.volumeIds);
          break;
        case 'disableApiStop':
          attribute.DisableApiStop = { Value: false };
          break;
        default:
          throw new CloudError('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`);
      }
      return attribute;
    },

    ModifyInstanceAttribute: (input: ModifyInstanceAttributeRequest) => {
      if (!input.InstanceId) throw new CloudError('MissingParameter', 'The request must contain the parameter InstanceId');
      const [record] = fleet.require([input.InstanceId]) as [InstanceRecord];
      const value = input.Value;
      const attribute = input.Attribute;
      const requireStopped = (name: string): void => {
        if (record.state !== 'stopped') {
          throw new CloudError('IncorrectInstanceState', `The instance '${record.instanceId}' is not in the 'stopped' state. (${name})`);
        }
      };
      if (input.DryRun) throw dryRun();
      if (input.DisableApiTermination?.Value !== undefined) record.disableApiTermination = input.DisableApiTermination.Value;
      else if (attribute === 'disableApiTermination' && value !== undefined) record.disableApiTermination = value === 'true';
      const instanceType = input.InstanceType?.Value ?? (attribute === 'instanceType' ? value : undefined);
      if (instanceType !== undefined) {
        requireStopped('instanceType');
        record.instanceType = instanceType;
      }
      const behavior = input.InstanceInitiatedShutdownBehavior?.Value ?? (attribute === 'instanceInitiatedShutdownBehavior' ? value : undefined);
      if (behavior !== undefined) {
        if (behavior !== 'stop' && behavior !== 'terminate') {
          throw new CloudError('InvalidParameterValue', `Value (${behavior}) for parameter instanceInitiatedShutdownBehavior is invalid.`);
        }
        record.shutdownBehavior = behavior;
      }
      if (input.UserData?.Value !== undefined) {
        requireStopped('userData');
        record.userData = Buffer.from(input.UserData.Value).toString('base64');
      }
      if (input.Groups?.length) {
        record.groups = input.Groups.map((id) => network.securityGroup(id)).map((g) => ({ GroupId: g.groupId, GroupName: g.groupName }));
      }
      if (input.SourceDestCheck?.Value !== undefined) record.sourceDestCheck = input.SourceDestCheck.Value;
      if (input.EbsOptimized?.Value !== undefined) record.ebsOptimized = input.EbsOptimized.Value;
      return {};
    },

    CreateTags: (input: CreateTagsRequest) => {
      const resources = requireIds(input.Resources, 'ResourceId');
      if (!input.Tags) throw new CloudError('MissingParameter', 'The request must contain the parameter Tag');
      checkResourcesExist(resources);
      if (input.DryRun) throw dryRun();
      for (const id of resources) tags.set(id, input.Tags);
      return {};
    },

    DeleteTags: (input: DeleteTagsRequest) => {
      const resources = requireIds(input.Resources, 'ResourceId');
      checkResourcesExist(resources);
      if (input.DryRun) throw dryRun();
      for (const id of resources) tags.remove(id, input.Tags);
      return {};
    },

    DescribeTags: (input: DescribeTagsRequest) => {
      const matching = applyFilters(tags.descriptions(), input.Filters, {
        'resource-id': (t: TagDescription) => t.ResourceId,
        'resource-type': (t: TagDescription) => t.ResourceType,
        key: (t: TagDescription) => t.Key,
        value: (t: TagDescription) => t.Value,
      });
      const page = paginate(matching, input.MaxResults, input.NextToken);
      return { Tags: page.items, NextToken: page.nextToken };
    },

    DescribeVpcs: (input: DescribeVpcsRequest) => {
      const all = [...network.vpcs.values()];
      for (const id of input.VpcIds ?? []) {
        if (!network.vpcs.has(id)) throw new CloudError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
      }
      const candidates = input.VpcIds?.length ? all.filter((v) => input.VpcIds?.includes(v.vpcId)) : all;
      const matching = applyFilters(
        candidates,
        input.Filters,
        {
          'vpc-id': (v) => v.vpcId,
          'cidr': (v) => v.cidr,
          'cidr-block-association.cidr-block': (v) => v.cidr,
          'is-default': (v) => String(v.isDefault),
          'isDefault': (v) => String(v.isDefault),
          'state': () => 'available',
          'owner-id': () => ec2.settings.accountId,
        },
        { tags, idOf: (v) => v.vpcId },
      );
      return { Vpcs: matching.map((v) => network.describeVpc(v)) };
    },

    DescribeSubnets: (input: DescribeSubnetsRequest) => {
      for (const id of input.SubnetIds ?? []) network.subnet(id);
      const all = [...network.subnets.values()];
      const candidates = input.SubnetIds?.length ? all.filter((s) => input.SubnetIds?.includes(s.subnetId)) : all;
      const matching = applyFilters(
        candidates,
        input.Filters,
        {
          'subnet-id': (s) => s.subnetId,
          'vpc-id': (s) => s.vpcId,
          'availability-zone': (s) => s.availabilityZone,
          'availabilityZone': (s) => s.availabilityZone,
          'availability-zone-id': (s) => s.availabilityZoneId,
          'cidr-block': (s) => s.cidr,
          'cidrBlock': (s) => s.cidr,
          'cidr': (s) => s.cidr,
          'default-for-az': (s) => String(s.defaultForAz),
          'defaultForAz': (s) => String(s.defaultForAz),
          'map-public-ip-on-launch': (s) => String(s.mapPublicIpOnLaunch),
          'state': () => 'available',
          'owner-id': () => ec2.settings.accountId,
        },
        { tags, idOf: (s) => s.subnetId },
      );
      const page = paginate(matching, input.MaxResults, input.NextToken);
      return { Subnets: page.items.map((s) => network.describeSubnet(s)), NextToken: page.nextToken };
    },

    DescribeSecurityGroups: (input: DescribeSecurityGroupsRequest) => {
      for (const id of input.GroupIds ?? []) network.securityGroup(id);
      for (const name of input.GroupNames ?? []) network.securityGroupByName(name);
      const all = [...network.securityGroups.values()];
      const candidates = all.filter(
        (g) =>
          (!input.GroupIds?.length || input.GroupIds.includes(g.groupId)) && (!input.GroupNames?.length || input.GroupNames.includes(g.groupName)),
      );
      const matching = applyFilters(
        candidates,
        input.Filters,
        {
          'group-id': (g) => g.groupId,
          'group-name': (g) => g.groupName,
          'vpc-id': (g) => g.vpcId,
          'description': (g) => g.description,
          'owner-id': () => ec2.settings.accountId,
        },
        { tags, idOf: (g) => g.groupId },
      );
      const page = paginate(matching, input.MaxResults, input.NextToken);
      return { SecurityGroups: page.items.map((g) => network.describeSecurityGroup(g)), NextToken: page.nextToken };
    },

    CreateSecurityGroup: (input: CreateSecurityGroupRequest) => {
      if (!input.GroupName) throw new CloudError('MissingParameter', 'The request must contain the parameter GroupName');
      if (!input.Description) throw new CloudError('MissingParameter', 'The request must contain the parameter GroupDescription');
      if (input.DryRun) throw dryRun();
      const group = network.createSecurityGroup(input.GroupName, input.Description, input.VpcId ?? network.defaultVpc.vpcId);
      for (const spec of input.TagSpecifications ?? []) tags.set(group.groupId, spec.Tags ?? []);
      return { GroupId: group.groupId, SecurityGroupArn: network.describeSecurityGroup(group).SecurityGroupArn, Tags: tags.listOrUndefined(group.groupId) };
    },

    DeleteSecurityGroup: (input: DeleteSecurityGroupRequest) => {
      const group = groupFromRequest(input.GroupId, input.GroupName);
      if (group.groupName === 'default') {
        throw new CloudError('CannotDelete', `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`);
      }
      const user = fleet.all().find((i) => i.state !== 'terminated' && i.groups.some((g) => g.GroupId === group.groupId));
      if (user) throw new CloudError('DependencyViolation', `resource ${group.groupId} has a dependent object`);
      if (input.DryRun) throw dryRun();
      network.securityGroups.delete(group.groupId);
      tags.drop(group.groupId);
      return { Return: true, GroupId: group.groupId };
    },

    AuthorizeSecurityGroupIngress: (input: AuthorizeSecurityGroupIngressRequest) => {
      const group = groupFromRequest(input.GroupId, input.GroupName);
      const permissions = input.IpPermissions?.length
        ? input.IpPermissions
        : [{ IpProtocol: input.IpProtocol, FromPort: input.FromPort, ToPort: input.ToPort, IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [] }];
      for (const permission of permissions) {
        if (group.ingress.some((existing) => JSON.stringify(existing) === JSON.stringify(permission))) {
          throw new CloudError('InvalidPermission.Duplicate', `the specified rule already exists`);
        }
      }
      if (input.DryRun) throw dryRun();
      group.ingress.push(...permissions);
      return { Return: true };
    },

    AuthorizeSecurityGroupEgress: (input: AuthorizeSecurityGroupEgressRequest) => {
      const group = network.securityGroup(input.GroupId ?? '');
      if (input.DryRun) throw dryRun();
      group.egress.push(...(input.IpPermissions ?? []));
      return { Return: true };
    },

    RevokeSecurityGroupIngress: (input: RevokeSecurityGroupIngressRequest) => {
      const group = groupFromRequest(input.GroupId, input.GroupName);
      if (input.DryRun) throw dryRun();
      const revoked = new Set((input.IpPermissions ?? []).map((p) => JSON.stringify(p)));
      group.ingress = group.ingress.filter((p) => !revoked.has(JSON.stringify(p)));
      return { Return: true };
    },

    DescribeImages: (input: DescribeImagesRequest) => {
      for (const id of input.ImageIds ?? []) images.get(id);
      const candidates = images.all().filter((r) => !input.ImageIds?.length || input.ImageIds.includes(r.image.ImageId ?? ''));
      const owners = input.Owners ?? [];
      const owned = owners.length
        ? candidates.filter((r) => owners.some((o) => o === 'self' || o === r.image.OwnerId || o === r.image.ImageOwnerAlias))
        : candidates;
      const matching = applyFilters(owned, input.Filters, {
        'image-id': (r) => r.image.ImageId,
        'name': (r) => r.image.Name,
        'description': (r) => r.image.Description,
        'architecture': (r) => r.image.Architecture,
        'state': (r) => r.image.State,
        'owner-id': (r) => r.image.OwnerId,
        'owner-alias': (r) => r.image.ImageOwnerAlias,
        'is-public': (r) => String(r.image.Public),
        'root-device-type': (r) => r.image.RootDeviceType,
        'root-device-name': (r) => r.image.RootDeviceName,
        'virtualization-type': (r) => r.image.VirtualizationType,
        'image-type': (r) => r.image.ImageType,
        'platform-details': (r) => r.image.PlatformDetails,
      });
      return { Images: matching.map((r) => r.image) };
    },

    DescribeKeyPairs: (input: DescribeKeyPairsRequest) => {
      for (const name of input.KeyNames ?? []) keyPairs.get(name);
      for (const id of input.KeyPairIds ?? []) keyPairs.byId(id);
      const candidates = keyPairs
        .all()
        .filter((p) => (!input.KeyNames?.length || input.KeyNames.includes(p.keyName)) && (!input.KeyPairIds?.length || input.KeyPairIds.includes(p.keyPairId)));
      const matching = applyFilters(
        candidates,
        input.Filters,
        {
          'key-name': (p) => p.keyName,
          'key-pair-id': (p) => p.keyPairId,
          'fingerprint': (p) => p.fingerprint,
          'key-type': (p) => p.keyType,
        },
        { tags, idOf: (p) => p.keyPairId },
      );
      return { KeyPairs: matching.map((p) => keyPairs.describe(p, input.IncludePublicKey ?? false)) };
    },

    CreateKeyPair: (input: CreateKeyPairRequest) => {
      if (!input.KeyName) throw new CloudError('MissingParameter', 'The request must contain the parameter KeyName');
      if (input.KeyFormat === 'ppk') throw new CloudError('InvalidParameterValue', 'The local cloud writes key pairs in pem format only');
      if (input.DryRun) throw dryRun();
      const { record, privateKey } = keyPairs.create(input.KeyName, input.KeyType === 'ed25519' ? 'ed25519' : 'rsa');
      for (const spec of input.TagSpecifications ?? []) tags.set(record.keyPairId, spec.Tags ?? []);
      return {
        KeyName: record.keyName,
        KeyPairId: record.keyPairId,
        KeyFingerprint: record.fingerprint,
        KeyMaterial: privateKey,
        Tags: tags.listOrUndefined(record.keyPairId),
      };
    },

    ImportKeyPair: (input: ImportKeyPairRequest) => {
      if (!input.KeyName) throw new CloudError('MissingParameter', 'The request must contain the parameter KeyName');
      if (!input.PublicKeyMaterial) throw new CloudError('MissingParameter', 'The request must contain the parameter PublicKeyMaterial');
      if (input.DryRun) throw dryRun();
      const record = keyPairs.import(input.KeyName, Buffer.from(input.PublicKeyMaterial).toString('utf8'));
      for (const spec of input.TagSpecifications ?? []) tags.set(record.keyPairId, spec.Tags ?? []);
      return { KeyName: record.keyName, KeyPairId: record.keyPairId, KeyFingerprint: record.fingerprint, Tags: tags.listOrUndefined(record.keyPairId) };
    },

    DeleteKeyPair: (input: DeleteKeyPairRequest) => {
      if (input.DryRun) throw dryRun();
      const name = input.KeyName ?? (input.KeyPairId ? keyPairs.byId(input.KeyPairId).keyName : undefined);
      if (name) keyPairs.delete(name);
      return { Return: true };
    },

    DescribeVolumes: (input: DescribeVolumesRequest) => {
      for (const id of input.VolumeIds ?? []) volumes.get(id);
      const candidates = volumes.all().filter((v) => !input.VolumeIds?.length || input.VolumeIds.includes(v.volumeId));
      const matching = applyFilters(
        candidates,
        input.Filters,
        {
          'volume-id': (v) => v.volumeId,
          'attachment.instance-id': (v) => v.attachment?.instanceId,
          'attachment.device': (v) => v.attachment?.device,
          'attachment.delete-on-termination': (v) => (v.attachment ? String(v.attachment.deleteOnTermination) : undefined),
          'availability-zone': (v) => v.availabilityZone,
          'size': (v) => v.size,
          'status': (v) => (v.attachment ? 'in-use' : 'available'),
          'volume-type': (v) => v.volumeType,
          'encrypted': (v) => String(v.encrypted),
        },
        { tags, idOf: (v) => v.volumeId },
      );
      const page = paginate(matching, input.MaxResults, input.NextToken);
      return { Volumes: page.items.map((v) => volumes.describe(v)), NextToken: page.nextToken };
    },

    DescribeAvailabilityZones: (input: DescribeAvailabilityZonesRequest) => {
      const zones = network.defaultSubnets.map((s) => ({
        ZoneName: s.availabilityZone,
        ZoneId: s.availabilityZoneId,
        State: 'available' as const,
        RegionName: region,
        ZoneType: 'availability-zone',
        GroupName: region,
        NetworkBorderGroup: region,
        OptInStatus: 'opt-in-not-required' as const,
        Messages: [],
      }));
      const named = zones.filter((z) => !input.ZoneNames?.length || input.ZoneNames.includes(z.ZoneName));
      return {
        AvailabilityZones: applyFilters(named, input.Filters, {
          'zone-name': (z) => z.ZoneName,
          'zone-id': (z) => z.ZoneId,
          'region-name': (z) => z.RegionName,
          'state': (z) => z.State,
        }),
      };
    },

    DescribeRegions: () => ({
      Regions: [{ RegionName: region, Endpoint: `ec2.${region}.amazonaws.com`, OptInStatus: 'opt-in-not-required' }],
    }),

    DescribeAccountAttributes: () => ({
      AccountAttributes: [
        { AttributeName: 'supported-platforms', AttributeValues: [{ AttributeValue: 'VPC' }] },
        { AttributeName: 'default-vpc', AttributeValues: [{ AttributeValue: network.defaultVpc.vpcId }] },
        { AttributeName: 'max-instances', AttributeValues: [{ AttributeValue: '64' }] },
      ],
    }),
  };

  return {
    protocol: 'ec2',
    signingName: 'ec2',
    version: '2016-11-15',
    namespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
    operations: operationsOf(clientModule),
    handlers,
    errorStatus: errorStatusesOf(clientModule),
  };
}
