// The instances of one color of a service: EC2 instances tagged with the pair's identity
// (bluegreen_register tags them), so that an instance is found again even after it left
// its target group (a retirement that timed out waiting for jobs).
import type { EC2Client, Instance } from '@aws-sdk/client-ec2';
import { describeInstances } from '../ec2/instances-api.js';
import { tagListToDict } from '../tags.js';
import type { Color } from './pair-args.js';
import { TAG } from './state-tags.js';

export interface InstanceSummary {
  id: string;
  name: string | null;
  private_ip: string | null;
  state: string;
  launch_time: string | null;
}

const ALIVE = ['pending', 'running', 'stopping', 'stopped'];

export async function colorInstances(ec2: EC2Client, service: string, color: Color, signal: AbortSignal): Promise<Instance[]> {
  return describeInstances(
    ec2,
    {
      filters: [
        { Name: `tag:${TAG.service}`, Values: [service] },
        { Name: `tag:${TAG.color}`, Values: [color] },
        { Name: 'instance-state-name', Values: ALIVE },
      ],
    },
    signal,
  );
}

export function summarize(instance: Instance): InstanceSummary {
  return {
    id: instance.InstanceId ?? '',
    name: tagListToDict(instance.Tags).Name ?? null,
    private_ip: instance.PrivateIpAddress ?? null,
    state: instance.State?.Name ?? 'unknown',
    launch_time: instance.LaunchTime ? new Date(instance.LaunchTime).toISOString() : null,
  };
}
