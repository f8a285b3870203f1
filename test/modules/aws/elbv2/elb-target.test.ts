import {
  DeregisterTargetsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ServiceException,
  RegisterTargetsCommand,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ElbTargetArgs, elbTargetModule } from '../../../../src/modules/aws/elbv2/elb-target.js';
import { ModuleFailure } from '../../../../src/modules/module.js';
import { moduleContext } from '../context.js';

const ARN = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/shop-blue/0123456789abcdef';

const elb = mockClient(ElasticLoadBalancingV2Client);
/** The health DescribeTargetHealth answers, per call (the last one repeats). */
let answers: TargetHealthDescription['TargetHealth'][];

function health(state: TargetHealthDescription['TargetHealth']): TargetHealthDescription {
  return { Target: { Id: 'i-0123456789abcdef0', Port: 80 }, HealthCheckPort: '80', TargetHealth: state };
}

beforeEach(() => {
  elb.reset();
  answers = [{ State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' }];
  elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: ARN, TargetGroupName: 'shop-blue' }] });
  elb.on(DescribeTargetHealthCommand).callsFake(() => ({ TargetHealthDescriptions: [health(answers.length > 1 ? answers.shift() : answers[0])] }));
  elb.on(RegisterTargetsCommand).resolves({});
  elb.on(DeregisterTargetsCommand).resolves({});
});
afterEach(() => elb.reset());

const args = (overrides: Partial<ElbTargetArgs> = {}): ElbTargetArgs => ({
  target_group_name: 'shop-blue',
  target_id: 'i-0123456789abcdef0',
  target_port: 80,
  state: 'present',
  target_status_timeout: 5,
  ...overrides,
});

describe('elb_target', () => {
  it('registers an unregistered target by group name and returns Ansible keys', async () => {
    const result = await elbTargetModule.run(args(), moduleContext());
    expect(elb.commandCalls(DescribeTargetGroupsCommand)[0]?.args[0].input).toEqual({ Names: ['shop-blue'] });
    expect(elb.commandCalls(RegisterTargetsCommand)[0]?.args[0].input).toEqual({ TargetGroupArn: ARN, Targets: [{ Id: 'i-0123456789abcdef0', Port: 80 }] });
    expect(result).toMatchObject({
      changed: true,
      target_group_arn: ARN,
      target_health_descriptions: { target: { id: 'i-0123456789abcdef0', port: 80 }, health_check_port: '80', target_health: { state: 'unused' } },
    });
  });

  it('leaves a registered target alone, and waits for target_status', async () => {
    answers = [{ State: 'healthy' }];
    expect((await elbTargetModule.run(args({ target_status: 'healthy' }), moduleContext())).changed).toBe(false);
    answers = [{ State: 'unused', Reason: 'Target.NotRegistered' }, { State: 'initial', Reason: 'Elb.RegistrationInProgress' }, { State: 'healthy' }];
    elb.resetHistory();
    const result = await elbTargetModule.run(args({ target_status: 'healthy', target_group_name: null, target_group_arn: ARN }), moduleContext());
    expect(result.changed).toBe(true);
    expect(elb.commandCalls(DescribeTargetGroupsCommand)).toHaveLength(0);
  });

  it('fails after target_status_timeout with the last state', async () => {
    answers = [{ State: 'unused', Reason: 'Target.NotRegistered' }, { State: 'unhealthy', Reason: 'Target.Timeout' }];
    const error = await elbTargetModule.run(args({ target_status: 'healthy', target_status_timeout: 1 }), moduleContext()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ModuleFailure);
    expect((error as Error).message).toBe('Status check timeout of 1 exceeded, last status was unhealthy: ');
  });

  it('deregisters a healthy target, not a draining one, and registers a draining target again', async () => {
    answers = [{ State: 'healthy' }];
    expect((await elbTargetModule.run(args({ state: 'absent' }), moduleContext())).changed).toBe(true);
    expect(elb.commandCalls(DeregisterTargetsCommand)).toHaveLength(1);
    answers = [{ State: 'draining', Reason: 'Target.DeregistrationInProgress' }];
    expect((await elbTargetModule.run(args({ state: 'absent' }), moduleContext())).changed).toBe(false);
    expect(elb.commandCalls(DeregisterTargetsCommand)).toHaveLength(1);
    const back = await elbTargetModule.run(args(), moduleContext());
    expect(back).toMatchObject({ changed: true, msg: 'Registered i-0123456789abcdef0 (it was draining: registered again)' });
  });

  it('warns about a registered target that is unused, and deregisters it with deregister_unused', async () => {
    answers = [{ State: 'unused', Reason: 'Target.InvalidState', Description: 'Target is in the stopped state' }];
    const kept = await elbTargetModule.run(args({ state: 'absent' }), moduleContext());
    expect(kept).toMatchObject({ changed: false, warnings: [expect.stringContaining("'deregister_unused'")] });
    expect((await elbTargetModule.run(args({ state: 'absent', deregister_unused: true }), moduleContext())).changed).toBe(true);
  });

  it('changes nothing in check mode', async () => {
    const planned = await elbTargetModule.run(args(), moduleContext({ checkMode: true }));
    expect(planned).toMatchObject({ changed: true, msg: 'Would have registered i-0123456789abcdef0 if not in check mode' });
    answers = [{ State: 'healthy' }];
    expect((await elbTargetModule.run(args({ state: 'absent' }), moduleContext({ checkMode: true }))).changed).toBe(true);
    expect(elb.commandCalls(RegisterTargetsCommand)).toHaveLength(0);
    expect(elb.commandCalls(DeregisterTargetsCommand)).toHaveLength(0);
  });

  it('reports a missing target group in AWS words', async () => {
    elb.on(DescribeTargetGroupsCommand).rejects(
      new ElasticLoadBalancingV2ServiceException({ name: 'TargetGroupNotFound', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'One or more target groups not found' }),
    );
    const error = await elbTargetModule.run(args({ target_group_name: 'nope' }), moduleContext()).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'Unable to describe target group nope: An error occurred (TargetGroupNotFound) when calling the DescribeTargetGroups operation: One or more target groups not found',
    );
  }, 15_000);
});
