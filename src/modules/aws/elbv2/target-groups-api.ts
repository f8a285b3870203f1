// ELBv2 calls the target group modules share: lookups by name (with the retry AWS's
// eventual consistency needs right after a create), attributes as a dict with Ansible's
// key spelling (deregistration_delay.timeout_seconds -> deregistration_delay_timeout_seconds),
// tags, and target health.
import {
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  type DescribeTargetGroupsCommandInput,
  type DescribeTargetGroupsCommandOutput,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type Tag,
  type TargetDescription,
  type TargetGroup,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { setTimeout as sleep } from 'node:timers/promises';
import { ModuleFailure } from '../../module.js';
import { isAwsErrorCode, send } from '../aws-call.js';

type Elbv2 = ElasticLoadBalancingV2Client;

export async function describeTargetGroups(elb: Elbv2, input: DescribeTargetGroupsCommandInput, signal?: AbortSignal): Promise<TargetGroup[]> {
  const groups: TargetGroup[] = [];
  let marker: string | undefined;
  do {
    const page: DescribeTargetGroupsCommandOutput = await send(elb, new DescribeTargetGroupsCommand({ ...input, ...(marker ? { Marker: marker } : {}) }), signal);
    groups.push(...(page.TargetGroups ?? []));
    marker = page.NextMarker;
  } while (marker);
  return groups;
}

/**
 * The target group with this name, or undefined when there is none. `retryMissing` waits a
 * little for a group that was just created (DescribeTargetGroups is eventually consistent).
 */
export async function targetGroupByName(elb: Elbv2, name: string, options: { retryMissing?: boolean; signal?: AbortSignal } = {}): Promise<TargetGroup | undefined> {
  // About 5 s in all: enough for AWS to show a new group, short for a name that is wrong.
  const pauses = options.retryMissing ? [250, 500, 1000, 1250, 2000] : [];
  for (let attempt = 0; ; attempt++) {
    try {
      return (await describeTargetGroups(elb, { Names: [name] }, options.signal))[0];
    } catch (error) {
      if (!isAwsErrorCode(error, 'TargetGroupNotFound')) throw error;
      const pause = pauses[attempt];
      if (pause === undefined) return undefined;
      await sleep(pause, undefined, options.signal ? { signal: options.signal } : undefined);
    }
  }
}

/** boto3_tag_list_to_ansible_dict over attributes, with dots turned to underscores. */
export async function targetGroupAttributes(elb: Elbv2, arn: string, signal?: AbortSignal): Promise<Record<string, string>> {
  const answer = await send(elb, new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }), signal);
  return attributesDict(answer.Attributes);
}

export function attributesDict(attributes: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { Key, Value } of attributes ?? []) if (Key !== undefined) out[Key.replace(/\./g, '_')] = Value ?? '';
  return out;
}

export async function resourceTags(elb: Elbv2, arn: string, signal?: AbortSignal): Promise<Tag[]> {
  const answer = await send(elb, new DescribeTagsCommand({ ResourceArns: [arn] }), signal);
  return answer.TagDescriptions?.[0]?.Tags ?? [];
}

export async function targetHealth(elb: Elbv2, arn: string, targets?: TargetDescription[], signal?: AbortSignal): Promise<TargetHealthDescription[]> {
  const answer = await send(elb, new DescribeTargetHealthCommand({ TargetGroupArn: arn, ...(targets?.length ? { Targets: targets } : {}) }), signal);
  return answer.TargetHealthDescriptions ?? [];
}

/** Target group name -> ARN; a missing group is retried briefly, then reported. */
export async function targetGroupArn(elb: Elbv2, name: string, signal?: AbortSignal): Promise<string> {
  const group = await targetGroupByName(elb, name, { retryMissing: true, ...(signal ? { signal } : {}) });
  if (!group?.TargetGroupArn) {
    // Asked once more without catching, for AWS's own TargetGroupNotFound wording.
    await describeTargetGroups(elb, { Names: [name] }, signal);
    throw new ModuleFailure(`Target group ${name} not found`);
  }
  return group.TargetGroupArn;
}
