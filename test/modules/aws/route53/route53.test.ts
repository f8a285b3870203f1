import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Route53Args, route53Module } from '../../../../src/modules/aws/route53/route53.js';
import { ModuleFailure } from '../../../../src/modules/module.js';
import { moduleContext } from '../context.js';

const PRIVATE_ZONE = { Id: '/hostedzone/ZPRIVATE000000000001', Name: 'bdash.inside.', CallerReference: 'a', Config: { PrivateZone: true } };
const PUBLIC_ZONE = { Id: '/hostedzone/ZPUBLIC0000000000001', Name: 'bdash.inside.', CallerReference: 'b', Config: { PrivateZone: false } };

function reversed(name: string) {
  return name.slice(0, -1).split('.').reverse().join('.');
}

/** Route 53's zones and record sets, ordered as ListResourceRecordSets returns them. */
class FakeRoute53 {
  readonly mock = mockClient(Route53Client);
  readonly records = new Map<string, ResourceRecordSet[]>([
    [
      'ZPRIVATE000000000001',
      [
        { Name: 'bdash.inside.', Type: 'NS', TTL: 172800, ResourceRecords: [{ Value: 'ns-1.awsdns-01.org.' }, { Value: 'ns-2.awsdns-02.com.' }] },
        { Name: 'bdash.inside.', Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: 'ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400' }] },
      ],
    ],
    ['ZPUBLIC0000000000001', []],
  ]);
  changes = 0;

  constructor() {
    this.mock.on(ListHostedZonesCommand).resolves({ HostedZones: [PUBLIC_ZONE, PRIVATE_ZONE], IsTruncated: false, MaxItems: 100, Marker: '' });
    this.mock.on(GetHostedZoneCommand).callsFake((input: { Id: string }) => ({
      HostedZone: [PRIVATE_ZONE, PUBLIC_ZONE].find((z) => z.Id.endsWith(input.Id)),
      VPCs: input.Id.includes('PRIVATE') ? [{ VPCId: 'vpc-1', VPCRegion: 'us-east-1' }] : undefined,
    }));
    this.mock.on(ListResourceRecordSetsCommand).callsFake((input: { HostedZoneId: string; StartRecordName?: string; StartRecordType?: string }) => {
      const sorted = [...(this.records.get(input.HostedZoneId) ?? [])].sort(
        (a, b) => reversed(a.Name!).localeCompare(reversed(b.Name!)) || a.Type!.localeCompare(b.Type!) || (a.SetIdentifier ?? '').localeCompare(b.SetIdentifier ?? ''),
      );
      const start = input.StartRecordName
        ? sorted.findIndex((r) => reversed(r.Name!) > reversed(input.StartRecordName!) || (r.Name === input.StartRecordName && r.Type! >= (input.StartRecordType ?? '')))
        : 0;
      return { ResourceRecordSets: start < 0 ? [] : sorted.slice(start).map((r) => structuredClone(r)), IsTruncated: false, MaxItems: 300 };
    });
    this.mock.on(ChangeResourceRecordSetsCommand).callsFake((input: { HostedZoneId: string; ChangeBatch: { Changes: { Action: string; ResourceRecordSet: ResourceRecordSet }[] } }) => {
      const sets = this.records.get(input.HostedZoneId)!;
      for (const { Action, ResourceRecordSet: set } of input.ChangeBatch.Changes) {
        const index = sets.findIndex((r) => r.Name === set.Name && r.Type === set.Type && r.SetIdentifier === set.SetIdentifier);
        if (Action === 'CREATE' && index >= 0) {
          throw new Route53ServiceException({
            name: 'InvalidChangeBatch',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
            message: `[Tried to create resource record set [name='${set.Name}', type='${set.Type}'] but it already exists]`,
          });
        }
        if (Action === 'DELETE') sets.splice(index, 1);
        else if (index >= 0) sets[index] = structuredClone(set);
        else sets.push(structuredClone(set));
      }
      this.changes++;
      return { ChangeInfo: { Id: `/change/C${this.changes}`, Status: 'PENDING', SubmittedAt: new Date() } };
    });
    this.mock.on(GetChangeCommand).resolves({ ChangeInfo: { Id: '/change/C1', Status: 'INSYNC', SubmittedAt: new Date() } });
  }
}

