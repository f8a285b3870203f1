// The AWS modules through the real SDK against the local cloud (localcloud/): the article's
// provisioning (ec2 exact_count, route53), then target groups, targets and a load balancer
// whose listener forwards to weighted target groups, as a blue-green switch does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ec2InstanceInfoModule } from '../../../src/modules/aws/ec2/ec2-instance-info.js';
import { ec2InstanceModule } from '../../../src/modules/aws/ec2/ec2-instance.js';
import { type LegacyEc2Args, ec2LegacyModule } from '../../../src/modules/aws/ec2/ec2-legacy.js';
import { elbApplicationLbModule } from '../../../src/modules/aws/elbv2/elb-application-lb.js';
import { elbTargetGroupInfoModule } from '../../../src/modules/aws/elbv2/elb-target-group-info.js';
import { elbTargetGroupModule } from '../../../src/modules/aws/elbv2/elb-target-group.js';
import { elbTargetModule } from '../../../src/modules/aws/elbv2/elb-target.js';
import { route53Module } from '../../../src/modules/aws/route53/route53.js';
import { ModuleFailure } from '../../../src/modules/module.js';
import { DEFAULT_IMAGE_ID } from '../../../localcloud/ec2/images.js';
import { DEFAULT_SECURITY_GROUP_ID, DEFAULT_SUBNET_IDS, DEFAULT_VPC_ID } from '../../../localcloud/ec2/network.js';
import { moduleContext } from './context.js';
import { type TestCloud, startTestCloud } from './local-cloud.js';

let test: TestCloud;
const ctx = (options: { checkMode?: boolean; diffMode?: boolean } = {}) => moduleContext({ ...options, environment: test.environment });

beforeAll(async () => {
  test = await startTestCloud('127.91');
});
afterAll(async () => {
  await test?.close();
});

function webArgs(host: string, subnet: string, overrides: Partial<LegacyEc2Args> = {}): LegacyEc2Args {
  return {
    key_name: 'localcloud',
    group_id: [DEFAULT_SECURITY_GROUP_ID],
    instance_type: 't2.micro',
    image: DEFAULT_IMAGE_ID,
    vpc_subnet_id: subnet,
    region: 'us-east-1',
    assign_public_ip: false,
    instance_profile_name: '',
    wait: true,
    user_data: `#cloud-config\nhostname: ${host}\n`,
    exact_count: 1,
    count_tag: { Name: host },
    instance_tags: { Name: host, Environment: 'local', Service: 'shop' },
    volumes: [{ device_name: '/dev/xvda', device_type: 'gp2', volume_size: 8, delete_on_termination: true }],
    ...overrides,
  };
}

