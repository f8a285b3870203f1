// How amazon.aws's boto3 modules describe an instance (pretty_instance): the DescribeInstances
// answer in snake_case, with tags as a dict.
import type { Instance } from '@aws-sdk/client-ec2';
import { camelDictToSnakeDict } from '../snake-case.js';
import { tagListToDict } from '../tags.js';

export function prettyInstance(instance: Instance): Record<string, unknown> {
  const view = camelDictToSnakeDict(instance as Record<string, unknown>, ['Tags']);
  view.tags = tagListToDict(instance.Tags);
  return view;
}
