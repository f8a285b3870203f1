// EC2 calls the instance modules share: paginated DescribeInstances, waiting for states
// (with the eventual consistency of a just-launched instance), subnets and security groups.
import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  type EC2Client,
  type Filter,
  type Instance,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { ModuleFailure } from '../../module.js';
import { isAwsErrorCode, send } from '../aws-call.js';
import { pollUntil } from '../poll.js';

export interface InstanceQuery {
  ids?: readonly string[];
  filters?: Filter[];
}

export async function describeInstances(ec2: EC2Client, query: InstanceQuery, signal?: AbortSignal): Promise<Instance[]> {
  const instances: Instance[] = [];
  let nextToken: string | undefined;
  do {
    const page = await send(
      ec2,
      new DescribeInstancesCommand({
        ...(query.ids?.length ? { InstanceIds: [...query.ids] } : {}),
        ...(query.filters?.length ? { Filters: query.filters } : {}),
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
      signal,
    );
    for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return instances;
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  intervalMs?: number;
}

/**
 * Describes the instances until every one satisfies `ready`. An instance that EC2 does
 * not know yet (InvalidInstanceID.NotFound right after RunInstances) counts as not ready.
 * Returns the last description and whether all were ready in time.
 */
export async function waitForInstances(
  ec2: EC2Client,
  ids: readonly string[],
  ready: (instance: Instance) => boolean,
  options: WaitOptions,
): Promise<{ done: boolean; instances: Instance[] }> {
  if (ids.length === 0) return { done: true, instances: [] };
  const outcome = await pollUntil<Instance[]>(
    async () => {
      let instances: Instance[];
      try {
        instances = await describeInstances(ec2, { ids }, options.signal);
      } catch (error) {
        if (isAwsErrorCode(error, 'InvalidInstanceID.NotFound')) return { ready: false };
        throw error;
      }
      const seen = new Set(instances.map((i) => i.InstanceId));
      return { value: instances, ready: ids.every((id) => seen.has(id)) && instances.every(ready) };
    },
    { timeoutMs: options.timeoutMs, intervalMs: options.intervalMs ?? 1000, ...(options.signal ? { signal: options.signal } : {}) },
  );
  return outcome.done ? { done: true, instances: outcome.value } : { done: false, instances: outcome.last ?? [] };
}

export const inState =
  (...states: string[]) =>
  (instance: Instance): boolean =>
    states.includes(instance.State?.Name ?? '');

/** A new instance is visible with its tags: filters by tag will find it from now on. */
export const hasTags =
  (tags: Readonly<Record<string, string>>) =>
  (instance: Instance): boolean =>
    Object.entries(tags).every(([key, value]) => (instance.Tags ?? []).some((tag) => tag.Key === key && (tag.Value ?? '') === value));

export async function vpcOfSubnet(ec2: EC2Client, subnetId: string, signal?: AbortSignal): Promise<string> {
  const answer = await send(ec2, new DescribeSubnetsCommand({ SubnetIds: [subnetId] }), signal);
  const vpcId = answer.Subnets?.[0]?.VpcId;
  if (!vpcId) throw new ModuleFailure(`Could not find subnet ${subnetId}`);
  return vpcId;
}

async function describeSecurityGroups(ec2: EC2Client, input: { GroupIds?: string[]; Filters?: Filter[] }, signal?: AbortSignal): Promise<SecurityGroup[]> {
  const groups: SecurityGroup[] = [];
  let nextToken: string | undefined;
  do {
    const page = await send(ec2, new DescribeSecurityGroupsCommand({ ...input, ...(nextToken ? { NextToken: nextToken } : {}) }), signal);
    groups.push(...(page.SecurityGroups ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return groups;
}

/** Security group names -> ids, in the VPC when known; unknown names are an error. */
export async function securityGroupIdsByName(ec2: EC2Client, names: readonly string[], vpcId: string | undefined, signal?: AbortSignal): Promise<string[]> {
  const groups = await describeSecurityGroups(ec2, vpcId ? { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] } : {}, signal);
  const known = new Set(groups.map((g) => g.GroupName));
  const unmatched = names.filter((name) => !known.has(name));
  if (unmatched.length > 0) throw new ModuleFailure(`The following group names are not valid: ${unmatched.join(', ')}`);
  return groups.filter((g) => names.includes(g.GroupName ?? '')).map((g) => g.GroupId ?? '');
}

/** Checks that the security group ids exist (AWS answers InvalidGroup.NotFound otherwise). */
export async function requireSecurityGroupIds(ec2: EC2Client, ids: readonly string[], signal?: AbortSignal): Promise<SecurityGroup[]> {
  return describeSecurityGroups(ec2, { GroupIds: [...ids] }, signal);
}

/** Names or ids (sg-...) -> ids, as get_ec2_security_group_ids_from_names does. */
export async function securityGroupIds(ec2: EC2Client, namesOrIds: readonly string[], vpcId: string | undefined, signal?: AbortSignal): Promise<string[]> {
  const ids = namesOrIds.filter((g) => /^sg-[0-9a-f]+$/.test(g));
  const names = namesOrIds.filter((g) => !ids.includes(g));
  const byName = names.length > 0 ? await securityGroupIdsByName(ec2, names, vpcId, signal) : [];
  if (ids.length > 0) await requireSecurityGroupIds(ec2, ids, signal);
  return [...ids, ...byName];
}

/** time.asctime(): "Sun May  9 19:30:26 2021", as the legacy module's timeout messages say. */
export function asctime(date = new Date()): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getDay()]} ${months[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${date.getFullYear()}`;
}
