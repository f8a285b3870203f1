// The records behind the ELBv2 API: load balancers, listeners, rules and target groups.
import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import { randomBytes } from 'node:crypto';

export type TargetHealthState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export interface HealthCheckSettings {
  enabled: boolean;
  protocol: string;
  /** "traffic-port" or a port number as a string, as the API has it. */
  port: string;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** Matcher.HttpCode: "200", "200-299", "200,302" */
  httpCode: string;
}

export interface TargetRecord {
  id: string;
  port: number;
  availabilityZone: string | undefined;
  /** The result of health checks (draining is kept apart in drainingUntil). */
  health: 'initial' | 'healthy' | 'unhealthy';
  reason: string | undefined;
  description: string | undefined;
  /** Whether at least one check ran since registration (initial: RegistrationInProgress vs InitialHealthChecking). */
  checked: boolean;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  /** Set while the target drains after deregistration: when it leaves the group. */
  drainingUntil: number | undefined;
  /** Requests the load balancer is sending it now. */
  inFlight: number;
}

export interface TargetGroupRecord {
  arn: string;
  name: string;
  protocol: string;
  protocolVersion: string;
  port: number;
  vpcId: string;
  targetType: 'instance' | 'ip' | 'lambda' | 'alb';
  healthCheck: HealthCheckSettings;
  attributes: Map<string, string>;
  /** key: id:port */
  targets: Map<string, TargetRecord>;
  /** Round-robin cursor of the proxy. */
  cursor: number;
}

export interface RuleRecord {
  arn: string;
  /** "default" for the listener's default rule */
  priority: string;
  conditions: RuleCondition[];
  actions: Action[];
  isDefault: boolean;
}

export interface ListenerRecord {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  /** rules[0] is the default rule (its actions are the listener's DefaultActions). */
  rules: RuleRecord[];
}

export interface LoadBalancerRecord {
  arn: string;
  name: string;
  type: 'application' | 'network' | 'gateway';
  scheme: 'internet-facing' | 'internal';
  vpcId: string;
  subnetIds: string[];
  securityGroups: string[];
  ipAddressType: string;
  /** The loopback address its listeners serve on; also its DNSName. */
  address: string;
  createdTime: Date;
  activeAt: number;
  attributes: Map<string, string>;
}

export function shortId(): string {
  return randomBytes(8).toString('hex');
}

export function targetKey(id: string, port: number): string {
  return `${id}:${port}`;
}

export const TARGET_GROUP_ATTRIBUTE_DEFAULTS: Record<string, string> = {
  'deregistration_delay.timeout_seconds': '300',
  'deregistration_delay.connection_termination.enabled': 'false',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'stickiness.app_cookie.cookie_name': '',
  'stickiness.app_cookie.duration_seconds': '86400',
  'slow_start.duration_seconds': '0',
  'load_balancing.algorithm.type': 'round_robin',
  'load_balancing.algorithm.anomaly_mitigation': 'off',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'target_group_health.dns_failover.minimum_healthy_targets.count': '1',
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': 'off',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': 'off',
};

export const LOAD_BALANCER_ATTRIBUTE_DEFAULTS: Record<string, string> = {
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'deletion_protection.enabled': 'false',
  'idle_timeout.timeout_seconds': '60',
  'routing.http.desync_mitigation_mode': 'defensive',
  'routing.http.drop_invalid_header_fields.enabled': 'false',
  'routing.http.preserve_host_header.enabled': 'false',
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': 'false',
  'routing.http.xff_client_port.enabled': 'false',
  'routing.http.xff_header_processing.mode': 'append',
  'routing.http2.enabled': 'true',
  'waf.fail_open.enabled': 'false',
  'load_balancing.cross_zone.enabled': 'true',
};
