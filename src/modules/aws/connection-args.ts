// The connection arguments every AWS module accepts (amazon.aws's common spec): credentials,
// profile, endpoint, region, TLS and SDK settings, under the names and aliases Ansible knows.
import type { ArgSpec } from '../module.js';

export const AWS_CONNECTION_ARGS: ArgSpec = {
  access_key: { type: 'str', aliases: ['aws_access_key_id', 'aws_access_key', 'ec2_access_key'] },
  secret_key: { type: 'str', aliases: ['aws_secret_access_key', 'aws_secret_key', 'ec2_secret_key'], noLog: true },
  session_token: {
    type: 'str',
    aliases: ['aws_session_token', 'security_token', 'aws_security_token', 'access_token'],
    noLog: true,
  },
  profile: { type: 'str', aliases: ['aws_profile'] },
  endpoint_url: { type: 'str', aliases: ['aws_endpoint_url', 'ec2_url', 's3_url'] },
  validate_certs: { type: 'bool', default: true },
  aws_ca_bundle: { type: 'path' },
  aws_config: { type: 'dict' },
  debug_botocore_endpoint_logs: { type: 'bool', default: false },
  region: { type: 'str', aliases: ['aws_region', 'ec2_region'] },
};

/** The connection arguments after validation (absent ones are undefined or null). */
export interface AwsConnectionArgs {
  access_key?: string | null;
  secret_key?: string | null;
  session_token?: string | null;
  profile?: string | null;
  endpoint_url?: string | null;
  validate_certs?: boolean | null;
  aws_ca_bundle?: string | null;
  aws_config?: Record<string, unknown> | null;
  region?: string | null;
}

/** A module's own spec with the connection arguments added. */
export function withConnectionArgs(spec: ArgSpec): ArgSpec {
  return { ...spec, ...AWS_CONNECTION_ARGS };
}
