import { CreateTagsCommand, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { AddTagsCommand, DeregisterTargetsCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand, RemoveTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { type BluegreenRegisterArgs, bluegreenRegisterModule } from '../../../../src/modules/aws/bluegreen/bluegreen-register.js';
import { TAG } from '../../../../src/modules/aws/bluegreen/state-tags.js';
import { ModuleFailure } from '../../../../src/modules/module.js';
import { moduleContext } from '../context.js';
import { FakePair, PAIR } from './fake-pair.js';

let pair: FakePair | undefined;
afterEach(() => pair?.restore());

const args = (instanceId: string, overrides: Partial<BluegreenRegisterArgs> = {}): BluegreenRegisterArgs => ({
  ...PAIR,
  color: 'green',
  instance_id: instanceId,
  target_port: 8080,
  termination_protection: true,
  allow_live: false,
  ...overrides,
});

async function failureOf(promise: Promise<unknown>): Promise<ModuleFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModuleFailure);
  return error as ModuleFailure;
}

/** Blue live; green was rolled back once, and a new instance was just launched for it. */
function freshGreen() {
  const p = new FakePair({
    weights: { blue: 100, green: 0 },
    tags: { green: { [TAG.rolledBackAt]: '2024-05-01T10:00:00.000Z', [TAG.rollbackReason]: 'during the bake window: health checks failed' } },
  });
  p.instance('blue');
  const green = p.instance('green', { tagged: false, registered: false, protected: false, name: 'web-green-1' });
  return { p, green };
}

describe('bluegreen_register', () => {
  it('tags the instance, protects it, registers it in the idle color and stamps the deploy', async () => {
    const { p, green } = freshGreen();
    pair = p;
    const result = await bluegreenRegisterModule.run(args(green), moduleContext());
    expect(p.ec2.inputsOf(CreateTagsCommand)).toEqual([
      { Resources: [green], Tags: [{ Key: TAG.service, Value: 'shop' }, { Key: TAG.color, Value: 'green' }] },
    ]);
    expect(p.ec2.inputsOf(ModifyInstanceAttributeCommand)).toEqual([{ InstanceId: green, DisableApiTermination: { Value: true } }]);
    expect(p.elb.inputsOf(RegisterTargetsCommand)).toEqual([{ TargetGroupArn: p.arn.green, Targets: [{ Id: green, Port: 8080 }] }]);
    expect(p.elb.inputsOf(AddTagsCommand)).toEqual([
      {
        ResourceArns: [p.arn.green],
        Tags: [
          { Key: TAG.service, Value: 'shop' },
          { Key: TAG.color, Value: 'green' },
          { Key: TAG.deployedAt, Value: result.deployed_at },
        ],
      },
    ]);
    // A new release in green is no longer what a rollback went away from.
    expect(p.elb.inputsOf(RemoveTagsCommand)).toEqual([{ ResourceArns: [p.arn.green], TagKeys: [TAG.rolledBackAt, TAG.rollbackReason] }]);
    expect(result).toEqual({
      changed: true,
      instance_id: green,
      color: 'green',
      target_group_arn: p.arn.green,
      deployed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      msg: `tag ${green} as shop/green; turn termination protection on for ${green}; register ${green}:8080 in shop-green`,
    });
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
  });

  it('changes nothing on the instance the second time, and stamps the deploy again', async () => {
    const { p, green } = freshGreen();
    pair = p;
    await bluegreenRegisterModule.run(args(green), moduleContext());
    p.ec2.mock.resetHistory();
    p.elb.mock.resetHistory();
    const again = await bluegreenRegisterModule.run(args(green), moduleContext());
    expect(again).toMatchObject({ changed: false, msg: `${green} is registered in shop-green` });
    expect(p.ec2.mutations()).toEqual([]);
    expect(p.elb.inputsOf(RegisterTargetsCommand)).toEqual([]);
    // The deploy time is what makes green the next switch's candidate: a redeploy moves it.
    expect(p.elb.inputsOf(AddTagsCommand)[0]?.Tags).toContainEqual({ Key: TAG.deployedAt, Value: again.deployed_at });
  });

  it('registers a draining target again', async () => {
    const { p, green } = freshGreen();
    pair = p;
    await bluegreenRegisterModule.run(args(green), moduleContext());
    p.elb.drainLooks = 100;
    await new ElasticLoadBalancingV2Client({ region: 'us-east-1' }).send(new DeregisterTargetsCommand({ TargetGroupArn: p.arn.green, Targets: [{ Id: green, Port: 8080 }] }));
    expect(p.elb.targetsOf('shop-green')).toEqual([{ id: green, state: 'draining' }]);
    const result = await bluegreenRegisterModule.run(args(green), moduleContext());
    expect(result).toMatchObject({ changed: true, msg: `register ${green}:8080 in shop-green` });
    expect(p.elb.targetsOf('shop-green')).toEqual([{ id: green, state: 'initial' }]);
  });

  it('refuses to register into the live color unless allow_live', async () => {
    const { p } = freshGreen();
    pair = p;
    const blue = p.instance('blue', { registered: false });
    const failure = await failureOf(bluegreenRegisterModule.run(args(blue, { color: 'blue' }), moduleContext()));
    expect(failure.message).toBe('blue is live for shop (weight 100): a deploy registers into the idle color only (allow_live: true to do it anyway)');
    expect(p.mutations()).toEqual([]);
    expect(await bluegreenRegisterModule.run(args(blue, { color: 'blue', allow_live: true }), moduleContext())).toMatchObject({ changed: true });
  });

  it('in check mode says what it would do and calls nothing that changes', async () => {
    const { p, green } = freshGreen();
    pair = p;
    const planned = await bluegreenRegisterModule.run(args(green), moduleContext({ checkMode: true }));
    expect(planned).toEqual({
      changed: true,
      instance_id: green,
      color: 'green',
      target_group_arn: p.arn.green,
      deployed_at: null,
      msg: `Would tag ${green} as shop/green; turn termination protection on for ${green}; register ${green}:8080 in shop-green`,
    });
    expect(p.mutations()).toEqual([]);
  });

  it('leaves termination protection alone when told, and registers without a port', async () => {
    const { p, green } = freshGreen();
    pair = p;
    await bluegreenRegisterModule.run(args(green, { termination_protection: false, target_port: null }), moduleContext());
    expect(p.ec2.inputsOf(ModifyInstanceAttributeCommand)).toEqual([]);
    expect(p.elb.inputsOf(RegisterTargetsCommand)).toEqual([{ TargetGroupArn: p.arn.green, Targets: [{ Id: green }] }]);
  });

  it('reports a missing target group or instance', async () => {
    const { p, green } = freshGreen();
    pair = p;
    const noGroup = await failureOf(bluegreenRegisterModule.run(args(green, { target_groups: { green: 'shop-teal' } }), moduleContext()));
    expect(noGroup.message).toBe('Target group shop-teal (green) not found');
    const noInstance = await failureOf(bluegreenRegisterModule.run(args('i-0000000000000dead'), moduleContext()));
    expect(noInstance.message).toBe("An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0000000000000dead' does not exist");
    expect(noInstance.extra).toMatchObject({ error: { code: 'InvalidInstanceID.NotFound' } });
    expect(p.mutations()).toEqual([]);
  });
});