describe('the article provisioning on the local cloud', () => {
  it('plans in check mode, launches, and is idempotent', async () => {
    const planned = await ec2LegacyModule.run(webArgs('web1', DEFAULT_SUBNET_IDS[1]), ctx({ checkMode: true }));
    expect(planned).toMatchObject({ changed: true, instances: [], msg: 'Would have launched 1 instance(s) if not in check mode' });
    expect(test.cloud.ec2.fleet.all()).toHaveLength(0);

    const first = await ec2LegacyModule.run(webArgs('web1', DEFAULT_SUBNET_IDS[1]), ctx());
    expect(first.changed).toBe(true);
    const [instance] = first.instances as Record<string, unknown>[];
    expect(instance).toMatchObject({ state: 'running', image_id: DEFAULT_IMAGE_ID, instance_type: 't2.micro', key_name: 'localcloud', placement: 'us-east-1b', region: 'us-east-1' });
    expect(instance?.private_ip).toMatch(/^127\.91\.2\.\d+$/);
    expect(instance?.tags).toEqual({ Name: 'web1', Environment: 'local', Service: 'shop' });
    expect(instance?.block_device_mapping).toMatchObject({ '/dev/xvda': { delete_on_termination: true, status: 'attached' } });

    const second = await ec2LegacyModule.run(webArgs('web1', DEFAULT_SUBNET_IDS[1]), ctx());
    expect(second).toMatchObject({ changed: false, instances: [], instance_ids: [] });
    expect((second.tagged_instances as { id: string }[]).map((i) => i.id)).toEqual([instance?.id]);
  });

  it('registers the instance in the private zone, once', async () => {
    const [instance] = (await ec2LegacyModule.run(webArgs('web1', DEFAULT_SUBNET_IDS[1]), ctx())).tagged_instances as { private_ip: string }[];
    const args = {
      access_key: null,
      secret_key: null,
      state: 'create' as const,
      private_zone: true,
      zone: 'bdash.inside',
      record: 'web1.bdash.inside',
      type: 'A',
      ttl: 60,
      value: [instance?.private_ip ?? ''],
      overwrite: true,
      wait: true,
    };
    const created = await route53Module.run(args, ctx());
    expect(created.changed).toBe(true);
    expect(await route53Module.run(args, ctx())).toMatchObject({ changed: false });
    const got = await route53Module.run({ ...args, state: 'get', value: null }, ctx());
    expect(got.set).toMatchObject({ record: 'web1.bdash.inside.', value: instance?.private_ip, ttl: '60', zone: 'bdash.inside.' });
    expect((got.nameservers as string[]).length).toBeGreaterThan(0);
    expect((await route53Module.run({ ...args, state: 'delete' }, ctx())).changed).toBe(true);
    expect((await route53Module.run({ ...args, state: 'delete' }, ctx())).changed).toBe(false);
  });

  it('keeps exact_count by terminating the oldest instance first', async () => {
    const args = webArgs('worker', DEFAULT_SUBNET_IDS[0], { exact_count: null, count_tag: null, count: 1, wait: false });
    const oldest = ((await ec2LegacyModule.run(args, ctx())).instance_ids as string[])[0];
    // LaunchTime has whole seconds, as on AWS.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const newest = ((await ec2LegacyModule.run(args, ctx())).instance_ids as string[])[0];
    const kept = await ec2LegacyModule.run(webArgs('worker', DEFAULT_SUBNET_IDS[0], { wait: true }), ctx());
    expect(kept.instance_ids).toEqual([oldest]);
    expect((kept.tagged_instances as { id: string }[]).map((i) => i.id)).toEqual([newest]);
    expect((kept.instances as { state: string }[])[0]?.state).toBe('terminated');
    expect(test.cloud.ec2.fleet.find(oldest ?? '')?.state).toBe('terminated');
  });

  it('fails with AWS words for a wrong image', async () => {
    try {
      await ec2LegacyModule.run(webArgs('web9', DEFAULT_SUBNET_IDS[0], { image: 'ami-0123456789abcdef0' }), ctx());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ModuleFailure);
      expect((error as Error).message).toBe(
        "Instance creation failed: An error occurred (InvalidAMIID.NotFound) when calling the RunInstances operation: The image id '[ami-0123456789abcdef0]' does not exist",
      );
    }
  });
});

