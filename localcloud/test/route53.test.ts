import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  type Change,
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  DeleteHostedZoneCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  waitUntilResourceRecordSetsChanged,
} from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestCloud, recordingHosts, startTestCloud } from './helpers.js';

let test: TestCloud;
let route53: Route53Client;
let vpcId: string;

beforeAll(async () => {
  test = await startTestCloud({ network: '127.72', privateZones: ['start.inside'] }, { hostFactory: recordingHosts().factory });
  route53 = new Route53Client(test.clientConfig);
  const ec2 = new EC2Client(test.clientConfig);
  vpcId = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId ?? '';
  ec2.destroy();
});
afterAll(async () => {
  route53?.destroy();
  await test?.close();
});

const aRecord = (name: string, value: string, ttl = 60) => ({
  Name: name,
  Type: 'A' as const,
  TTL: ttl,
  ResourceRecords: [{ Value: value }],
});

async function createZone(name: string, vpc = true) {
  const result = await route53.send(
    new CreateHostedZoneCommand({
      Name: name,
      CallerReference: `${name}-${Math.random()}`,
      ...(vpc ? { VPC: { VPCId: vpcId, VPCRegion: 'us-east-1' }, HostedZoneConfig: { PrivateZone: true, Comment: 'private' } } : {}),
    }),
  );
  return result;
}

