// The Route 53 REST-XML API (2013-04-01) over the local hosted zones.
import * as route53Client from '@aws-sdk/client-route-53';
import type {
  AssociateVPCWithHostedZoneRequest,
  ChangeResourceRecordSetsRequest,
  ChangeTagsForResourceRequest,
  CreateHostedZoneRequest,
  DeleteHostedZoneRequest,
  DisassociateVPCFromHostedZoneRequest,
  GetChangeRequest,
  GetHostedZoneRequest,
  ListHostedZonesByNameRequest,
  ListHostedZonesByVPCRequest,
  ListHostedZonesRequest,
  ListResourceRecordSetsRequest,
  ListTagsForResourceRequest,
  UpdateHostedZoneCommentRequest,
  VPC,
} from '@aws-sdk/client-route-53';
import { CloudError } from '../protocol/cloud-error.js';
import { operationsOf } from '../protocol/schema.js';
import { type RestXmlService, errorStatusesOf } from '../protocol/service.js';
import { compareNames, normalizeName } from './dns-names.js';
import { type HostedZones, type ZoneRecord, compareRecordSets } from './zones.js';

const clientModule = route53Client as unknown as Record<string, unknown>;

function maxItems(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new CloudError('InvalidInput', `Invalid value for MaxItems: ${value}`);
  return Math.min(value, fallback);
}