describe('ec2_instance on the local cloud', () => {
  it('launches by name, finds it again, and lists it with ec2_instance_info', async () => {
    const args = { name: 'batch1', image_id: DEFAULT_IMAGE_ID, instance_type: 't3.small', vpc_subnet_id: DEFAULT_SUBNET_IDS[0], security_group: 'default', exact_count: 1, wait: true, state: 'running' as const };
    const first = await ec2InstanceModule.run(args, ctx());
    expect(first.changed).toBe(true);
    const [instance] = first.instances as Record<string, unknown>[];
    expect(instance).toMatchObject({ instance_type: 't3.small', state: { name: 'running', code: 16 }, tags: { Name: 'batch1' }, subnet_id: DEFAULT_SUBNET_IDS[0] });
    expect((instance?.security_groups as { group_id: string }[])[0]?.group_id).toBe(DEFAULT_SECURITY_GROUP_ID);
    expect(await ec2InstanceModule.run(args, ctx())).toMatchObject({ changed: false, msg: '1 instances already running, nothing to do.' });

    const info = await ec2InstanceInfoModule.run({ filters: { 'tag:Name': 'batch1', 'instance-state-name': 'running' } }, ctx());
    expect((info.instances as { instance_id: string }[]).map((i) => i.instance_id)).toEqual([instance?.instance_id]);

    const stopped = await ec2InstanceModule.run({ instance_ids: [String(instance?.instance_id)], state: 'stopped', wait: true }, ctx());
    expect(stopped).toMatchObject({ changed: true, msg: 'Instances stopped', stop_success: [instance?.instance_id] });
    const gone = await ec2InstanceModule.run({ instance_ids: [String(instance?.instance_id)], state: 'absent', wait: true }, ctx());
    expect(gone).toMatchObject({ changed: true, msg: 'Instances terminated' });
    expect(await ec2InstanceModule.run({ instance_ids: [String(instance?.instance_id)], state: 'absent' }, ctx())).toEqual({ changed: false, msg: 'No matching instances found' });
  });
});

