// Hosted zones and their record sets. A change batch is checked as a whole against a copy
// of the zone and applied only when every change is valid, as Route 53 does.
import type { Change, ChangeInfo, HostedZone, ResourceRecordSet, Tag, VPC } from '@aws-sdk/client-route-53';
import { CloudError } from '../protocol/cloud-error.js';
import { upperId } from '../protocol/ids.js';
import { compareNames, isValidDomainName, isWithinZone, normalizeName } from './dns-names.js';
import { RECORD_TYPES, invalidValue } from './record-values.js';

export interface ZoneRecord {
  id: string;
  name: string;
  callerReference: string;
  comment: string | undefined;
  privateZone: boolean;
  vpcs: VPC[];
  nameServers: string[];
  /** key: name|type|setIdentifier */
  records: Map<string, ResourceRecordSet>;
  tags: Map<string, string>;
}

interface ChangeRecord {
  id: string;
  submittedAt: Date;
  comment: string | undefined;
  insyncAt: number;
}

function recordKey(name: string, type: string, setIdentifier: string | undefined): string {
  return `${name}|${type}|${setIdentifier ?? ''}`;
}

function describeSet(set: ResourceRecordSet): string {
  const identifier = set.SetIdentifier === undefined ? '' : `, set-identifier='${set.SetIdentifier}'`;
  return `[name='${set.Name}', type='${set.Type}'${identifier}]`;
}

function sameValues(a: ResourceRecordSet, b: ResourceRecordSet): boolean {
  const values = (set: ResourceRecordSet) => (set.ResourceRecords ?? []).map((r) => r.Value).sort();
  const alias = (set: ResourceRecordSet) =>
    set.AliasTarget ? [set.AliasTarget.HostedZoneId, normalizeName(set.AliasTarget.DNSName ?? ''), Boolean(set.AliasTarget.EvaluateTargetHealth)] : [];
  return (
    JSON.stringify(values(a)) === JSON.stringify(values(b)) &&
    JSON.stringify(alias(a)) === JSON.stringify(alias(b)) &&
    (a.TTL ?? null) === (b.TTL ?? null) &&
    (a.Weight ?? null) === (b.Weight ?? null)
  );
}

export function compareRecordSets(a: ResourceRecordSet, b: ResourceRecordSet): number {
  return (
    compareNames(a.Name ?? '', b.Name ?? '') ||
    (a.Type ?? '').localeCompare(b.Type ?? '') ||
    (a.SetIdentifier ?? '').localeCompare(b.SetIdentifier ?? '')
  );
}

export interface ZonesSettings {
  region: string;
  syncDelayMs: number;
  vpcExists: (vpcId: string) => boolean;
}

export class HostedZones {
  private readonly zones = new Map<string, ZoneRecord>();
  private readonly changes = new Map<string, ChangeRecord>();

  constructor(private readonly settings: ZonesSettings) {}

  all(): ZoneRecord[] {
    return [...this.zones.values()];
  }

