// amazon.aws.route53 (route53, community.aws.route53): the definition the engine validates tasks against (names, arguments,
// constraints), without the AWS SDK, which its implementation loads when it runs.
import type { ModuleSpec } from '../lazy-module.js';
import { withConnectionArgs } from '../connection-args.js';

export const RECORD_TYPES = ['A', 'AAAA', 'CAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SPF', 'SRV', 'TXT'];

export const route53Spec: ModuleSpec = {
  name: 'amazon.aws.route53',
  aliases: ['community.aws.route53'],
  argSpec: {
    ...withConnectionArgs({}),
    state: { type: 'str', required: true, choices: ['absent', 'create', 'delete', 'get', 'present'], aliases: ['command'] },
    zone: { type: 'str' },
    hosted_zone_id: { type: 'str' },
    record: { type: 'str', required: true },
    ttl: { type: 'int', default: 3600 },
    type: { type: 'str', required: true, choices: RECORD_TYPES },
    alias: { type: 'bool' },
    alias_hosted_zone_id: { type: 'str' },
    alias_evaluate_target_health: { type: 'bool', default: false },
    value: { type: 'list', elements: 'str' },
    overwrite: { type: 'bool' },
    retry_interval: { type: 'int', default: 500 },
    private_zone: { type: 'bool', default: false },
    identifier: { type: 'str' },
    weight: { type: 'int' },
    region: { type: 'str' },
    geo_location: {
      type: 'dict',
      options: { continent_code: { type: 'str' }, country_code: { type: 'str' }, subdivision_code: { type: 'str' } },
    },
    health_check: { type: 'str' },
    failover: { type: 'str', choices: ['PRIMARY', 'SECONDARY'] },
    vpc_id: { type: 'str' },
    wait: { type: 'bool', default: false },
    wait_timeout: { type: 'int', default: 300 },
  },
  constraints: {
    requiredOneOf: [['zone', 'hosted_zone_id']],
    requiredTogether: [['alias', 'alias_hosted_zone_id']],
    requiredIf: [
      ['state', 'present', ['value']],
      ['state', 'create', ['value']],
    ],
    mutuallyExclusive: [
      ['failover', 'region', 'weight'],
      ['alias', 'ttl'],
    ],
    requiredBy: { failover: ['identifier'], region: ['identifier'], weight: ['identifier'], geo_location: ['identifier'] },
  },
  supportsCheckMode: true,
  controllerOnly: true,
};