describe('target groups and a load balancer on the local cloud', () => {
  let app: Server;
  let appPort: number;
  beforeAll(async () => {
    app = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appPort = (app.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => app.close(resolve));
  });

  const group = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    state: 'present' as const,
    protocol: 'HTTP',
    port: appPort,
    vpc_id: DEFAULT_VPC_ID,
    target_type: 'ip',
    health_check_protocol: 'HTTP',
    health_check_path: '/',
    health_check_interval: 5,
    health_check_timeout: 2,
    healthy_threshold_count: 2,
    deregistration_delay_timeout: 30,
    ...extra,
  });

  it('creates target groups idempotently and reports them with elb_target_group_info', async () => {
    const blue = await elbTargetGroupModule.run(group('shop-blue', { tags: { Color: 'blue' } }), ctx());
    expect(blue).toMatchObject({
      changed: true,
      target_group_name: 'shop-blue',
      port: appPort,
      protocol: 'HTTP',
      health_check_path: '/',
      health_check_interval_seconds: 5,
      deregistration_delay_timeout_seconds: '30',
      tags: { Color: 'blue' },
      vpc_id: DEFAULT_VPC_ID,
    });
    expect((await elbTargetGroupModule.run(group('shop-blue', { tags: { Color: 'blue' } }), ctx())).changed).toBe(false);
    const planned = await elbTargetGroupModule.run(group('shop-blue', { deregistration_delay_timeout: 60 }), ctx({ checkMode: true }));
    expect(planned).toMatchObject({ changed: true, msg: expect.stringContaining('deregistration_delay.timeout_seconds=60') });
    await elbTargetGroupModule.run(group('shop-green'), ctx());
    const info = await elbTargetGroupInfoModule.run({ names: ['shop-blue', 'shop-green'], collect_targets_health: true }, ctx());
    expect((info.target_groups as { target_group_name: string }[]).map((g) => g.target_group_name)).toEqual(['shop-blue', 'shop-green']);
    expect(await elbTargetGroupInfoModule.run({ names: ['nope'] }, ctx())).toEqual({ changed: false, target_groups: [] });
    const refused = await elbTargetGroupModule.run(group('shop-blue', { port: 1 }), ctx()).catch((e: Error) => e);
    expect((refused as Error).message).toBe('Cannot modify Port parameter(s) for a target group');
  });

  it('puts both colors behind one listener with weights, and moves the weights', async () => {
    const lb = (weights: [number, number]) => ({
      name: 'shop',
      subnets: [...DEFAULT_SUBNET_IDS],
      security_groups: [DEFAULT_SECURITY_GROUP_ID],
      scheme: 'internal',
      wait: true,
      wait_timeout: 30,
      listeners: [
        {
          Protocol: 'HTTP',
          Port: 0,
          DefaultActions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupName: 'shop-blue', Weight: weights[0] },
                  { TargetGroupName: 'shop-green', Weight: weights[1] },
                ],
              },
            },
          ],
        },
      ],
    });
    // Port 0 is not a valid listener port: the cloud's validation error comes back as a failure.
    const invalid = await elbApplicationLbModule.run(lb([100, 0]), ctx()).catch((e: Error) => e);
    expect(invalid).toBeInstanceOf(ModuleFailure);

    const withPort = (weights: [number, number]) => {
      const args = lb(weights);
      args.listeners[0]!.Port = 18081;
      return args;
    };
    const created = await elbApplicationLbModule.run(withPort([100, 0]), ctx());
    expect(created).toMatchObject({ changed: true, load_balancer_name: 'shop', scheme: 'internal', state: { code: 'active' } });
    const listener = (created.listeners as Record<string, unknown>[])[0] as { port: number; default_actions: { forward_config: { target_groups: { weight: number }[] } }[] };
    expect(listener.port).toBe(18081);
    expect(listener.default_actions[0]?.forward_config.target_groups.map((t) => t.weight).sort()).toEqual([0, 100]);

    expect((await elbApplicationLbModule.run(withPort([100, 0]), ctx())).changed).toBe(false);
    const planned = await elbApplicationLbModule.run(withPort([0, 100]), ctx({ checkMode: true }));
    expect(planned).toMatchObject({ changed: true, msg: expect.stringContaining('modify listener HTTP:18081 (DefaultActions)') });
    const switched = await elbApplicationLbModule.run(withPort([0, 100]), ctx());
    expect(switched.changed).toBe(true);
    expect((await elbApplicationLbModule.run(withPort([0, 100]), ctx())).changed).toBe(false);
  });

  it('registers a target, waits for healthy, drains it on deregistration, and registers it again', async () => {
    const target = { target_group_name: 'shop-blue', target_id: '127.0.0.1', target_port: appPort };
    const planned = await elbTargetModule.run({ ...target, state: 'present' }, ctx({ checkMode: true }));
    expect(planned).toMatchObject({ changed: true, msg: 'Would have registered 127.0.0.1 if not in check mode' });
    const registered = await elbTargetModule.run({ ...target, state: 'present', target_status: 'healthy', target_status_timeout: 20 }, ctx());
    expect(registered).toMatchObject({ changed: true, target_health_descriptions: { target: { id: '127.0.0.1', port: appPort }, target_health: { state: 'healthy' } } });
    expect((await elbTargetModule.run({ ...target, state: 'present' }, ctx())).changed).toBe(false);

    const drained = await elbTargetModule.run({ ...target, state: 'absent' }, ctx());
    expect(drained.changed).toBe(true);
    // Already draining: nothing more to do.
    const again = await elbTargetModule.run({ ...target, state: 'absent' }, ctx());
    expect(again.changed).toBe(false);
    expect(again.target_health_descriptions).toMatchObject({ target_health: { state: 'draining' } });
    // A rollback registers the draining target again.
    const back = await elbTargetModule.run({ ...target, state: 'present', target_status: 'healthy', target_status_timeout: 20 }, ctx());
    expect(back).toMatchObject({ changed: true, msg: 'Registered 127.0.0.1 (it was draining: registered again)' });

    // A drain longer than the wait: 300 s of deregistration delay is 6 s on this cloud.
    expect(await elbTargetGroupModule.run(group('shop-blue', { deregistration_delay_timeout: 300 }), ctx())).toMatchObject({
      changed: true,
      deregistration_delay_timeout_seconds: '300',
    });
    const timeout = await elbTargetModule.run({ ...target, state: 'absent', target_status: 'unused', target_status_timeout: 1 }, ctx()).catch((e: Error) => e);
    expect((timeout as Error).message).toBe('Status check timeout of 1 exceeded, last status was draining: ');
  });
});