  get(zoneId: string): ZoneRecord {
    const id = zoneId.replace(/^\/?hostedzone\//, '');
    const zone = this.zones.get(id);
    if (!zone) throw new CloudError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`);
    return zone;
  }

  create(input: {
    name: string;
    callerReference: string;
    comment: string | undefined;
    privateZone: boolean;
    vpc: VPC | undefined;
  }): { zone: ZoneRecord; change: ChangeInfo } {
    if (!isValidDomainName(input.name)) throw new CloudError('InvalidDomainName', `${input.name} is not a valid domain name.`);
    if (this.all().some((z) => z.callerReference === input.callerReference)) {
      throw new CloudError('HostedZoneAlreadyExists', `A hosted zone has already been created with the specified caller reference.`);
    }
    if (input.privateZone && !input.vpc?.VPCId) {
      throw new CloudError(
        'InvalidInput',
        "When you're creating a private hosted zone (when you specify true for PrivateZone), you must also specify values for VPCId and VPCRegion.",
      );
    }
    const name = normalizeName(input.name);
    if (input.vpc?.VPCId) {
      if (!this.settings.vpcExists(input.vpc.VPCId)) throw new CloudError('InvalidVPCId', `The VPC ID '${input.vpc.VPCId}' is not valid.`);
      const clash = this.all().find((z) => z.name === name && z.vpcs.some((v) => v.VPCId === input.vpc?.VPCId));
      if (clash) {
        throw new CloudError('ConflictingDomainExists', `The VPC ${input.vpc.VPCId} is already associated with a hosted zone named ${name}`);
      }
    }
    const id = upperId('Z', 20);
    const serial = Math.floor(Math.random() * 1000);
    const nameServers = [`ns-${serial}.awsdns-${serial % 64}.com.`, `ns-${serial + 1}.awsdns-${serial % 64}.net.`, `ns-${serial + 2}.awsdns-${serial % 64}.org.`, `ns-${serial + 3}.awsdns-${serial % 64}.co.uk.`];
    const zone: ZoneRecord = {
      id,
      name,
      callerReference: input.callerReference,
      comment: input.comment,
      privateZone: input.vpc !== undefined,
      vpcs: input.vpc ? [{ VPCRegion: input.vpc.VPCRegion ?? (this.settings.region as VPC['VPCRegion']), VPCId: input.vpc.VPCId }] : [],
      nameServers,
      records: new Map(),
      tags: new Map(),
    };
    zone.records.set(recordKey(name, 'NS', undefined), {
      Name: name,
      Type: 'NS',
      TTL: 172800,
      ResourceRecords: nameServers.map((Value) => ({ Value })),
    });
    zone.records.set(recordKey(name, 'SOA', undefined), {
      Name: name,
      Type: 'SOA',
      TTL: 900,
      ResourceRecords: [{ Value: `${nameServers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400` }],
    });
    this.zones.set(id, zone);
    return { zone, change: this.newChange(undefined) };
  }

  delete(zoneId: string): ChangeInfo {
    const zone = this.get(zoneId);
    const extra = [...zone.records.values()].some((set) => !(set.Name === zone.name && (set.Type === 'NS' || set.Type === 'SOA')));
    if (extra) {
      throw new CloudError('HostedZoneNotEmpty', 'The specified hosted zone contains non-required resource record sets and so cannot be deleted.');
    }
    this.zones.delete(zone.id);
    return this.newChange(undefined);
  }

  describe(zone: ZoneRecord): HostedZone {
    return {
      Id: `/hostedzone/${zone.id}`,
      Name: zone.name,
      CallerReference: zone.callerReference,
      Config: { Comment: zone.comment, PrivateZone: zone.privateZone },
      ResourceRecordSetCount: zone.records.size,
    };
  }

  sortedRecords(zone: ZoneRecord): ResourceRecordSet[] {
    return [...zone.records.values()].sort(compareRecordSets);
  }

  tagsOf(zone: ZoneRecord): Tag[] {
    return [...zone.tags].map(([Key, Value]) => ({ Key, Value }));
  }

  change(zoneId: string, changes: Change[] | undefined, comment: string | undefined): ChangeInfo {
    const zone = this.get(zoneId);
    if (!changes || changes.length === 0) {
      throw new CloudError(
        'InvalidInput',
        "1 validation error detected: Value null at 'changeBatch.changes' failed to satisfy constraint: Member must not be null",
      );
    }
    const working = new Map(zone.records);
    const messages: string[] = [];
    const touched = new Set<string>();
    changes.forEach((change, index) => {
      const raw = change.ResourceRecordSet;
      if (!change.Action || !['CREATE', 'DELETE', 'UPSERT'].includes(change.Action)) {
        throw new CloudError(
          'InvalidInput',
          `1 validation error detected: Value '${change.Action}' at 'changeBatch.changes.${index + 1}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [CREATE, UPSERT, DELETE]`,
        );
      }
      if (!raw?.Name || !raw.Type) {
        throw new CloudError('InvalidInput', `Invalid request: Missing field 'Name' or 'Type' in Change ${index + 1}`);
      }
      if (!RECORD_TYPES.includes(raw.Type)) {
        throw new CloudError(
          'InvalidInput',
          `1 validation error detected: Value '${raw.Type}' at 'changeBatch.changes.${index + 1}.member.resourceRecordSet.type' failed to satisfy constraint: Member must satisfy enum value set: [${RECORD_TYPES.join(', ')}]`,
        );
      }
      const set: ResourceRecordSet = {
        ...raw,
        Name: normalizeName(raw.Name),
        ...(raw.AliasTarget ? { AliasTarget: { ...raw.AliasTarget, DNSName: normalizeName(raw.AliasTarget.DNSName ?? '') } } : {}),
      };
      const describeChange = `[Action=${change.Action}, Name=${set.Name}, Type=${set.Type}, SetIdentifier=${set.SetIdentifier ?? 'null'}]`;
      const hasValues = set.TTL !== undefined || (set.ResourceRecords?.length ?? 0) > 0;
      if (set.AliasTarget ? hasValues : set.TTL === undefined || !set.ResourceRecords?.length) {
        throw new CloudError(
          'InvalidInput',
          `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${set.AliasTarget ? 'more than one' : 'none'} in Change with ${describeChange}`,
        );
      }
      const routed = set.Weight !== undefined || set.Region !== undefined || set.Failover !== undefined || set.GeoLocation !== undefined || set.MultiValueAnswer !== undefined;
      if (routed && set.SetIdentifier === undefined) {
        throw new CloudError('InvalidInput', `Invalid request: Missing field 'SetIdentifier' in Change with ${describeChange}`);
      }
      if (!routed && set.SetIdentifier !== undefined) {
        throw new CloudError('InvalidInput', `Invalid request: Missing field 'Weight' in Change with ${describeChange}`);
      }
      const name = set.Name as string;
      const type = set.Type as string;
      const key = recordKey(name, type, set.SetIdentifier);
      if (touched.has(key)) {
        messages.push(`The request contains an invalid set of changes for a resource record set '${type} ${name}'`);
        return;
      }
      touched.add(key);
      if (!isWithinZone(name, zone.name)) {
        messages.push(`RRSet with DNS name ${name} is not permitted in zone ${zone.name}`);
        return;
      }
      for (const record of set.ResourceRecords ?? []) {
        const problem = invalidValue(type, record.Value ?? '');
        if (problem) messages.push(problem);
      }
      if (type === 'CNAME' && (set.ResourceRecords?.length ?? 0) > 1) {
        messages.push(`RRSet of type CNAME with DNS name ${name} has more than one resource record`);
      }
      const existing = working.get(key);
      const apexRequired = name === zone.name && (type === 'SOA' || type === 'NS');
      switch (change.Action) {
        case 'CREATE':
          if (existing) {
            messages.push(`Tried to create resource record set ${describeSet(set)} but it already exists`);
            return;
          }
          break;
        case 'DELETE':
          if (!existing) {
            messages.push(`Tried to delete resource record set ${describeSet(set)} but it was not found`);
          } else if (!sameValues(existing, set)) {
            messages.push(`Tried to delete resource record set ${describeSet(set)} but the values provided do not match the current values`);
          } else if (apexRequired) {
            messages.push(type === 'SOA' ? 'A HostedZone must contain exactly one SOA record.' : 'A HostedZone must contain at least one NS record for the zone itself.');
          } else {
            working.delete(key);
          }
          return;
        default:
          break;
      }
      if (type === 'CNAME' && name === zone.name) {
        messages.push(`RRSet of type CNAME with DNS name ${name} is not permitted at apex in zone ${zone.name}`);
        return;
      }
      for (const other of working.values()) {
        if (other.Name !== name || other.Type === type) continue;
        if (type === 'CNAME' || other.Type === 'CNAME') {
          messages.push(
            `RRSet of type ${type} with DNS name ${name} is not permitted because a conflicting RRSet of type ${other.Type} with the same DNS name already exists in zone ${zone.name}`,
          );
          return;
        }
      }
      const sameNameType = [...working.values()].filter((other) => other.Name === name && other.Type === type && recordKey(name, type, other.SetIdentifier) !== key);
      if (sameNameType.some((other) => (other.SetIdentifier === undefined) !== (set.SetIdentifier === undefined))) {
        messages.push(
          set.SetIdentifier === undefined
            ? `RRSet with DNS name ${name}, type ${type} cannot be created because a weighted or other routing set exists with the same name and type.`
            : `RRSet with DNS name ${name}, type ${type}, SetIdentifier ${set.SetIdentifier} cannot be created as a non-weighted set exists with the same name and type.`,
        );
        return;
      }
      working.set(key, set);
    });
    if (messages.length > 0) throw new CloudError('InvalidChangeBatch', `[${messages.join(', ')}]`);
    zone.records.clear();
    for (const [key, set] of working) zone.records.set(key, set);
    return this.newChange(comment);
  }

  getChange(changeId: string): ChangeInfo {
    const id = changeId.replace(/^\/?change\//, '');
    const change = this.changes.get(id);
    if (!change) throw new CloudError('NoSuchChange', `A change with the specified change ID does not exist.`);
    return this.describeChange(change);
  }

  /** A change that only records that something happened (VPC associations). */
  recordChange(comment: string | undefined): ChangeInfo {
    return this.newChange(comment);
  }

  private newChange(comment: string | undefined): ChangeInfo {
    const change: ChangeRecord = {
      id: upperId('C', 20),
      submittedAt: new Date(),
      comment,
      insyncAt: Date.now() + this.settings.syncDelayMs,
    };
    this.changes.set(change.id, change);
    return this.describeChange(change);
  }

  private describeChange(change: ChangeRecord): ChangeInfo {
    return {
      Id: `/change/${change.id}`,
      Status: Date.now() >= change.insyncAt ? 'INSYNC' : 'PENDING',
      SubmittedAt: change.submittedAt,
      Comment: change.comment,
    };
  }
}
