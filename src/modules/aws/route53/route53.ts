// amazon.aws.route53 (route53, community.aws.route53): create, replace, delete or read one
// record set of a hosted zone found by name (public or private, optionally by VPC) or id.
// Returns a diff (before/after records) for changes, and `set` and `nameservers` for get.
// In check mode nothing is sent, and the diff shows the change that would be made.
import {
  type Change,
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ModuleDefinition, ModuleFailure, type ModuleResult } from '../../module.js';
import { awsFailure, isAwsErrorCode, isAwsErrorMessage, send } from '../aws-call.js';
import { AwsSession } from '../clients.js';
import type { AwsConnectionArgs } from '../connection-args.js';
import { pollUntil } from '../poll.js';
import { camelDictToSnakeDict } from '../snake-case.js';
import { cleanRecord, decodeRecordName, formatRecord } from './record-format.js';
import { route53Spec } from './route53.spec.js';

export interface Route53Args extends Omit<AwsConnectionArgs, 'region'> {
  state: 'absent' | 'create' | 'delete' | 'get' | 'present';
  zone?: string | null;
  hosted_zone_id?: string | null;
  record: string;
  ttl?: number | null;
  type: string;
  alias?: boolean | null;
  alias_hosted_zone_id?: string | null;
  alias_evaluate_target_health?: boolean | null;
  value?: string[] | null;
  overwrite?: boolean | null;
  retry_interval?: number | null;
  private_zone?: boolean | null;
  identifier?: string | null;
  weight?: number | null;
  /** The record's latency-routing region (Route 53 itself is global). */
  region?: string | null;
  geo_location?: { continent_code?: string | null; country_code?: string | null; subdivision_code?: string | null } | null;
  health_check?: string | null;
  failover?: string | null;
  vpc_id?: string | null;
  wait?: boolean | null;
  wait_timeout?: number | null;
}


/** Route 53 refuses a change while the previous one on the zone is still being applied. */
const PRIOR_REQUEST_ATTEMPTS = 10;

function absolute(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

async function listHostedZones(route53: Route53Client, signal: AbortSignal) {
  const zones = [];
  let marker: string | undefined;
  do {
    const page = await send(route53, new ListHostedZonesCommand(marker ? { Marker: marker } : {}), signal);
    zones.push(...(page.HostedZones ?? []));
    marker = page.IsTruncated ? page.NextMarker : undefined;
  } while (marker);
  return zones;
}

async function findZoneId(route53: Route53Client, zoneName: string, wantPrivate: boolean, vpcId: string | undefined, signal: AbortSignal): Promise<string | undefined> {
  for (const zone of await listHostedZones(route53, signal)) {
    const zoneId = (zone.Id ?? '').replace('/hostedzone/', '');
    if ((zone.Config?.PrivateZone ?? false) !== wantPrivate || zone.Name !== zoneName) continue;
    if (!vpcId) return zoneId;
    const details = await send(route53, new GetHostedZoneCommand({ Id: zoneId }), signal);
    if ((details.VPCs ?? []).some((vpc) => vpc.VPCId === vpcId)) return zoneId;
  }
  return undefined;
}

/** The record set with this name, type (and identifier), read from its place in the zone. */
async function getRecord(route53: Route53Client, zoneId: string, name: string, type: string, identifier: string | undefined, signal: AbortSignal) {
  let start: { name: string; type?: string; identifier?: string } | undefined = { name, type };
  while (start) {
    const page: ListResourceRecordSetsCommandOutput = await send(
      route53,
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: start.name,
        ...(start.type ? { StartRecordType: start.type as never } : {}),
        ...(start.identifier ? { StartRecordIdentifier: start.identifier } : {}),
      }),
      signal,
    );
    for (const set of page.ResourceRecordSets ?? []) {
      const sameName = decodeRecordName(set.Name ?? '').toLowerCase() === name.toLowerCase();
      if (!sameName || set.Type !== type) return undefined;
      if (!identifier || identifier === set.SetIdentifier) return set;
    }
    start = page.IsTruncated && page.NextRecordName ? { name: page.NextRecordName, type: page.NextRecordType, identifier: page.NextRecordIdentifier } : undefined;
  }
  return undefined;
}

