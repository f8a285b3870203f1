// Tags and filters as amazon.aws passes them: tag lists <-> dicts, filter dicts -> lists,
// and the add/remove plan for reconciling tags (compare_aws_tags).
import type { Filter } from '@aws-sdk/client-ec2';

export type TagDict = Record<string, string>;

/** [{Key, Value}] -> {Key: Value} (boto3_tag_list_to_ansible_dict). */
export function tagListToDict(tags: readonly { Key?: string; Value?: string }[] | undefined): TagDict {
  const out: TagDict = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? '';
  return out;
}

/** {Key: Value} -> [{Key, Value}] (ansible_dict_to_boto3_tag_list); values become text. */
export function tagDictToList(tags: Readonly<Record<string, unknown>>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, value]) => ({ Key, Value: filterText(value) }));
}

/** Python's str() of a scalar as filters and tags send it (True -> 'true' for filters). */
function filterText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** {name: value | [values]} -> [{Name, Values}] (ansible_dict_to_boto3_filter_list). */
export function filterDictToList(filters: Readonly<Record<string, unknown>>): Filter[] {
  return Object.entries(filters).map(([Name, value]) => ({
    Name,
    Values: (Array.isArray(value) ? value : [value]).map(filterText),
  }));
}

/** Which tags to set and which keys to remove to go from `current` to `wanted`. */
export function compareTags(current: TagDict, wanted: Readonly<Record<string, unknown>>, purge: boolean): { set: TagDict; remove: string[] } {
  const set: TagDict = {};
  for (const [key, value] of Object.entries(wanted)) {
    const text = filterText(value);
    if (current[key] !== text) set[key] = text;
  }
  const remove = purge ? Object.keys(current).filter((key) => !(key in wanted) && !key.startsWith('aws:')) : [];
  return { set, remove };
}