export function route53Service(zones: HostedZones, region: string): RestXmlService {
  const delegationSet = (zone: ZoneRecord) => (zone.privateZone ? undefined : { NameServers: zone.nameServers.map((ns) => ns.replace(/\.$/, '')) });

  const handlers = {
    CreateHostedZone: (input: CreateHostedZoneRequest) => {
      if (!input.Name) throw new CloudError('InvalidInput', 'Invalid request: Missing field Name');
      if (!input.CallerReference) throw new CloudError('InvalidInput', 'Invalid request: Missing field CallerReference');
      const privateZone = input.HostedZoneConfig?.PrivateZone ?? input.VPC !== undefined;
      const { zone, change } = zones.create({
        name: input.Name,
        callerReference: input.CallerReference,
        comment: input.HostedZoneConfig?.Comment,
        privateZone,
        vpc: privateZone ? (input.VPC ?? {}) : undefined,
      });
      return {
        HostedZone: zones.describe(zone),
        ChangeInfo: change,
        DelegationSet: delegationSet(zone),
        VPC: zone.vpcs[0],
        Location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${zone.id}`,
      };
    },

    GetHostedZone: (input: GetHostedZoneRequest) => {
      const zone = zones.get(input.Id ?? '');
      return { HostedZone: zones.describe(zone), DelegationSet: delegationSet(zone), VPCs: zone.privateZone ? zone.vpcs : undefined };
    },

    GetHostedZoneCount: () => ({ HostedZoneCount: zones.all().length }),

    DeleteHostedZone: (input: DeleteHostedZoneRequest) => ({ ChangeInfo: zones.delete(input.Id ?? '') }),

    UpdateHostedZoneComment: (input: UpdateHostedZoneCommentRequest) => {
      const zone = zones.get(input.Id ?? '');
      zone.comment = input.Comment;
      return { HostedZone: zones.describe(zone) };
    },

    ListHostedZones: (input: ListHostedZonesRequest) => {
      const limit = maxItems(input.MaxItems, 100);
      let all = zones.all();
      if (input.HostedZoneType === 'PrivateHostedZone') all = all.filter((z) => z.privateZone);
      let start = 0;
      if (input.Marker) {
        start = all.findIndex((z) => z.id === input.Marker);
        if (start === -1) throw new CloudError('InvalidInput', `Invalid marker: ${input.Marker}`);
      }
      const page = all.slice(start, start + limit);
      const next = all[start + limit];
      return {
        HostedZones: page.map((z) => zones.describe(z)),
        Marker: input.Marker,
        IsTruncated: next !== undefined,
        NextMarker: next?.id,
        MaxItems: limit,
      };
    },

    ListHostedZonesByName: (input: ListHostedZonesByNameRequest) => {
      if (input.HostedZoneId && !input.DNSName) {
        throw new CloudError('InvalidInput', 'The input is not valid: HostedZoneId requires DNSName');
      }
      const limit = maxItems(input.MaxItems, 100);
      const sorted = zones.all().sort((a, b) => compareNames(a.name, b.name) || a.id.localeCompare(b.id));
      let start = 0;
      if (input.DNSName) {
        const name = normalizeName(input.DNSName);
        start = sorted.findIndex(
          (z) => compareNames(z.name, name) > 0 || (compareNames(z.name, name) === 0 && (!input.HostedZoneId || z.id >= input.HostedZoneId)),
        );
        if (start === -1) start = sorted.length;
      }
      const page = sorted.slice(start, start + limit);
      const next = sorted[start + limit];
      return {
        HostedZones: page.map((z) => zones.describe(z)),
        DNSName: input.DNSName,
        HostedZoneId: input.HostedZoneId,
        IsTruncated: next !== undefined,
        NextDNSName: next?.name,
        NextHostedZoneId: next?.id,
        MaxItems: limit,
      };
    },

    ListHostedZonesByVPC: (input: ListHostedZonesByVPCRequest) => ({
      HostedZoneSummaries: zones
        .all()
        .filter((z) => z.vpcs.some((v) => v.VPCId === input.VPCId))
        .map((z) => ({ HostedZoneId: z.id, Name: z.name, Owner: { OwningAccount: '000000000000' } })),
      MaxItems: maxItems(input.MaxItems, 100),
    }),

    AssociateVPCWithHostedZone: (input: AssociateVPCWithHostedZoneRequest) => {
      const zone = zones.get(input.HostedZoneId ?? '');
      if (!zone.privateZone) throw new CloudError('PublicZoneVPCAssociation', 'Public hosted zones cannot be associated with a VPC.');
      const vpcId = input.VPC?.VPCId ?? '';
      if (zone.vpcs.some((v) => v.VPCId === vpcId)) {
        throw new CloudError('ConflictingDomainExists', `The VPC ${vpcId} is already associated with the hosted zone ${zone.id}`);
      }
      zone.vpcs.push({ VPCId: vpcId, VPCRegion: (input.VPC?.VPCRegion ?? region) as VPC['VPCRegion'] });
      return { ChangeInfo: zones.recordChange(input.Comment) };
    },

    DisassociateVPCFromHostedZone: (input: DisassociateVPCFromHostedZoneRequest) => {
      const zone = zones.get(input.HostedZoneId ?? '');
      const vpcId = input.VPC?.VPCId ?? '';
      if (!zone.vpcs.some((v) => v.VPCId === vpcId)) throw new CloudError('VPCAssociationNotFound', `The VPC ${vpcId} is not associated with the hosted zone ${zone.id}`);
      if (zone.vpcs.length === 1) throw new CloudError('LastVPCAssociation', 'The VPC that you are trying to disassociate from the private hosted zone is the last VPC that is associated with the hosted zone.');
      zone.vpcs = zone.vpcs.filter((v) => v.VPCId !== vpcId);
      return { ChangeInfo: zones.recordChange(input.Comment) };
    },

    ChangeResourceRecordSets: (input: ChangeResourceRecordSetsRequest) => ({
      ChangeInfo: zones.change(input.HostedZoneId ?? '', input.ChangeBatch?.Changes, input.ChangeBatch?.Comment),
    }),

    ListResourceRecordSets: (input: ListResourceRecordSetsRequest) => {
      const zone = zones.get(input.HostedZoneId ?? '');
      if (input.StartRecordType && !input.StartRecordName) {
        throw new CloudError('InvalidInput', 'The input is not valid: StartRecordType requires StartRecordName');
      }
      if (input.StartRecordIdentifier && !input.StartRecordType) {
        throw new CloudError('InvalidInput', 'The input is not valid: StartRecordIdentifier requires StartRecordType');
      }
      const limit = maxItems(input.MaxItems, 300);
      const sorted = zones.sortedRecords(zone);
      let start = 0;
      if (input.StartRecordName) {
        const from = { Name: normalizeName(input.StartRecordName), Type: input.StartRecordType ?? '', SetIdentifier: input.StartRecordIdentifier ?? '' };
        start = sorted.findIndex((set) => compareRecordSets(set, from as never) >= 0);
        if (start === -1) start = sorted.length;
      }
      const page = sorted.slice(start, start + limit);
      const next = sorted[start + limit];
      return {
        ResourceRecordSets: page,
        IsTruncated: next !== undefined,
        NextRecordName: next?.Name,
        NextRecordType: next?.Type,
        NextRecordIdentifier: next?.SetIdentifier,
        MaxItems: limit,
      };
    },

    GetChange: (input: GetChangeRequest) => ({ ChangeInfo: zones.getChange(input.Id ?? '') }),

    ListTagsForResource: (input: ListTagsForResourceRequest) => {
      const zone = zones.get(input.ResourceId ?? '');
      return { ResourceTagSet: { ResourceType: 'hostedzone', ResourceId: zone.id, Tags: zones.tagsOf(zone) } };
    },

    ChangeTagsForResource: (input: ChangeTagsForResourceRequest) => {
      const zone = zones.get(input.ResourceId ?? '');
      for (const tag of input.AddTags ?? []) if (tag.Key) zone.tags.set(tag.Key, tag.Value ?? '');
      for (const key of input.RemoveTagKeys ?? []) zone.tags.delete(key);
      return {};
    },
  };

  return {
    protocol: 'restXml',
    signingName: 'route53',
    pathPrefix: '/2013-04-01/',
    namespace: 'https://route53.amazonaws.com/doc/2013-04-01/',
    operations: operationsOf(clientModule),
    handlers,
    errorStatus: errorStatusesOf(clientModule),
  };
}
