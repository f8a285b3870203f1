// EC2's Filter semantics: every filter must match; within a filter any value may match
// any of the resource's values; values may use * and ? wildcards.
import type { Filter } from '@aws-sdk/client-ec2';
import { CloudError } from '../protocol/cloud-error.js';
import type { TagStore } from './tags.js';

type Value = string | number | boolean | undefined;

/** Filter name -> the resource's values for it. */
export type FilterDefinitions<T> = Record<string, (resource: T) => Value | Value[]>;

export interface TagSource<T> {
  tags: TagStore;
  idOf: (resource: T) => string;
}

function wildcard(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's');
}

function tagValues<T>(source: TagSource<T>, resource: T, name: string): string[] {
  const id = source.idOf(resource);
  if (name.startsWith('tag:')) {
    const value = source.tags.get(id, name.slice(4));
    return value === undefined ? [] : [value];
  }
  const tags = source.tags.list(id);
  return name === 'tag-key' ? tags.map((t) => t.Key ?? '') : tags.map((t) => t.Value ?? '');
}

function isTagFilter(name: string): boolean {
  return name.startsWith('tag:') || name === 'tag-key' || name === 'tag-value';
}

export function applyFilters<T>(
  resources: T[],
  filters: Filter[] | undefined,
  definitions: FilterDefinitions<T>,
  tagSource?: TagSource<T>,
): T[] {
  if (!filters || filters.length === 0) return resources;
  const compiled = filters.map((filter) => {
    const name = filter.Name ?? '';
    const known = Object.hasOwn(definitions, name) || (tagSource !== undefined && isTagFilter(name));
    if (!known) throw new CloudError('InvalidParameterValue', `The filter '${name}' is invalid`);
    return { name, patterns: (filter.Values ?? []).map(wildcard) };
  });
  return resources.filter((resource) =>
    compiled.every(({ name, patterns }) => {
      const definition = definitions[name];
      const raw = definition ? definition(resource) : tagValues(tagSource as TagSource<T>, resource, name);
      const values = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== undefined).map(String);
      return patterns.some((pattern) => values.some((value) => pattern.test(value)));
    }),
  );
}
