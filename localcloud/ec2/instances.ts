// EC2 instances and their life cycle: pending -> running -> (sshd up after the boot delay),
// stopping -> stopped, shutting-down -> terminated. Each instance runs on a real host.
import type {
  BlockDeviceMapping,
  GroupIdentifier,
  Instance,
  InstanceStateName,
  Reservation,
  RunInstancesRequest,
} from '@aws-sdk/client-ec2';
import { join } from 'node:path';
import { CloudError } from '../protocol/cloud-error.js';
import { hexId } from '../protocol/ids.js';
import type { Delays } from '../options.js';
import type { HostFactory, InstanceHost } from '../instances/instance-host.js';
import type { Images } from './images.js';
import type { KeyPairs } from './key-pairs.js';
import type { Network, SubnetRecord } from './network.js';
import { type TagStore, tagsFor, validateTagSpecifications } from './tags.js';
import type { Volumes } from './volumes.js';

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface InstanceRecord {
  instanceId: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  keyName: string | undefined;
  launchTime: Date;
  amiLaunchIndex: number;
  subnet: SubnetRecord;
  privateIp: string;
  publicIp: string | undefined;
  groups: GroupIdentifier[];
  state: InstanceStateName;
  stateTransitionReason: string;
  stateReason: { Code: string; Message: string } | undefined;
  clientToken: string | undefined;
  userData: string | undefined;
  iamInstanceProfile: { Arn: string; Id: string } | undefined;
  disableApiTermination: boolean;
  shutdownBehavior: 'stop' | 'terminate';
  ebsOptimized: boolean;
  monitoring: 'disabled' | 'enabled';
  tenancy: string;
  rootDeviceName: string;
  volumeIds: string[];
  networkInterfaceId: string;
  macAddress: string;
  sourceDestCheck: boolean;
  host: InstanceHost;
  /** True once the host's sshd accepts connections (instance status checks pass). */
  booted: boolean;
  /** Bumped on each transition so that timers of an earlier transition do nothing. */
  generation: number;
}

interface ReservationRecord {
  reservationId: string;
  instances: InstanceRecord[];
  requestFingerprint: string;
}

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.(nano|micro|small|medium|large|metal|\d*xlarge|metal-\d+xl)$/;
const INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;
const MAX_INSTANCES = 64;

function utcReason(prefix: string, when: Date): string {
  const text = when.toISOString().replace('T', ' ').slice(0, 19);
  return `${prefix} (${text} GMT)`;
}

export interface FleetDependencies {
  region: string;
  accountId: string;
  networkPrefix: string;
  stateDir: string;
  delays: Delays;
  network: Network;
  images: Images;
  keyPairs: KeyPairs;
  volumes: Volumes;
  tags: TagStore;
  hostFactory: HostFactory;
  log: (message: string) => void;
}

