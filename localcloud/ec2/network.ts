// The default VPC, its two subnets (one per availability zone) and security groups. The
// VPC's CIDR is a loopback /16 so that a private IP is an address this machine answers on.
import type { IpPermission, SecurityGroup, Subnet, Vpc } from '@aws-sdk/client-ec2';
import { CloudError } from '../protocol/cloud-error.js';
import { hexId } from '../protocol/ids.js';
import type { TagStore } from './tags.js';

export interface SubnetRecord {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  availabilityZoneId: string;
  /** e.g. "127.0.1" */
  prefix: string;
  cidr: string;
  mapPublicIpOnLaunch: boolean;
  defaultForAz: boolean;
}

export interface VpcRecord {
  vpcId: string;
  cidr: string;
  isDefault: boolean;
}

export interface SecurityGroupRecord {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ingress: IpPermission[];
  egress: IpPermission[];
}

/**
 * The default network has fixed ids, so that an inventory written once (inventory/local)
 * names the same subnets and security group on every start, as LocalStack users expect.
 */
export const DEFAULT_VPC_ID = 'vpc-00000000000000001';
export const DEFAULT_SUBNET_IDS = ['subnet-0000000000000000a', 'subnet-0000000000000000b'] as const;
export const DEFAULT_SECURITY_GROUP_ID = 'sg-00000000000000001';

/** Host part of the first and last usable address of a /24 (AWS reserves .0-.3 and .255). */
const FIRST_HOST = 4;
const LAST_HOST = 254;

export class Network {
  readonly vpcs = new Map<string, VpcRecord>();
  readonly subnets = new Map<string, SubnetRecord>();
  readonly securityGroups = new Map<string, SecurityGroupRecord>();
  private readonly usedAddresses = new Set<string>();
  readonly defaultVpc: VpcRecord;

