// count_tag of the legacy ec2 module: which tags make an instance count towards exact_count.
// A string names a tag key, a dict gives key: value pairs (an empty value: any value), a list
// mixes both; every condition must hold. An absent or empty count_tag is refused: it would
// match every instance of the account, and exact_count would then terminate them.
import type { Filter, Instance } from '@aws-sdk/client-ec2';
import { literalEval } from '../../../template/python/literal.js';
import { ModuleFailure } from '../../module.js';
import { pyStr } from '../../../template/runtime/repr.js';

/** key -> wanted value, or undefined for "the key exists with any value". */
export type TagConditions = ReadonlyMap<string, string | undefined>;

function fromPythonLiteral(text: string): unknown {
  if (!/^\s*[[{]/.test(text) && !/^\s*-?\d+\s*$/.test(text)) return text;
  try {
    return literalEval(text);
  } catch {
    return text;
  }
}

function addDict(conditions: Map<string, string | undefined>, dict: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(dict)) {
    conditions.set(key, value === null || value === undefined || value === '' ? undefined : pyStr(value));
  }
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.constructor === Object;
}

export function parseCountTag(countTag: unknown): TagConditions {
  const conditions = new Map<string, string | undefined>();
  let value = typeof countTag === 'string' ? fromPythonLiteral(countTag) : countTag;
  if (typeof value === 'number') value = String(value);
  if (typeof value === 'string') {
    if (value.trim() !== '') conditions.set(value, undefined);
  } else if (Array.isArray(value)) {
    for (const item of value) {
      if (isDict(item)) addDict(conditions, item);
      else if (item !== null && item !== undefined && String(item).trim() !== '') conditions.set(pyStr(item), undefined);
    }
  } else if (isDict(value)) {
    addDict(conditions, value);
  }
  if (value === null || value === undefined) {
    throw new ModuleFailure("you must use the 'count_tag' option with exact_count");
  }
  if (conditions.size === 0 || [...conditions.keys()].some((key) => key.trim() === '')) {
    throw new ModuleFailure(
      `count_tag must name at least one tag to use exact_count (got ${JSON.stringify(countTag)}): an empty count_tag would match every instance in the region`,
    );
  }
  return conditions;
}

/** EC2 filter values treat * and ? as wildcards: exact values escape them. */
function escapeFilterValue(value: string): string {
  return value.replace(/[\\*?]/g, (c) => `\\${c}`);
}

export function countTagFilters(conditions: TagConditions): Filter[] {
  return [...conditions].map(([key, value]) => ({ Name: `tag:${key}`, Values: [value === undefined ? '*' : escapeFilterValue(value)] }));
}

/** Checked again on our side, so that a filter the endpoint ignores can never widen the match. */
export function matchesCountTag(instance: Instance, conditions: TagConditions): boolean {
  const tags = new Map((instance.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  for (const [key, value] of conditions) {
    if (!tags.has(key)) return false;
    if (value !== undefined && tags.get(key) !== value) return false;
  }
  return true;
}
