// amazon.aws.elb_application_lb: the definition the engine validates tasks against (names, arguments,
// constraints), without the AWS SDK, which its implementation loads when it runs.
import type { ModuleSpec } from '../lazy-module.js';
import { withConnectionArgs } from '../connection-args.js';

export const elbApplicationLbSpec: ModuleSpec = {
  name: 'amazon.aws.elb_application_lb',
  aliases: ['community.aws.elb_application_lb'],
  argSpec: withConnectionArgs({
    access_logs_enabled: { type: 'bool' },
    access_logs_s3_bucket: { type: 'str' },
    access_logs_s3_prefix: { type: 'str' },
    deletion_protection: { type: 'bool' },
    http2: { type: 'bool' },
    http_desync_mitigation_mode: { type: 'str', choices: ['monitor', 'defensive', 'strictest'] },
    http_drop_invalid_header_fields: { type: 'bool' },
    http_x_amzn_tls_version_and_cipher_suite: { type: 'bool' },
    http_xff_client_port: { type: 'bool' },
    idle_timeout: { type: 'int' },
    listeners: {
      type: 'list',
      elements: 'dict',
      options: {
        Protocol: { type: 'str', required: true },
        Port: { type: 'int', required: true },
        SslPolicy: { type: 'str' },
        Certificates: { type: 'list', elements: 'dict' },
        DefaultActions: { type: 'list', required: true, elements: 'dict' },
        Rules: { type: 'list', elements: 'dict' },
      },
    },
    name: { type: 'str', required: true },
    purge_listeners: { type: 'bool', default: true },
    purge_tags: { type: 'bool', default: true },
    subnets: { type: 'list', elements: 'str' },
    security_groups: { type: 'list', elements: 'str' },
    scheme: { type: 'str', default: 'internet-facing', choices: ['internet-facing', 'internal'] },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
    tags: { type: 'dict', aliases: ['resource_tags'] },
    waf_fail_open: { type: 'bool' },
    wait_timeout: { type: 'int' },
    wait: { type: 'bool', default: false },
    purge_rules: { type: 'bool', default: false },
    ip_address_type: { type: 'str', choices: ['ipv4', 'dualstack'] },
  }),
  constraints: {
    requiredIf: [['state', 'present', ['subnets', 'security_groups']]],
    requiredTogether: [['access_logs_enabled', 'access_logs_s3_bucket']],
  },
  supportsCheckMode: true,
  controllerOnly: true,
};