export class Fleet {
  private readonly instances = new Map<string, InstanceRecord>();
  private readonly reservations = new Map<string, ReservationRecord>();
  private readonly byClientToken = new Map<string, ReservationRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly usedPublicAddresses = new Set<string>();
  private readonly pendingWork = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly deps: FleetDependencies) {}

  // ---- lookups ----

  all(): InstanceRecord[] {
    return [...this.instances.values()];
  }

  find(instanceId: string): InstanceRecord | undefined {
    return this.instances.get(instanceId);
  }

  /** The named instances, with EC2's Malformed/NotFound errors for bad ids. */
  require(instanceIds: string[]): InstanceRecord[] {
    for (const id of instanceIds) {
      if (!INSTANCE_ID.test(id)) throw new CloudError('InvalidInstanceID.Malformed', `Invalid id: "${id}" (expecting "i-...")`);
    }
    const missing = instanceIds.filter((id) => !this.instances.has(id));
    if (missing.length === 1) throw new CloudError('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
    if (missing.length > 1) throw new CloudError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
    return instanceIds.map((id) => this.instances.get(id) as InstanceRecord);
  }

  reservationOf(record: InstanceRecord): ReservationRecord | undefined {
    return this.reservations.get(record.reservationId);
  }

  // ---- RunInstances ----

  run(input: RunInstancesRequest): Reservation {
    const fingerprint = JSON.stringify({ ...input, ClientToken: undefined, DryRun: undefined });
    if (input.ClientToken) {
      const earlier = this.byClientToken.get(input.ClientToken);
      if (earlier) {
        if (earlier.requestFingerprint !== fingerprint) {
          throw new CloudError(
            'IdempotentParameterMismatch',
            'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).',
          );
        }
        return this.describeReservation(earlier, earlier.instances);
      }
    }
    const plan = this.planLaunch(input);
    if (input.DryRun) throw dryRun();

    const reservation: ReservationRecord = { reservationId: hexId('r'), instances: [], requestFingerprint: fingerprint };
    const launchTime = new Date(Math.floor(Date.now() / 1000) * 1000);
    for (let index = 0; index < plan.count; index++) {
      reservation.instances.push(this.launchOne(input, plan, reservation.reservationId, index, launchTime));
    }
    this.reservations.set(reservation.reservationId, reservation);
    if (input.ClientToken) this.byClientToken.set(input.ClientToken, reservation);
    return this.describeReservation(reservation, reservation.instances);
  }

  private planLaunch(input: RunInstancesRequest) {
    const { network, images, keyPairs } = this.deps;
    if (!input.ImageId) throw new CloudError('MissingParameter', 'The request must contain the parameter ImageId');
    const minCount = input.MinCount;
    const maxCount = input.MaxCount;
    if (minCount === undefined) throw new CloudError('MissingParameter', 'The request must contain the parameter MinCount');
    if (maxCount === undefined) throw new CloudError('MissingParameter', 'The request must contain the parameter MaxCount');
    if (minCount < 1 || maxCount < minCount) {
      throw new CloudError('InvalidParameterValue', `Invalid value '${minCount}' for minCount. Must be between 1 and maxCount (${maxCount})`);
    }
    const image = images.get(input.ImageId);
    const instanceType = input.InstanceType ?? 'm1.small';
    if (!INSTANCE_TYPE.test(instanceType)) {
      throw new CloudError('InvalidParameterValue', `Invalid value '${instanceType}' for InstanceType.`);
    }
    if (input.KeyName) keyPairs.get(input.KeyName);

    const primaryInterface = input.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0);
    if (primaryInterface && (input.SubnetId || input.SecurityGroupIds?.length || input.PrivateIpAddress)) {
      throw new CloudError(
        'InvalidParameterCombination',
        'Network interfaces and an instance-level subnet ID, security groups or private IP address may not be specified on the same request',
      );
    }
    const subnetId = primaryInterface?.SubnetId ?? input.SubnetId;
    const zone = input.Placement?.AvailabilityZone;
    let subnet: SubnetRecord;
    if (subnetId) {
      subnet = network.subnet(subnetId);
      if (zone && zone !== subnet.availabilityZone) {
        throw new CloudError(
          'InvalidParameterValue',
          `Value (${zone}) for parameter availabilityZone is invalid. Subnet '${subnet.subnetId}' is in the availability zone ${subnet.availabilityZone}`,
        );
      }
    } else if (zone) {
      subnet = network.subnetInZone(zone);
    } else {
      subnet = network.defaultSubnets[0] as SubnetRecord;
    }

    const groupIds = primaryInterface?.Groups ?? input.SecurityGroupIds ?? [];
    const groups = [
      ...groupIds.map((id) => network.securityGroup(id)),
      ...(input.SecurityGroups ?? []).map((name) => network.securityGroupByName(name, subnet.vpcId)),
    ];
    for (const group of groups) {
      if (group.vpcId !== subnet.vpcId) {
        throw new CloudError('InvalidParameter', `Security group ${group.groupId} and subnet ${subnet.subnetId} belong to different networks.`);
      }
    }
    if (groups.length === 0) groups.push(network.securityGroupByName('default', subnet.vpcId));

    const privateIp = primaryInterface?.PrivateIpAddress ?? input.PrivateIpAddress;
    if (privateIp && maxCount > 1) {
      throw new CloudError('InvalidParameterCombination', 'You may not specify a private IP address when launching more than one instance.');
    }
    validateTagSpecifications(input.TagSpecifications, ['instance', 'volume', 'network-interface']);
    const rootSize = this.validateBlockDevices(input.BlockDeviceMappings, image.rootDeviceName, image.rootVolumeSize);

    if (input.UserData && Buffer.from(input.UserData, 'base64').length > 16 * 1024) {
      throw new CloudError('InvalidParameterValue', 'User data is limited to 16384 bytes');
    }
    const active = this.all().filter((i) => i.state !== 'terminated').length;
    const capacity = Math.min(MAX_INSTANCES - active, network.freeAddressCount(subnet));
    if (capacity < minCount) {
      throw new CloudError(
        'InstanceLimitExceeded',
        `You have requested more instances (${minCount}) than your current instance limit of ${MAX_INSTANCES} allows for the specified instance type.`,
      );
    }
    return {
      count: Math.min(maxCount, capacity),
      image,
      instanceType,
      subnet,
      groups: groups.map((g) => ({ GroupId: g.groupId, GroupName: g.groupName })),
      privateIp,
      associatePublicIp: primaryInterface?.AssociatePublicIpAddress ?? subnet.mapPublicIpOnLaunch,
      rootSize,
    };
  }

  private validateBlockDevices(mappings: BlockDeviceMapping[] | undefined, rootDeviceName: string, imageRootSize: number): number {
    let rootSize = imageRootSize;
    const seen = new Set<string>();
    for (const mapping of mappings ?? []) {
      const device = mapping.DeviceName;
      if (!device) throw new CloudError('MissingParameter', 'The request must contain the parameter deviceName');
      if (!/^(\/dev\/)?(sd|xvd|hd)[a-z]{1,2}\d*$/.test(device)) {
        throw new CloudError('InvalidBlockDeviceMapping', `Invalid device name ${device}`);
      }
      if (seen.has(device)) throw new CloudError('InvalidBlockDeviceMapping', `The device '${device}' is used in more than one block-device mapping`);
      seen.add(device);
      const ebs = mapping.Ebs;
      if (!ebs) continue;
      const volumeType = ebs.VolumeType ?? 'gp2';
      if (!['standard', 'gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1'].includes(volumeType)) {
        throw new CloudError('InvalidParameterValue', `Value (${volumeType}) for parameter volumeType is invalid. Valid volume types are standard, io1, io2, gp2, gp3, sc1 and st1.`);
      }
      if ((volumeType === 'io1' || volumeType === 'io2') && ebs.Iops === undefined) {
        throw new CloudError('InvalidParameterCombination', `The parameter iops must be specified for ${volumeType} volumes.`);
      }
      if ((volumeType === 'gp2' || volumeType === 'standard') && ebs.Iops !== undefined) {
        throw new CloudError('InvalidParameterCombination', `The parameter iops is not supported for ${volumeType} volumes.`);
      }
      const isRoot = device === rootDeviceName;
      if (isRoot) {
        if (ebs.VolumeSize !== undefined) {
          if (ebs.VolumeSize < imageRootSize) {
            throw new CloudError(
              'InvalidBlockDeviceMapping',
              `Volume of size ${ebs.VolumeSize}GB is smaller than snapshot 'snap-0000000000000de12', expect size >= ${imageRootSize}GB`,
            );
          }
          rootSize = ebs.VolumeSize;
        }
      } else if (ebs.VolumeSize === undefined && !ebs.SnapshotId) {
        throw new CloudError('InvalidBlockDeviceMapping', 'The request must contain the parameter size or snapshotId');
      }
      if (ebs.VolumeSize !== undefined && (ebs.VolumeSize < 1 || ebs.VolumeSize > 16384)) {
        throw new CloudError('InvalidParameterValue', `Volume size ${ebs.VolumeSize} is out of range (1-16384 GiB)`);
      }
    }
    return rootSize;
  }

  private launchOne(
    input: RunInstancesRequest,
    plan: ReturnType<Fleet['planLaunch']>,
    reservationId: string,
    index: number,
    launchTime: Date,
  ): InstanceRecord {
    const { network, tags, volumes, keyPairs } = this.deps;
    const instanceId = hexId('i');
    const privateIp = network.allocateAddress(plan.subnet, plan.privateIp);
    const publicIp = plan.associatePublicIp ? this.allocatePublicAddress() : undefined;
    const zone = plan.subnet.availabilityZone;
    const volumeIds: string[] = [];
    const rootMapping = input.BlockDeviceMappings?.find((m) => m.DeviceName === plan.image.rootDeviceName);
    const rootImageEbs = plan.image.image.BlockDeviceMappings?.[0]?.Ebs;
    volumeIds.push(
      volumes.create({
        size: plan.rootSize,
        volumeType: rootMapping?.Ebs?.VolumeType ?? rootImageEbs?.VolumeType ?? 'gp2',
        iops: rootMapping?.Ebs?.Iops,
        snapshotId: rootImageEbs?.SnapshotId,
        encrypted: rootMapping?.Ebs?.Encrypted ?? false,
        availabilityZone: zone,
        attachment: { instanceId, device: plan.image.rootDeviceName, deleteOnTermination: rootMapping?.Ebs?.DeleteOnTermination ?? true, attachTime: launchTime },
        tags: tagsFor(input.TagSpecifications, 'volume'),
      }),
    );
    for (const mapping of input.BlockDeviceMappings ?? []) {
      if (mapping.DeviceName === plan.image.rootDeviceName || !mapping.Ebs || mapping.NoDevice !== undefined) continue;
      volumeIds.push(
        volumes.create({
          size: mapping.Ebs.VolumeSize ?? 8,
          volumeType: mapping.Ebs.VolumeType ?? 'gp2',
          iops: mapping.Ebs.Iops,
          snapshotId: mapping.Ebs.SnapshotId,
          encrypted: mapping.Ebs.Encrypted ?? false,
          availabilityZone: zone,
          attachment: { instanceId, device: mapping.DeviceName ?? '', deleteOnTermination: mapping.Ebs.DeleteOnTermination ?? false, attachTime: launchTime },
          tags: tagsFor(input.TagSpecifications, 'volume'),
        }),
      );
    }
    const userData = input.UserData ? Buffer.from(input.UserData, 'base64').toString('utf8') : undefined;
    const profile = input.IamInstanceProfile;
    const profileName = profile?.Name ?? profile?.Arn?.split('/').pop();
    const hostname = `ip-${privateIp.replace(/\./g, '-')}`;
    const record: InstanceRecord = {
      instanceId,
      reservationId,
      imageId: plan.image.image.ImageId ?? '',
      instanceType: plan.instanceType,
      keyName: input.KeyName,
      launchTime,
      amiLaunchIndex: index,
      subnet: plan.subnet,
      privateIp,
      publicIp,
      groups: plan.groups,
      state: 'pending',
      stateTransitionReason: '',
      stateReason: { Code: 'pending', Message: 'pending' },
      clientToken: input.ClientToken,
      userData: input.UserData,
      iamInstanceProfile: profileName
        ? { Arn: profile?.Arn ?? `arn:aws:iam::${this.deps.accountId}:instance-profile/${profileName}`, Id: `AIPA${instanceId.slice(2, 19).toUpperCase()}` }
        : undefined,
      disableApiTermination: input.DisableApiTermination ?? false,
      shutdownBehavior: input.InstanceInitiatedShutdownBehavior ?? 'stop',
      ebsOptimized: input.EbsOptimized ?? false,
      monitoring: input.Monitoring?.Enabled ? 'enabled' : 'disabled',
      tenancy: input.Placement?.Tenancy ?? 'default',
      rootDeviceName: plan.image.rootDeviceName,
      volumeIds,
      networkInterfaceId: hexId('eni'),
      macAddress: `0e:${instanceId.slice(2, 12).match(/../g)?.join(':') ?? '00:00:00:00:00'}`,
      sourceDestCheck: true,
      host: this.deps.hostFactory({
        instanceId,
        addresses: publicIp ? [privateIp, publicIp] : [privateIp],
        hostname,
        authorizedKeys: input.KeyName ? [keyPairs.get(input.KeyName).publicKey] : [],
        ...(userData === undefined ? {} : { userData }),
        dataDir: join(this.deps.stateDir, 'instances', instanceId),
      }),
      booted: false,
      generation: 0,
    };
    tags.set(instanceId, tagsFor(input.TagSpecifications, 'instance'));
    tags.set(record.networkInterfaceId, tagsFor(input.TagSpecifications, 'network-interface'));
    this.instances.set(instanceId, record);
    this.scheduleBoot(record);
    return record;
  }

  private allocatePublicAddress(): string {
    for (let host = 4; host <= 254; host++) {
      const address = `${this.deps.networkPrefix}.100.${host}`;
      if (!this.usedPublicAddresses.has(address)) {
        this.usedPublicAddresses.add(address);
        return address;
      }
    }
    throw new CloudError('AddressLimitExceeded', 'The maximum number of addresses has been reached.');
  }

  // ---- life cycle ----

  private later(record: InstanceRecord, delayMs: number, step: () => void | Promise<void>): void {
    const generation = record.generation;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed || record.generation !== generation) return;
      this.track(Promise.resolve().then(step));
    }, delayMs);
    this.timers.add(timer);
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => this.deps.log(`localcloud: ${error instanceof Error ? error.message : String(error)}`));
    this.pendingWork.add(guarded);
    void guarded.finally(() => this.pendingWork.delete(guarded));
  }

  private transition(record: InstanceRecord, state: InstanceStateName): void {
    record.state = state;
    record.generation++;
  }

  private scheduleBoot(record: InstanceRecord): void {
    this.later(record, this.deps.delays.pendingMs, () => {
      this.transition(record, 'running');
      record.stateReason = undefined;
      record.stateTransitionReason = '';
      this.later(record, this.deps.delays.bootMs, async () => {
        await record.host.start();
        record.booted = true;
      });
    });
  }

  /** StopInstances for one instance; returns the state before. */
  stop(record: InstanceRecord): InstanceStateName {
    const previous = record.state;
    if (previous === 'stopping' || previous === 'stopped') return previous;
    if (previous === 'terminated' || previous === 'shutting-down') {
      throw new CloudError('IncorrectInstanceState', `This instance '${record.instanceId}' is not in a state from which it can be stopped.`);
    }
    this.transition(record, 'stopping');
    record.booted = false;
    const now = new Date();
    record.stateTransitionReason = utcReason('User initiated', now);
    record.stateReason = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
    if (record.publicIp) {
      this.usedPublicAddresses.delete(record.publicIp);
      record.publicIp = undefined;
    }
    const halted = record.host.stop();
    this.track(halted);
    this.later(record, this.deps.delays.stoppingMs, async () => {
      await halted;
      this.transition(record, 'stopped');
    });
    return previous;
  }

  start(record: InstanceRecord): InstanceStateName {
    const previous = record.state;
    if (previous === 'pending' || previous === 'running') return previous;
    if (previous !== 'stopped') {
      throw new CloudError('IncorrectInstanceState', `The instance '${record.instanceId}' is not in a state from which it can be started.`);
    }
    this.transition(record, 'pending');
    record.stateReason = { Code: 'pending', Message: 'pending' };
    record.stateTransitionReason = '';
    this.scheduleBoot(record);
    return previous;
  }

  checkTerminable(record: InstanceRecord): void {
    if (record.disableApiTermination && record.state !== 'terminated') {
      throw new CloudError(
        'OperationNotPermitted',
        `The instance '${record.instanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
      );
    }
  }

  terminate(record: InstanceRecord): InstanceStateName {
    const previous = record.state;
    if (previous === 'terminated' || previous === 'shutting-down') return previous;
    this.checkTerminable(record);
    this.transition(record, 'shutting-down');
    record.booted = false;
    record.stateTransitionReason = utcReason('User initiated', new Date());
    record.stateReason = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
    const destroyed = record.host.destroy();
    this.track(destroyed);
    this.later(record, this.deps.delays.shuttingDownMs, async () => {
      await destroyed;
      this.transition(record, 'terminated');
      record.stateReason = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
      this.deps.network.releaseAddress(record.privateIp);
      if (record.publicIp) this.usedPublicAddresses.delete(record.publicIp);
      for (const volumeId of record.volumeIds) this.deps.volumes.detachOnTermination(volumeId);
      this.later(record, this.deps.delays.terminatedVisibleMs, () => {
        this.instances.delete(record.instanceId);
        this.deps.tags.drop(record.instanceId);
      });
    });
    return previous;
  }

  reboot(record: InstanceRecord): void {
    if (record.state === 'terminated' || record.state === 'shutting-down' || record.state === 'stopped' || record.state === 'stopping') {
      throw new CloudError('IncorrectInstanceState', `The instance '${record.instanceId}' is not in a state from which it can be rebooted.`);
    }
    if (record.state !== 'running') return;
    record.generation++;
    record.booted = false;
    const halted = record.host.stop();
    this.track(halted);
    this.later(record, this.deps.delays.bootMs, async () => {
      await halted;
      await record.host.start();
      record.booted = true;
    });
  }

  /** Stops every host and timer (the cloud is shutting down). */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.pendingWork]);
    await Promise.allSettled(this.all().map((record) => record.host.destroy()));
  }

  /** Processes of all hosts (for the state file, so that `stop` can clean up after a crash). */
  hostPids(): number[] {
    return this.all().flatMap((record) => record.host.pids());
  }

  // ---- API shapes ----

  privateDnsName(address: string): string {
    const host = `ip-${address.replace(/\./g, '-')}`;
    return this.deps.region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${this.deps.region}.compute.internal`;
  }

  publicDnsName(address: string): string {
    const domain = this.deps.region === 'us-east-1' ? 'compute-1.amazonaws.com' : `${this.deps.region}.compute.amazonaws.com`;
    return `ec2-${address.replace(/\./g, '-')}.${domain}`;
  }

  describe(record: InstanceRecord): Instance {
    const { tags, volumes } = this.deps;
    const terminated = record.state === 'terminated';
    const privateDnsName = terminated ? '' : this.privateDnsName(record.privateIp);
    const publicDnsName = record.publicIp ? this.publicDnsName(record.publicIp) : '';
    return {
      InstanceId: record.instanceId,
      ImageId: record.imageId,
      State: { Code: STATE_CODES[record.state], Name: record.state },
      PrivateDnsName: privateDnsName,
      PublicDnsName: publicDnsName,
      StateTransitionReason: record.stateTransitionReason,
      KeyName: record.keyName,
      AmiLaunchIndex: record.amiLaunchIndex,
      ProductCodes: [],
      InstanceType: record.instanceType as Instance['InstanceType'],
      LaunchTime: record.launchTime,
      Placement: { AvailabilityZone: record.subnet.availabilityZone, GroupName: '', Tenancy: record.tenancy as 'default' },
      Monitoring: { State: record.monitoring },
      SubnetId: terminated ? undefined : record.subnet.subnetId,
      VpcId: terminated ? undefined : record.subnet.vpcId,
      PrivateIpAddress: terminated ? undefined : record.privateIp,
      PublicIpAddress: record.publicIp,
      Architecture: 'x86_64',
      RootDeviceType: 'ebs',
      RootDeviceName: record.rootDeviceName,
      BlockDeviceMappings: terminated ? [] : volumes.mappingsOf(record.volumeIds),
      VirtualizationType: 'hvm',
      ClientToken: record.clientToken ?? '',
      Tags: tags.listOrUndefined(record.instanceId),
      SecurityGroups: terminated ? [] : record.groups,
      SourceDestCheck: record.sourceDestCheck,
      Hypervisor: 'xen',
      IamInstanceProfile: record.iamInstanceProfile,
      NetworkInterfaces: terminated
        ? []
        : [
            {
              NetworkInterfaceId: record.networkInterfaceId,
              SubnetId: record.subnet.subnetId,
              VpcId: record.subnet.vpcId,
              Description: '',
              OwnerId: this.deps.accountId,
              Status: 'in-use',
              MacAddress: record.macAddress,
              PrivateIpAddress: record.privateIp,
              PrivateDnsName: privateDnsName,
              SourceDestCheck: record.sourceDestCheck,
              Groups: record.groups,
              Attachment: {
                AttachmentId: `eni-attach-${record.networkInterfaceId.slice(4)}`,
                DeviceIndex: 0,
                Status: 'attached',
                AttachTime: record.launchTime,
                DeleteOnTermination: true,
                NetworkCardIndex: 0,
              },
              Association: record.publicIp
                ? { PublicIp: record.publicIp, PublicDnsName: publicDnsName, IpOwnerId: 'amazon' }
                : undefined,
              PrivateIpAddresses: [
                {
                  Primary: true,
                  PrivateIpAddress: record.privateIp,
                  PrivateDnsName: privateDnsName,
                  Association: record.publicIp ? { PublicIp: record.publicIp, PublicDnsName: publicDnsName, IpOwnerId: 'amazon' } : undefined,
                },
              ],
              Ipv6Addresses: [],
              InterfaceType: 'interface',
            },
          ],
      EbsOptimized: record.ebsOptimized,
      EnaSupport: true,
      StateReason: record.stateReason,
      CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
      CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
      HibernationOptions: { Configured: false },
      MetadataOptions: {
        State: 'applied',
        HttpTokens: 'required',
        HttpPutResponseHopLimit: 2,
        HttpEndpoint: 'enabled',
        HttpProtocolIpv6: 'disabled',
        InstanceMetadataTags: 'disabled',
      },
      EnclaveOptions: { Enabled: false },
      BootMode: 'uefi-preferred',
      PlatformDetails: 'Linux/UNIX',
      UsageOperation: 'RunInstances',
      UsageOperationUpdateTime: record.launchTime,
      PrivateDnsNameOptions: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
      MaintenanceOptions: { AutoRecovery: 'default' },
      CurrentInstanceBootMode: 'legacy-bios',
    };
  }

  describeReservation(reservation: ReservationRecord, instances: InstanceRecord[]): Reservation {
    return {
      ReservationId: reservation.reservationId,
      OwnerId: this.deps.accountId,
      Groups: [],
      Instances: instances.map((record) => this.describe(record)),
    };
  }
}

export function dryRun(): CloudError {
  return new CloudError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
}
