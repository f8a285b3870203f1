// The inventory scenarios compared with Ansible. Each runs `ansible-inventory <args>`
// (or `ansible <pattern> --list-hosts`) in test/inventory/fixtures; the recorded outputs
// are in expected/, written by record-expected.ts from the real tools.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './ansible-oracle.js';

export interface InventoryCase {
  id: string;
  /** ansible-inventory arguments */
  args: string[];
  /** Also run Ansible live in the test (kept to a few: each run takes about a second). */
  live?: boolean;
  /** Environment of both runs (ANSIBLE_* settings). */
  env?: Record<string, string>;
  /** Known, documented differences the comparison must tolerate. */
  note?: string;
}

export const INVENTORY_CASES: InventoryCase[] = [
  { id: 'ini-list', args: ['-i', 'ini-basic/hosts.ini', '--list'], live: true },
  { id: 'ini-export', args: ['-i', 'ini-basic/hosts.ini', '--list', '--export'] },
  { id: 'yaml-export', args: ['-i', 'yaml-basic/hosts.yml', '--list', '--export'], live: true },
  { id: 'yaml-list', args: ['-i', 'yaml-basic/hosts.yml', '--list'] },
  { id: 'yaml-graph', args: ['-i', 'yaml-basic/hosts.yml', '--graph'] },
  { id: 'json-export', args: ['-i', 'json/hosts.json', '--list', '--export'] },
  { id: 'script-meta', args: ['-i', 'script/inventory.sh', '--list', '--export'] },
  { id: 'script-per-host', args: ['-i', 'script/per-host.sh', '--list', '--export'] },
  { id: 'script-failing', args: ['-i', 'script/failing.sh', '--list', '--export'] },
  { id: 'multi-source', args: ['-i', 'ini-basic/hosts.ini', '-i', 'yaml-basic/hosts.yml', '--list', '--export'] },
  { id: 'host-list', args: ['-i', 'alpha,beta:2222,[::1]:2200,10.0.0.5,bad!name,', '--list', '--export'] },
  { id: 'missing-source', args: ['-i', 'nonexistent.ini', '--list'] },
  { id: 'dir-export', args: ['-i', 'precedence/inventory', '--list', '--export'] },
  {
    id: 'dir-playbook-vars',
    args: ['-i', 'precedence/inventory', '--list', '--playbook-dir', 'precedence/playbooks'],
    live: true,
  },
  { id: 'dir-graph-vars', args: ['-i', 'precedence/inventory', '--graph', '--vars'], live: true },
  { id: 'dir-hash-merge', args: ['-i', 'precedence/inventory', '--list'], env: { ANSIBLE_HASH_BEHAVIOUR: 'merge' }, live: true },
  {
    id: 'dir-precedence-reordered',
    args: ['-i', 'precedence/inventory', '--list', '--playbook-dir', 'precedence/playbooks'],
    env: { ANSIBLE_PRECEDENCE: 'groups_plugins_play,all_inventory,groups_inventory,all_plugins_inventory,all_plugins_play,groups_plugins_inventory' },
  },
  { id: 'bad-vars-list', args: ['-i', 'bad-vars/list/hosts', '--list'] },
  {
    id: 'bad-vars-yaml',
    args: ['-i', 'bad-vars/yaml/hosts', '--list'],
    note: 'YAML parser wording differs (the yaml package, not PyYAML); compared up to the problem text',
  },
  { id: 'bad-vars-not-a-directory', args: ['-i', 'bad-vars/notdir/hosts', '--list'] },
  { id: 'unparsed-is-failed', args: ['-i', 'nonexistent.ini', '--list'], env: { ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true' } },
  { id: 'any-unparsed-is-failed', args: ['-i', 'errors/loop.ini', '-i', 'errors/bad-range.ini', '--list'], env: { ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED: 'true' } },
  { id: 'no-ini-plugin', args: ['-i', 'ini-basic/hosts.ini', '--list'], env: { ANSIBLE_INVENTORY_ENABLED: 'host_list,yaml' } },
  { id: 'group-chars-always', args: ['-i', 'errors/group-chars.ini', '--list'], env: { ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS: 'always' } },
  { id: 'group-chars-silently', args: ['-i', 'errors/group-chars.ini', '--list'], env: { ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS: 'silently' } },
  { id: 'group-chars-ignore', args: ['-i', 'errors/group-chars.ini', '--list'], env: { ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS: 'ignore' } },
  ...[
    'bad-range.ini',
    'empty.yml',
    'group-chars.ini',
    'host-var-without-value.ini',
    'host-vars-string.yml',
    'int-host.yml',
    'list.yml',
    'localhost-dup.ini',
    'loop.ini',
    'plugin-config.yml',
    'range-mixed.ini',
    'range-widths.ini',
    'self-child.ini',
    'trailing-colon.ini',
    'unclosed-quote.ini',
    'unclosed-section.ini',
    'undefined-child.ini',
    'unknown-section-type.ini',
    'vars-list.yml',
    'vars-without-group.ini',
    'yaml-as-ini.ini',
  ].map((file) => ({ id: `error-${file}`, args: ['-i', `errors/${file}`, '--list', '--export'], live: file === 'undefined-child.ini' })),
  {
    id: 'error-syntax.yml',
    args: ['-i', 'errors/syntax.yml', '--list', '--export'],
    note: 'YAML parser wording differs (the yaml package, not PyYAML); compared up to the problem text',
  },
];

export interface PatternCase {
  id: string;
  /** `ansible -i patterns/hosts.ini <pattern> --list-hosts [-l limit]` */
  pattern: string;
  limit?: string;
}

export const PATTERN_CASES: PatternCase[] = [
  ...readFileSync(join(FIXTURES, 'patterns/patterns.txt'), 'utf8')
    .split('\n')
    .filter((p) => p)
    .map((pattern) => ({ id: pattern, pattern })),
  { id: 'limit glob minus host', pattern: 'all', limit: 'web*:!web02.example.com' },
  { id: 'limit file', pattern: 'app', limit: '@patterns/limit.txt' },
  { id: 'limit list', pattern: 'web', limit: 'web01.example.com,web04.example.com,nomatch' },
  { id: 'limit nothing left', pattern: 'db', limit: 'web' },
  { id: 'limit missing file', pattern: 'all', limit: '@patterns/missing.txt' },
  { id: 'limit subscript', pattern: 'all', limit: 'web[1:2]' },
];
