import type { Instance } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { countTagFilters, matchesCountTag, parseCountTag } from '../../../../src/modules/aws/ec2/count-tag.js';

const instance = (tags: Record<string, string>): Instance => ({ Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });

describe('count_tag', () => {
  it('reads a key, a dict, a list, and their Python literal spellings', () => {
    expect([...parseCountTag('Name')]).toEqual([['Name', undefined]]);
    expect([...parseCountTag({ Name: 'web1', Role: null, Port: 80 })]).toEqual([
      ['Name', 'web1'],
      ['Role', undefined],
      ['Port', '80'],
    ]);
    expect([...parseCountTag(['a', { b: 'c' }])]).toEqual([
      ['a', undefined],
      ['b', 'c'],
    ]);
    expect([...parseCountTag("{'Name': 'web1'}")]).toEqual([['Name', 'web1']]);
    expect([...parseCountTag(42)]).toEqual([['42', undefined]]);
  });

  it('refuses what would match every instance', () => {
    expect(() => parseCountTag(undefined)).toThrow("you must use the 'count_tag' option with exact_count");
    for (const empty of ['', '   ', {}, [], [null], { '': 'x' }, '[]', '{}']) {
      expect(() => parseCountTag(empty), JSON.stringify(empty)).toThrow(/^count_tag must name at least one tag/);
    }
  });

  it('filters server side with escaped values and checks again locally', () => {
    const conditions = parseCountTag({ Name: 'web*1', Role: '' });
    expect(countTagFilters(conditions)).toEqual([
      { Name: 'tag:Name', Values: ['web\\*1'] },
      { Name: 'tag:Role', Values: ['*'] },
    ]);
    expect(matchesCountTag(instance({ Name: 'web*1', Role: 'x' }), conditions)).toBe(true);
    expect(matchesCountTag(instance({ Name: 'web11', Role: 'x' }), conditions)).toBe(false);
    expect(matchesCountTag(instance({ Name: 'web*1' }), conditions)).toBe(false);
  });
});
