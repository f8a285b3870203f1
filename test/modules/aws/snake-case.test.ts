import { describe, expect, it } from 'vitest';
import { camelDictToSnakeDict, camelToSnake, pythonIsoFormat } from '../../../src/modules/aws/snake-case.js';

describe('camelToSnake (Ansible camel_dict_to_snake_dict keys)', () => {
  it.each([
    ['InstanceId', 'instance_id'],
    ['PrivateIpAddress', 'private_ip_address'],
    ['TargetGroupARNs', 'target_group_arns'],
    ['LoadBalancerArns', 'load_balancer_arns'],
    ['HTTPStatusCode', 'http_status_code'],
    ['EbsOptimized', 'ebs_optimized'],
    ['IPv6Address', 'i_pv6_address'],
    ['DNSName', 'dns_name'],
    ['AmiLaunchIndex', 'ami_launch_index'],
    ['ResponseMetadata', 'response_metadata'],
    ['VPCs', 'vpcs'],
    ['already_snake', 'already_snake'],
  ])('%s -> %s', (camel, snake) => {
    expect(camelToSnake(camel)).toBe(snake);
  });
});

describe('camelDictToSnakeDict', () => {
  it('converts nested dicts and lists, keeps ignored keys as they are at the top level only, and writes dates as Python does', () => {
    const launched = new Date('2024-05-09T19:30:26.000Z');
    expect(
      camelDictToSnakeDict(
        {
          InstanceId: 'i-1',
          LaunchTime: launched,
          Tags: [{ Key: 'Name', Value: 'web1' }],
          NetworkInterfaces: [{ Attachment: { AttachTime: new Date('2024-05-09T19:30:26.250Z') }, Groups: [{ GroupId: 'sg-1' }] }],
          Skipped: undefined,
        },
        ['Tags'],
      ),
    ).toEqual({
      instance_id: 'i-1',
      launch_time: '2024-05-09T19:30:26+00:00',
      tags: [{ Key: 'Name', Value: 'web1' }],
      network_interfaces: [{ attachment: { attach_time: '2024-05-09T19:30:26.250000+00:00' }, groups: [{ group_id: 'sg-1' }] }],
    });
    expect(pythonIsoFormat(launched)).toBe('2024-05-09T19:30:26+00:00');
  });
});
