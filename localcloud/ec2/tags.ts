// Tags of every EC2 resource, by resource id (CreateTags works across resource types).
import type { Tag, TagDescription, TagSpecification } from '@aws-sdk/client-ec2';
import { CloudError } from '../protocol/cloud-error.js';

const RESOURCE_TYPES: [string, string][] = [
  ['i-', 'instance'],
  ['vol-', 'volume'],
  ['vpc-', 'vpc'],
  ['subnet-', 'subnet'],
  ['sg-', 'security-group'],
  ['key-', 'key-pair'],
  ['ami-', 'image'],
  ['eni-', 'network-interface'],
];

export function resourceTypeOf(id: string): string | undefined {
  return RESOURCE_TYPES.find(([prefix]) => id.startsWith(prefix))?.[1];
}

export class TagStore {
  private readonly tags = new Map<string, Map<string, string>>();

  list(resourceId: string): Tag[] {
    const tags = this.tags.get(resourceId);
    return tags ? [...tags].map(([Key, Value]) => ({ Key, Value })) : [];
  }

  /** The tag list as the API returns it: absent (not empty) when there are none. */
  listOrUndefined(resourceId: string): Tag[] | undefined {
    const tags = this.list(resourceId);
    return tags.length > 0 ? tags : undefined;
  }

  get(resourceId: string, key: string): string | undefined {
    return this.tags.get(resourceId)?.get(key);
  }

  set(resourceId: string, tags: Tag[]): void {
    let current = this.tags.get(resourceId);
    if (!current) this.tags.set(resourceId, (current = new Map()));
    for (const tag of tags) {
      if (tag.Key === undefined) throw new CloudError('InvalidParameterValue', 'Tag key must not be empty');
      if (tag.Key.toLowerCase().startsWith('aws:')) {
        throw new CloudError('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use`);
      }
      current.set(tag.Key, tag.Value ?? '');
    }
    if (current.size > 50) throw new CloudError('TagLimitExceeded', `The maximum number of tags per resource (50) was exceeded`);
  }

  /** DeleteTags semantics: a tag given with a value is removed only when the value matches. */
  remove(resourceId: string, tags: Tag[] | undefined): void {
    const current = this.tags.get(resourceId);
    if (!current) return;
    if (!tags || tags.length === 0) {
      current.clear();
      return;
    }
    for (const tag of tags) {
      if (tag.Key === undefined) continue;
      if (tag.Value === undefined || current.get(tag.Key) === tag.Value) current.delete(tag.Key);
    }
  }

  drop(resourceId: string): void {
    this.tags.delete(resourceId);
  }

  descriptions(): TagDescription[] {
    const descriptions: TagDescription[] = [];
    for (const [ResourceId, tags] of this.tags) {
      const ResourceType = resourceTypeOf(ResourceId);
      for (const [Key, Value] of tags) descriptions.push({ ResourceId, ResourceType: ResourceType as TagDescription['ResourceType'], Key, Value });
    }
    return descriptions;
  }
}

/** The tags a TagSpecification list gives to resources of one type. */
export function tagsFor(specifications: TagSpecification[] | undefined, resourceType: string): Tag[] {
  return (specifications ?? []).filter((spec) => spec.ResourceType === resourceType).flatMap((spec) => spec.Tags ?? []);
}

export function validateTagSpecifications(specifications: TagSpecification[] | undefined, allowed: string[]): void {
  for (const spec of specifications ?? []) {
    if (!spec.ResourceType || !allowed.includes(spec.ResourceType)) {
      throw new CloudError(
        'InvalidParameterValue',
        `'${spec.ResourceType ?? ''}' is not a valid taggable resource type for this operation.`,
      );
    }
  }
}