async function zoneNameservers(route53: Route53Client, zoneId: string, signal: AbortSignal): Promise<string[]> {
  const zone = await send(route53, new GetHostedZoneCommand({ Id: zoneId }), signal);
  const name = zone.HostedZone?.Name ?? '';
  const ns = await getRecord(route53, zoneId, name, 'NS', undefined, signal);
  return (ns?.ResourceRecords ?? []).map((r) => r.Value ?? '');
}

function sameRecord(a: ResourceRecordSet | undefined, b: ResourceRecordSet): boolean {
  if (!a) return false;
  return JSON.stringify(sortKeys(cleanRecord(a))) === JSON.stringify(sortKeys(cleanRecord(b)));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

async function changeRecords(route53: Route53Client, zoneId: string, change: Change, retryIntervalMs: number, signal: AbortSignal) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(route53, new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [change] } }), signal);
    } catch (error) {
      if (!isAwsErrorCode(error, 'PriorRequestNotComplete') || attempt >= PRIOR_REQUEST_ATTEMPTS) throw error;
      await sleep(Math.min(retryIntervalMs * 2 ** (attempt - 1), 30_000), undefined, { signal });
    }
  }
}

export const route53Module: ModuleDefinition<Route53Args> = {
  ...route53Spec,
  async run(args, ctx) {
    const command = args.state === 'present' || args.state === 'create' ? 'create' : args.state === 'get' ? 'get' : 'delete';
    const zoneIn = absolute((args.zone ?? '').toLowerCase());
    const recordIn = absolute(args.record.toLowerCase());
    const values = args.value ?? [];
    const privateZone = args.vpc_id ? true : args.private_zone === true;
    const identifier = args.identifier ?? undefined;
    const geo = args.geo_location ?? undefined;
    if (command !== 'get') {
      if (args.alias && values.length !== 1) throw new ModuleFailure("parameter 'value' must contain a single dns name for alias records");
      const routed = [args.weight, args.region, args.failover, geo].some((v) => v !== undefined && v !== null);
      if (!routed && identifier !== undefined) {
        throw new ModuleFailure('You have specified identifier which makes sense only if you specify one of: weight, region, geo_location or failover.');
      }
    }

    const session = new AwsSession({ ...args, region: undefined }, ctx.environment, 'route53');
    const route53 = session.route53();
    const signal = ctx.signal;
    try {
      const zoneId = args.hosted_zone_id || (await findZoneId(route53, zoneIn, privateZone, args.vpc_id ?? undefined, signal));
      if (!zoneId) throw new ModuleFailure(`Zone ${zoneIn || args.hosted_zone_id} does not exist in Route53`);
      const current = await getRecord(route53, zoneId, recordIn, args.type, identifier, signal);

      const wanted: ResourceRecordSet = { Name: recordIn, Type: args.type as never };
      if (args.weight !== undefined && args.weight !== null) wanted.Weight = args.weight;
      if (args.region) wanted.Region = args.region as never;
      if (args.failover) wanted.Failover = args.failover as never;
      if (args.ttl !== undefined && args.ttl !== null) wanted.TTL = args.ttl;
      wanted.ResourceRecords = values.map((Value) => ({ Value }));
      if (args.health_check) wanted.HealthCheckId = args.health_check;
      if (identifier !== undefined) wanted.SetIdentifier = identifier;
      if (geo) {
        const { continent_code: continent, country_code: country, subdivision_code: subdivision } = geo;
        if (continent && (country || subdivision)) {
          throw new ModuleFailure('While using geo_location, continent_code is mutually exclusive with country_code and subdivision_code.', { changed: false });
        }
        if (!continent && !country && !subdivision) {
          throw new ModuleFailure('To use geo_location please specify either continent_code, country_code, or subdivision_code.', { changed: false });
        }
        if (subdivision && (country ?? '').toLowerCase() !== 'us') throw new ModuleFailure('To use subdivision_code, you must specify country_code as US.', { changed: false });
        wanted.GeoLocation = {
          ...(continent ? { ContinentCode: continent } : {}),
          ...(country ? { CountryCode: country } : {}),
          ...(subdivision ? { SubdivisionCode: subdivision } : {}),
        };
      }
      if (command === 'delete' && current) {
        wanted.TTL = current.TTL;
        if (wanted.ResourceRecords?.length === 0) wanted.ResourceRecords = current.ResourceRecords;
      }
      if (args.alias) {
        wanted.AliasTarget = { HostedZoneId: args.alias_hosted_zone_id ?? undefined, DNSName: values[0], EvaluateTargetHealth: args.alias_evaluate_target_health === true };
        delete wanted.ResourceRecords;
        delete wanted.TTL;
      }
      if (args.type === 'CAA') {
        const byValue = (a: { Value?: string }, b: { Value?: string }) => ((a.Value ?? '') < (b.Value ?? '') ? -1 : 1);
        wanted.ResourceRecords = [...(wanted.ResourceRecords ?? [])].sort(byValue);
        if (current?.ResourceRecords) current.ResourceRecords = [...current.ResourceRecords].sort(byValue);
      }

      if (command === 'create' && sameRecord(current, wanted)) {
        return { changed: false, resource_records_sets: [camelDictToSnakeDict(cleanRecord(wanted))] };
      }
      if (command === 'get') {
        // For an NS record Ansible looks for the name servers under a key boto3's record does not have: none.
        const nameservers = args.type === 'NS' ? [] : await zoneNameservers(route53, zoneId, signal);
        const formatted = formatRecord(current, zoneIn, zoneId);
        if (!formatted) return { changed: false, set: [], nameservers, resource_record_sets: [] };
        return { changed: false, set: formatted, nameservers, resource_record_sets: [camelDictToSnakeDict(cleanRecord(current as ResourceRecordSet))] };
      }
      if (command === 'delete' && !current) return { changed: false };

      let action: Change['Action'] = command === 'create' ? 'CREATE' : 'DELETE';
      if (command === 'create' && current) {
        if (!args.overwrite) throw new ModuleFailure("Record already exists with different value. Set 'overwrite' to replace it");
        action = 'UPSERT';
      }
      const result: ModuleResult = {
        changed: true,
        diff: {
          // None when the record is new, as in Ansible (callbacks print it as empty).
          before: formatRecord(current, zoneIn, zoneId),
          after: command === 'delete' ? {} : (formatRecord(wanted, zoneIn, zoneId) ?? {}),
          resource_record_sets: [camelDictToSnakeDict(cleanRecord(wanted))],
        } as ModuleResult['diff'],
      };
      if (ctx.checkMode) return result;

      let changeId: string | undefined;
      try {
        const answer = await changeRecords(route53, zoneId, { Action: action, ResourceRecordSet: wanted }, args.retry_interval ?? 500, signal);
        changeId = answer.ChangeInfo?.Id;
      } catch (error) {
        if (isAwsErrorMessage(error, 'but it already exists')) return { changed: false };
        throw awsFailure(error, 'Failed to update records');
      }
      if (args.wait && changeId) {
        const outcome = await pollUntil(
          async () => {
            const change = await send(route53, new GetChangeCommand({ Id: changeId }), signal);
            return { value: change.ChangeInfo?.Status, ready: change.ChangeInfo?.Status === 'INSYNC' };
          },
          { timeoutMs: (args.wait_timeout ?? 300) * 1000, intervalMs: 1000, maxIntervalMs: 5000, signal },
        );
        if (!outcome.done) {
          throw new ModuleFailure(`Timeout waiting for resource records changes to be applied: change ${changeId} is still ${outcome.last ?? 'PENDING'}`);
        }
      }
      return result;
    } catch (error) {
      throw awsFailure(error);
    }
  },
};
