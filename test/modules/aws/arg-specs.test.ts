// The AWS modules' argument specs through tsplay's validator: the article's tasks are
// accepted as Ansible accepts them, aliases reach their option, secrets are no_log, and the
// constraints give Ansible's messages.
import { describe, expect, it } from 'vitest';
import { awsModules } from '../../../src/modules/aws/index.js';
import { checkModuleArgs } from '../../../src/modules/arguments.js';
import type { ModuleDefinition } from '../../../src/modules/module.js';

function module(name: string): ModuleDefinition {
  const found = awsModules.find((m) => m.name === name);
  if (!found) throw new Error(`no module ${name}`);
  return found;
}

describe('AWS argument specs', () => {
  it('accept the article ec2 task as its variables render', () => {
    const result = checkModuleArgs(
      module('amazon.aws.ec2'),
      {
        key_name: 'localcloud',
        group_id: 'sg-00000000000000001',
        instance_type: 't2.micro',
        image: 'ami-0000000000000de12',
        vpc_subnet_id: 'subnet-0000000000000000b',
        region: 'us-east-1',
        assign_public_ip: 'no',
        instance_profile_name: '',
        wait: true,
        user_data: '#cloud-config\n',
        exact_count: 1,
        count_tag: { Name: 'web1' },
        instance_tags: { Name: 'web1', Environment: 'local', Service: 'bdash' },
        volumes: [{ device_name: '/dev/xvda', device_type: 'gp2', volume_size: '8', delete_on_termination: true }],
      },
      'ec2',
    );
    expect(result.error).toBeUndefined();
    expect(result.params).toMatchObject({ group_id: ['sg-00000000000000001'], assign_public_ip: false, exact_count: 1, state: 'present', wait_timeout: 300 });
  });

  it('accept the article route53 task, with its empty keys and the command alias', () => {
    const result = checkModuleArgs(
      module('amazon.aws.route53'),
      { aws_access_key: null, aws_secret_key: null, command: 'create', private_zone: true, zone: 'bdash.inside', record: 'web1.bdash.inside', type: 'A', ttl: 60, value: '127.0.2.4', overwrite: 'yes' },
      'route53',
    );
    expect(result.error).toBeUndefined();
    expect(result.params).toMatchObject({ state: 'create', value: ['127.0.2.4'], overwrite: true, ttl: 60 });
    expect(result.params.access_key ?? null).toBeNull();
  });

  it('map the connection aliases and keep secrets out of output', () => {
    const result = checkModuleArgs(
      module('community.aws.elb_target'),
      { ec2_url: 'http://127.0.0.1:4566', aws_access_key_id: 'AKIAX', aws_secret_key: 'very-secret', security_token: 'tok', aws_region: 'us-east-1', target_id: 'i-1', state: 'present', target_group_name: 'tg' },
      'elb_target',
    );
    expect(result.error).toBeUndefined();
    expect(result.params).toMatchObject({ endpoint_url: 'http://127.0.0.1:4566', access_key: 'AKIAX', secret_key: 'very-secret', session_token: 'tok', region: 'us-east-1' });
    expect(result.noLogValues).toEqual(expect.arrayContaining(['very-secret', 'tok']));
  });

  it("give Ansible's constraint messages", () => {
    expect(checkModuleArgs(module('amazon.aws.ec2'), { image: 'ami-1', exact_count: 1, count: 2, count_tag: 'Name' }, 'ec2').error).toBe('parameters are mutually exclusive: exact_count|count');
    expect(checkModuleArgs(module('amazon.aws.route53'), { state: 'present', record: 'a.b', type: 'A' }, 'route53').error).toBe('one of the following is required: zone, hosted_zone_id');
    expect(checkModuleArgs(module('amazon.aws.route53'), { state: 'present', zone: 'b', record: 'a.b', type: 'A' }, 'route53').error).toBe('state is present but all of the following are missing: value');
    expect(checkModuleArgs(module('amazon.aws.route53'), { state: 'present', zone: 'b', record: 'a.b', type: 'A', value: '1.1.1.1', weight: 10 }, 'route53').error).toBe(
      'missing parameter(s) required by \'weight\': identifier',
    );
    expect(checkModuleArgs(module('community.aws.elb_target_group'), { name: 'tg', state: 'present', target_type: 'ip' }, 'elb_target_group').error).toBe(
      'target_type is ip but all of the following are missing: protocol, port, vpc_id',
    );
    expect(checkModuleArgs(module('community.aws.elb_target'), { target_id: 'i-1', state: 'present', target_group_arn: 'a', target_group_name: 'b' }, 'elb_target').error).toBe(
      'parameters are mutually exclusive: target_group_arn|target_group_name',
    );
    expect(checkModuleArgs(module('amazon.aws.ec2'), { image: 'ami-1', bogus: 1 }, 'ec2').error).toMatch(/^Unsupported parameters for \(ec2\) module: bogus\. Supported parameters include: /);
  });

  it('check the ALB listener sub-options', () => {
    const result = checkModuleArgs(
      module('amazon.aws.elb_application_lb'),
      { name: 'shop', subnets: ['a', 'b'], security_groups: ['sg-1'], listeners: [{ Protocol: 'HTTP', Port: '80', DefaultActions: [{ Type: 'forward', TargetGroupName: 'blue' }] }] },
      'elb_application_lb',
    );
    expect(result.error).toBeUndefined();
    expect((result.params.listeners as { Port: unknown }[])[0]?.Port).toBe(80);
    expect(checkModuleArgs(module('amazon.aws.elb_application_lb'), { name: 'shop', subnets: [], security_groups: [], listeners: [{ Protocol: 'HTTP' }] }, 'elb_application_lb').error).toMatch(
      /missing required arguments: DefaultActions, Port found in listeners/,
    );
  });
});