  constructor(
    readonly region: string,
    readonly accountId: string,
    networkPrefix: string,
    private readonly tags: TagStore,
  ) {
    this.defaultVpc = { vpcId: DEFAULT_VPC_ID, cidr: `${networkPrefix}.0.0/16`, isDefault: true };
    this.vpcs.set(this.defaultVpc.vpcId, this.defaultVpc);
    ['a', 'b'].forEach((zoneLetter, i) => {
      const subnet: SubnetRecord = {
        subnetId: DEFAULT_SUBNET_IDS[i] ?? hexId('subnet'),
        vpcId: this.defaultVpc.vpcId,
        availabilityZone: `${region}${zoneLetter}`,
        availabilityZoneId: `${region}-az${i + 1}`,
        prefix: `${networkPrefix}.${i + 1}`,
        cidr: `${networkPrefix}.${i + 1}.0/24`,
        // Loopback has no public side: instances get a public IP only when asked for one.
        mapPublicIpOnLaunch: false,
        defaultForAz: true,
      };
      this.subnets.set(subnet.subnetId, subnet);
    });
    const defaultGroup = this.createSecurityGroup('default', 'default VPC security group', this.defaultVpc.vpcId, DEFAULT_SECURITY_GROUP_ID);
    defaultGroup.ingress.push({ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: defaultGroup.groupId, UserId: accountId }] });
  }

  get defaultSubnets(): SubnetRecord[] {
    return [...this.subnets.values()].filter((s) => s.defaultForAz);
  }

  subnet(subnetId: string): SubnetRecord {
    const subnet = this.subnets.get(subnetId);
    if (!subnet) throw new CloudError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
    return subnet;
  }

  subnetInZone(zone: string): SubnetRecord {
    const subnet = this.defaultSubnets.find((s) => s.availabilityZone === zone);
    if (!subnet) {
      throw new CloudError('InvalidParameterValue', `Invalid availability zone: [${zone}]`);
    }
    return subnet;
  }

  subnetOfAddress(address: string): SubnetRecord | undefined {
    return [...this.subnets.values()].find((s) => address.startsWith(`${s.prefix}.`));
  }

  /** Takes a free address in the subnet, or the requested one when it is free and inside it. */
  allocateAddress(subnet: SubnetRecord, requested?: string): string {
    if (requested !== undefined) {
      const host = Number(requested.slice(subnet.prefix.length + 1));
      if (!requested.startsWith(`${subnet.prefix}.`) || !Number.isInteger(host) || host < FIRST_HOST || host > LAST_HOST) {
        throw new CloudError('InvalidParameterValue', `Address does not fall within the subnet's address range`);
      }
      if (this.usedAddresses.has(requested)) throw new CloudError('InvalidIPAddress.InUse', `Address ${requested} is in use.`);
      this.usedAddresses.add(requested);
      return requested;
    }
    for (let host = FIRST_HOST; host <= LAST_HOST; host++) {
      const address = `${subnet.prefix}.${host}`;
      if (!this.usedAddresses.has(address)) {
        this.usedAddresses.add(address);
        return address;
      }
    }
    throw new CloudError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnet.subnetId}' to satisfy the requested number of instances.`);
  }

  releaseAddress(address: string): void {
    this.usedAddresses.delete(address);
  }

  freeAddressCount(subnet: SubnetRecord): number {
    let used = 0;
    for (const address of this.usedAddresses) if (address.startsWith(`${subnet.prefix}.`)) used++;
    return LAST_HOST - FIRST_HOST + 1 - used;
  }

  createSecurityGroup(groupName: string, description: string, vpcId: string, groupId = hexId('sg')): SecurityGroupRecord {
    if (!this.vpcs.has(vpcId)) throw new CloudError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
    for (const group of this.securityGroups.values()) {
      if (group.vpcId === vpcId && group.groupName === groupName) {
        throw new CloudError('InvalidGroup.Duplicate', `The security group '${groupName}' already exists for VPC '${vpcId}'`);
      }
    }
    const group: SecurityGroupRecord = {
      groupId,
      groupName,
      description,
      vpcId,
      ingress: [],
      egress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    };
    this.securityGroups.set(group.groupId, group);
    return group;
  }

  securityGroup(groupId: string): SecurityGroupRecord {
    const group = this.securityGroups.get(groupId);
    if (!group) throw new CloudError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
    return group;
  }

  securityGroupByName(groupName: string, vpcId = this.defaultVpc.vpcId): SecurityGroupRecord {
    const group = [...this.securityGroups.values()].find((g) => g.groupName === groupName && g.vpcId === vpcId);
    if (!group) {
      throw new CloudError('InvalidGroup.NotFound', `The security group '${groupName}' does not exist in default VPC '${vpcId}'`);
    }
    return group;
  }

  describeVpc(vpc: VpcRecord): Vpc {
    return {
      VpcId: vpc.vpcId,
      CidrBlock: vpc.cidr,
      State: 'available',
      DhcpOptionsId: 'dopt-00000000',
      InstanceTenancy: 'default',
      IsDefault: vpc.isDefault,
      OwnerId: this.accountId,
      CidrBlockAssociationSet: [{ AssociationId: `vpc-cidr-assoc-${vpc.vpcId.slice(4)}`, CidrBlock: vpc.cidr, CidrBlockState: { State: 'associated' } }],
      Tags: this.tags.listOrUndefined(vpc.vpcId),
    };
  }

  describeSubnet(subnet: SubnetRecord): Subnet {
    return {
      SubnetId: subnet.subnetId,
      SubnetArn: `arn:aws:ec2:${this.region}:${this.accountId}:subnet/${subnet.subnetId}`,
      VpcId: subnet.vpcId,
      CidrBlock: subnet.cidr,
      AvailabilityZone: subnet.availabilityZone,
      AvailabilityZoneId: subnet.availabilityZoneId,
      AvailableIpAddressCount: this.freeAddressCount(subnet),
      DefaultForAz: subnet.defaultForAz,
      MapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
      State: 'available',
      OwnerId: this.accountId,
      AssignIpv6AddressOnCreation: false,
      Ipv6CidrBlockAssociationSet: [],
      Tags: this.tags.listOrUndefined(subnet.subnetId),
    };
  }

  describeSecurityGroup(group: SecurityGroupRecord): SecurityGroup {
    return {
      GroupId: group.groupId,
      GroupName: group.groupName,
      Description: group.description,
      VpcId: group.vpcId,
      OwnerId: this.accountId,
      IpPermissions: group.ingress,
      IpPermissionsEgress: group.egress,
      SecurityGroupArn: `arn:aws:ec2:${this.region}:${this.accountId}:security-group/${group.groupId}`,
      Tags: this.tags.listOrUndefined(group.groupId),
    };
  }
}