/** The article's task for web1. */
function articleArgs(overrides: Partial<Route53Args> = {}): Route53Args {
  return {
    access_key: null,
    secret_key: null,
    state: 'create',
    private_zone: true,
    zone: 'bdash.inside',
    record: 'web1.bdash.inside',
    type: 'A',
    ttl: 60,
    value: ['10.0.1.15'],
    overwrite: true,
    alias_evaluate_target_health: false,
    retry_interval: 500,
    wait: false,
    wait_timeout: 300,
    ...overrides,
  };
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

let route53: FakeRoute53;
beforeEach(() => {
  route53 = new FakeRoute53();
});
afterEach(() => route53.mock.restore());

const changesSent = () => route53.mock.commandCalls(ChangeResourceRecordSetsCommand).map((c) => c.args[0].input.ChangeBatch?.Changes);

describe('route53', () => {
  it('creates the record in the private zone, then reports no change', async () => {
    const result = await route53Module.run(articleArgs(), moduleContext());
    expect(result.changed).toBe(true);
    expect(changesSent()).toEqual([[{ Action: 'CREATE', ResourceRecordSet: { Name: 'web1.bdash.inside.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.1.15' }] } }]]);
    expect(route53.mock.commandCalls(ChangeResourceRecordSetsCommand)[0]?.args[0].input.HostedZoneId).toBe('ZPRIVATE000000000001');
    expect(result.diff).toMatchObject({
      before: null,
      after: { record: 'web1.bdash.inside.', ttl: '60', type: 'A', value: '10.0.1.15', values: ['10.0.1.15'], zone: 'bdash.inside.', hosted_zone_id: 'ZPRIVATE000000000001', alias: false },
      resource_record_sets: [{ name: 'web1.bdash.inside.', type: 'A', ttl: 60, resource_records: [{ value: '10.0.1.15' }] }],
    });

    const again = await route53Module.run(articleArgs(), moduleContext());
    expect(again).toEqual({
      changed: false,
      resource_records_sets: [{ name: 'web1.bdash.inside.', type: 'A', ttl: 60, resource_records: [{ value: '10.0.1.15' }] }],
    });
    expect(changesSent()).toHaveLength(1);
  });

  it('replaces a different value only with overwrite, using UPSERT', async () => {
    await route53Module.run(articleArgs(), moduleContext());
    const error = await failure(route53Module.run(articleArgs({ value: ['10.0.2.20'], overwrite: false }), moduleContext()));
    expect(error.message).toBe("Record already exists with different value. Set 'overwrite' to replace it");
    const result = await route53Module.run(articleArgs({ value: ['10.0.2.20'] }), moduleContext());
    expect(result.changed).toBe(true);
    expect(changesSent()[1]?.[0]?.Action).toBe('UPSERT');
    expect(result.diff).toMatchObject({ before: { value: '10.0.1.15' }, after: { value: '10.0.2.20' } });
  });

  it('sends nothing in check mode but shows the change', async () => {
    const result = await route53Module.run(articleArgs(), moduleContext({ checkMode: true }));
    expect(result.changed).toBe(true);
    expect(result.diff).toMatchObject({ before: null, after: { value: '10.0.1.15' } });
    expect(changesSent()).toEqual([]);
  });

  it('gets a record with its set and the zone nameservers', async () => {
    await route53Module.run(articleArgs({ value: ['10.0.1.16', '10.0.1.15'] }), moduleContext());
    const result = await route53Module.run(articleArgs({ state: 'get', value: null }), moduleContext());
    expect(result.changed).toBe(false);
    expect(result.nameservers).toEqual(['ns-1.awsdns-01.org.', 'ns-2.awsdns-02.com.']);
    expect(result.set).toMatchObject({
      Name: 'web1.bdash.inside.',
      record: 'web1.bdash.inside.',
      ttl: '60',
      value: '10.0.1.15,10.0.1.16',
      values: ['10.0.1.15', '10.0.1.16'],
      identifier: null,
      weight: null,
      alias: false,
    });
    const missing = await route53Module.run(articleArgs({ state: 'get', record: 'nope.bdash.inside', value: null }), moduleContext());
    expect(missing).toMatchObject({ changed: false, set: [], resource_record_sets: [] });
  });

  it('deletes with the current TTL and values, then reports no change', async () => {
    await route53Module.run(articleArgs(), moduleContext());
    const result = await route53Module.run(articleArgs({ state: 'absent', value: null, ttl: 3600 }), moduleContext());
    expect(result.changed).toBe(true);
    expect(changesSent()[1]).toEqual([{ Action: 'DELETE', ResourceRecordSet: { Name: 'web1.bdash.inside.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.1.15' }] } }]);
    expect(result.diff).toMatchObject({ after: {} });
    expect(await route53Module.run(articleArgs({ state: 'absent', value: null }), moduleContext())).toEqual({ changed: false });
  });

  it('picks the zone by privacy, and refuses a zone that does not exist', async () => {
    await route53Module.run(articleArgs({ private_zone: false }), moduleContext());
    expect(route53.mock.commandCalls(ChangeResourceRecordSetsCommand)[0]?.args[0].input.HostedZoneId).toBe('ZPUBLIC0000000000001');
    const error = await failure(route53Module.run(articleArgs({ zone: 'example.org' }), moduleContext()));
    expect(error.message).toBe('Zone example.org. does not exist in Route53');
    const byVpc = await failure(route53Module.run(articleArgs({ vpc_id: 'vpc-other' }), moduleContext()));
    expect(byVpc.message).toBe('Zone bdash.inside. does not exist in Route53');
  });

  it('writes weighted and alias records', async () => {
    await route53Module.run(articleArgs({ identifier: 'blue', weight: 100, record: 'app.bdash.inside' }), moduleContext());
    await route53Module.run(
      articleArgs({ record: 'lb.bdash.inside', alias: true, alias_hosted_zone_id: 'Z35SXDOTRQ7X7K', value: ['my-lb-1.us-east-1.elb.amazonaws.com'], ttl: null }),
      moduleContext(),
    );
    expect(changesSent().map((c) => c?.[0]?.ResourceRecordSet)).toEqual([
      { Name: 'app.bdash.inside.', Type: 'A', TTL: 60, Weight: 100, SetIdentifier: 'blue', ResourceRecords: [{ Value: '10.0.1.15' }] },
      { Name: 'lb.bdash.inside.', Type: 'A', AliasTarget: { HostedZoneId: 'Z35SXDOTRQ7X7K', DNSName: 'my-lb-1.us-east-1.elb.amazonaws.com', EvaluateTargetHealth: false } },
    ]);
    const error = await failure(route53Module.run(articleArgs({ identifier: 'blue' }), moduleContext()));
    expect(error.message).toBe('You have specified identifier which makes sense only if you specify one of: weight, region, geo_location or failover.');
  });

  it('waits for the change to be in sync when asked', async () => {
    const result = await route53Module.run(articleArgs({ wait: true }), moduleContext());
    expect(result.changed).toBe(true);
    expect(route53.mock.commandCalls(GetChangeCommand)[0]?.args[0].input).toEqual({ Id: '/change/C1' });
  });

  it('words AWS errors as Ansible does', async () => {
    route53.mock.on(ChangeResourceRecordSetsCommand).rejects(
      new Route53ServiceException({
        name: 'InvalidChangeBatch',
        $fault: 'client',
        $metadata: { httpStatusCode: 400, requestId: 'r-1' },
        message: '[RRSet with DNS name web1.other. is not permitted in zone bdash.inside.]',
      }),
    );
    const error = await failure(route53Module.run(articleArgs(), moduleContext()));
    expect(error.message).toBe(
      'Failed to update records: An error occurred (InvalidChangeBatch) when calling the ChangeResourceRecordSets operation: [RRSet with DNS name web1.other. is not permitted in zone bdash.inside.]',
    );
    expect(error.extra).toMatchObject({ error: { code: 'InvalidChangeBatch' }, response_metadata: { http_status_code: 400, request_id: 'r-1' } });
  });
});
