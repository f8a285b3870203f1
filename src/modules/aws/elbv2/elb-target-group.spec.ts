// community.aws.elb_target_group: the definition the engine validates tasks against (names, arguments,
// constraints), without the AWS SDK, which its implementation loads when it runs.
import type { ModuleSpec } from '../lazy-module.js';
import { withConnectionArgs } from '../connection-args.js';

export const PROTOCOLS = ['http', 'https', 'tcp', 'tls', 'udp', 'tcp_udp', 'HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP'];

export const elbTargetGroupSpec: ModuleSpec = {
  name: 'community.aws.elb_target_group',
  aliases: ['amazon.aws.elb_target_group'],
  argSpec: withConnectionArgs({
    deregistration_delay_timeout: { type: 'int' },
    deregistration_connection_termination: { type: 'bool', default: false },
    health_check_protocol: { type: 'str', choices: PROTOCOLS },
    health_check_port: { type: 'str' },
    health_check_path: { type: 'str' },
    health_check_interval: { type: 'int' },
    health_check_timeout: { type: 'int' },
    healthy_threshold_count: { type: 'int' },
    modify_targets: { type: 'bool', default: false },
    name: { type: 'str', required: true },
    port: { type: 'int' },
    protocol: { type: 'str', choices: PROTOCOLS },
    protocol_version: { type: 'str', choices: ['GRPC', 'HTTP1', 'HTTP2'] },
    purge_tags: { type: 'bool', default: true },
    stickiness_enabled: { type: 'bool' },
    stickiness_type: { type: 'str' },
    stickiness_lb_cookie_duration: { type: 'int' },
    stickiness_app_cookie_duration: { type: 'int' },
    stickiness_app_cookie_name: { type: 'str' },
    load_balancing_algorithm_type: { type: 'str', choices: ['round_robin', 'least_outstanding_requests'] },
    state: { type: 'str', required: true, choices: ['present', 'absent'] },
    successful_response_codes: { type: 'str' },
    tags: { type: 'dict', aliases: ['resource_tags'] },
    target_type: { type: 'str', choices: ['instance', 'ip', 'lambda', 'alb'] },
    targets: { type: 'list', elements: 'dict' },
    unhealthy_threshold_count: { type: 'int' },
    vpc_id: { type: 'str' },
    preserve_client_ip_enabled: { type: 'bool' },
    proxy_protocol_v2_enabled: { type: 'bool' },
    wait_timeout: { type: 'int', default: 200 },
    wait: { type: 'bool', default: false },
  }),
  constraints: {
    requiredBy: { health_check_path: ['health_check_protocol'], successful_response_codes: ['health_check_protocol'] },
    requiredIf: [
      ['target_type', 'instance', ['protocol', 'port', 'vpc_id']],
      ['target_type', 'ip', ['protocol', 'port', 'vpc_id']],
      ['target_type', 'alb', ['protocol', 'port', 'vpc_id']],
    ],
  },
  supportsCheckMode: true,
  controllerOnly: true,
};
