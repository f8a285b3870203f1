// How amazon.aws's boto3 modules describe an instance (pretty_instance): the DescribeInstances
// answer in snake_case, with tags as a dict. ec2_instance returns boto3's own dicts in two
// places (check mode with existing instances, and exact_count terminating some):
// rawInstance gives that form.
import type { Instance } from '@aws-sdk/client-ec2';
import { camelDictToSnakeDict, pythonIsoFormat } from '../snake-case.js';
import { tagListToDict } from '../tags.js';

export function prettyInstance(instance: Instance): Record<string, unknown> {
  const view = camelDictToSnakeDict(instance as Record<string, unknown>, ['Tags']);
  view.tags = tagListToDict(instance.Tags);
  return view;
}

/** A boto3 answer as Ansible's JSON encoder writes it: CamelCase keys, dates in isoformat. */
function plainAnswer(value: unknown): unknown {
  if (value instanceof Date) return pythonIsoFormat(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(plainAnswer);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plainAnswer(v)]));
  }
  return value;
}

export function rawInstance(instance: Instance): Record<string, unknown> {
  return plainAnswer(instance) as Record<string, unknown>;
}