describe('hosted zones', () => {
  it('creates private and public zones with NS and SOA records and lists them', async () => {
    const created = await createZone('bdash.inside');
    expect(created.HostedZone?.Id).toMatch(/^\/hostedzone\/Z[A-Z0-9]+$/);
    expect(created.HostedZone?.Name).toBe('bdash.inside.');
    expect(created.HostedZone?.Config?.PrivateZone).toBe(true);
    expect(created.VPC?.VPCId).toBe(vpcId);
    expect(created.Location).toContain('/2013-04-01/hostedzone/');
    expect(created.ChangeInfo?.Status).toBe('PENDING');
    const pub = await createZone('example.com', false);
    expect(pub.DelegationSet?.NameServers).toHaveLength(4);

    const zones = await route53.send(new ListHostedZonesCommand({}));
    expect(zones.HostedZones?.map((z) => z.Name)).toEqual(expect.arrayContaining(['bdash.inside.', 'example.com.']));
    const byName = await route53.send(new ListHostedZonesByNameCommand({ DNSName: 'example.com' }));
    expect(byName.HostedZones?.[0]?.Name).toBe('example.com.');
    const got = await route53.send(new GetHostedZoneCommand({ Id: created.HostedZone?.Id }));
    expect(got.VPCs?.[0]?.VPCId).toBe(vpcId);
    const records = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: created.HostedZone?.Id }));
    expect(records.ResourceRecordSets?.map((r) => r.Type)).toEqual(['NS', 'SOA']);
  });

  it('has the private zones asked for at start, in the default VPC', async () => {
    const zones = await route53.send(new ListHostedZonesByNameCommand({ DNSName: 'start.inside' }));
    expect(zones.HostedZones?.[0]).toMatchObject({ Name: 'start.inside.', Config: { PrivateZone: true } });
    const zone = await route53.send(new GetHostedZoneCommand({ Id: zones.HostedZones?.[0]?.Id }));
    expect(zone.VPCs).toEqual([{ VPCId: vpcId, VPCRegion: 'us-east-1' }]);
  });

  it('refuses a private zone in an unknown VPC and unknown zone ids', async () => {
    await expect(
      route53.send(new CreateHostedZoneCommand({ Name: 'x.inside', CallerReference: 'r1', VPC: { VPCId: 'vpc-00000000000000000', VPCRegion: 'us-east-1' } })),
    ).rejects.toMatchObject({ name: 'InvalidVPCId' });
    await expect(route53.send(new GetHostedZoneCommand({ Id: 'Z0000000000000000000' }))).rejects.toMatchObject({
      name: 'NoSuchHostedZone',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('record sets', () => {
  it('creates, upserts and deletes records, and the change gets INSYNC', async () => {
    const zone = await createZone('records.inside');
    const zoneId = zone.HostedZone?.Id ?? '';
    const change = await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: aRecord('web1.records.inside', '127.0.1.4') }] },
      }),
    );
    expect(change.ChangeInfo?.Status).toBe('PENDING');
    await waitUntilResourceRecordSetsChanged({ client: route53, maxWaitTime: 10, minDelay: 1 }, { Id: change.ChangeInfo?.Id });
    expect((await route53.send(new GetChangeCommand({ Id: change.ChangeInfo?.Id }))).ChangeInfo?.Status).toBe('INSYNC');

    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: aRecord('WEB1.records.inside.', '127.0.1.5', 30) }] },
      }),
    );
    const listed = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'web1.records.inside', StartRecordType: 'A', MaxItems: 1 }));
    expect(listed.ResourceRecordSets).toEqual([aRecord('web1.records.inside.', '127.0.1.5', 30)]);

    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: aRecord('web1.records.inside.', '127.0.1.5', 30) }] },
      }),
    );
    const after = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
    expect(after.ResourceRecordSets?.map((r) => r.Type)).toEqual(['NS', 'SOA']);
    await route53.send(new DeleteHostedZoneCommand({ Id: zoneId }));
  });

  it('answers invalid change batches with InvalidChangeBatch and the messages Route 53 uses, changing nothing', async () => {
    const zone = await createZone('errors.inside');
    const HostedZoneId = zone.HostedZone?.Id ?? '';
    const send = (Changes: Change[]) =>
      route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId, ChangeBatch: { Changes } }));
    await send([{ Action: 'CREATE', ResourceRecordSet: aRecord('a.errors.inside', '127.0.0.9') }]);
    await expect(send([{ Action: 'CREATE', ResourceRecordSet: aRecord('a.errors.inside', '127.0.0.9') }])).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: "[Tried to create resource record set [name='a.errors.inside.', type='A'] but it already exists]",
    });
    await expect(send([{ Action: 'DELETE', ResourceRecordSet: aRecord('b.errors.inside', '127.0.0.9') }])).rejects.toMatchObject({
      message: "[Tried to delete resource record set [name='b.errors.inside.', type='A'] but it was not found]",
    });
    await expect(send([{ Action: 'DELETE', ResourceRecordSet: aRecord('a.errors.inside', '127.0.0.8') }])).rejects.toMatchObject({
      message: expect.stringContaining('but the values provided do not match the current values'),
    });
    await expect(send([{ Action: 'CREATE', ResourceRecordSet: aRecord('a.example.org', '127.0.0.9') }])).rejects.toMatchObject({
      message: '[RRSet with DNS name a.example.org. is not permitted in zone errors.inside.]',
    });
    await expect(send([{ Action: 'CREATE', ResourceRecordSet: aRecord('c.errors.inside', 'not-an-ip') }])).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('ARRDATAIllegalIPv4Address'),
    });
    await expect(
      send([{ Action: 'CREATE', ResourceRecordSet: { Name: 'a.errors.inside', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'b.errors.inside' }] } }]),
    ).rejects.toMatchObject({ message: expect.stringContaining('conflicting RRSet of type A') });
    // A batch with one bad change applies none of its changes.
    await expect(
      send([
        { Action: 'CREATE', ResourceRecordSet: aRecord('d.errors.inside', '127.0.0.10') },
        { Action: 'CREATE', ResourceRecordSet: aRecord('a.errors.inside', '127.0.0.9') },
      ]),
    ).rejects.toMatchObject({ name: 'InvalidChangeBatch' });
    const names = (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId }))).ResourceRecordSets?.map((r) => r.Name);
    expect(names).not.toContain('d.errors.inside.');
    await expect(send([{ Action: 'CREATE', ResourceRecordSet: { Name: 'e.errors.inside', Type: 'A' } }])).rejects.toMatchObject({ name: 'InvalidInput' });
    await expect(route53.send(new DeleteHostedZoneCommand({ Id: HostedZoneId }))).rejects.toMatchObject({ name: 'HostedZoneNotEmpty' });
  });

  it('keeps weighted record sets apart by SetIdentifier', async () => {
    const zone = await createZone('weights.inside');
    const HostedZoneId = zone.HostedZone?.Id ?? '';
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId,
        ChangeBatch: {
          Changes: [
            { Action: 'CREATE', ResourceRecordSet: { ...aRecord('app.weights.inside', '127.0.0.2'), SetIdentifier: 'blue', Weight: 100 } },
            { Action: 'CREATE', ResourceRecordSet: { ...aRecord('app.weights.inside', '127.0.0.3'), SetIdentifier: 'green', Weight: 0 } },
          ],
        },
      }),
    );
    const sets = (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId }))).ResourceRecordSets ?? [];
    expect(sets.filter((s) => s.Type === 'A').map((s) => [s.SetIdentifier, s.Weight])).toEqual([
      ['blue', 100],
      ['green', 0],
    ]);
  });
});
