// How amazon.aws.route53 reports a record set: the boto3 record with the pre-boto3 keys
// added beside it (record, ttl and weight as text, value joined by commas, values sorted,
// alias fields), as `set` for state=get and before/after in the diff.
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';

/** Route 53 writes some characters of names as \ooo octal escapes ('*' is \052). */
export function decodeRecordName(name: string): string {
  return name.replace(/\\(\d{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** The record without keys the SDK left undefined, so that records compare as boto3's dicts do. */
export function cleanRecord(record: ResourceRecordSet): Record<string, unknown> {
  return JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
}

export function formatRecord(record: ResourceRecordSet | undefined, zone: string, zoneId: string): Record<string, unknown> | null {
  if (!record) return null;
  const out: Record<string, unknown> = { ...cleanRecord(record) };
  out.zone = zone;
  out.hosted_zone_id = zoneId;
  out.type = record.Type ?? null;
  out.record = decodeRecordName(record.Name ?? '');
  out.ttl = record.TTL ? String(record.TTL) : (record.TTL ?? null);
  out.identifier = record.SetIdentifier ?? null;
  out.weight = record.Weight ? String(record.Weight) : (record.Weight ?? null);
  out.region = record.Region ? String(record.Region) : null;
  out.failover = record.Failover ?? null;
  out.health_check = record.HealthCheckId ?? null;
  if (record.AliasTarget) {
    out.alias = true;
    out.value = record.AliasTarget.DNSName ?? null;
    out.values = [record.AliasTarget.DNSName ?? null];
    out.alias_hosted_zone_id = record.AliasTarget.HostedZoneId ?? null;
    out.alias_evaluate_target_health = record.AliasTarget.EvaluateTargetHealth ?? null;
  } else {
    out.alias = false;
    const values = (record.ResourceRecords ?? []).map((r) => r.Value ?? '').sort();
    out.value = values.join(',');
    out.values = values;
  }
  return out;
}
