// The one place AWS SDK clients are made: credentials, region, endpoint, TLS and retries are
// resolved here from the module arguments and the task's environment, the way amazon.aws
// resolves them, and clients are shared between tasks that resolve to the same settings.
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { ModuleFailure } from '../module.js';
import type { AwsConnectionArgs } from './connection-args.js';

export type AwsService = 'ec2' | 'route53' | 'elbv2';

/** Environment variable naming a service's own endpoint (the SDK's AWS_ENDPOINT_URL_<SERVICE_ID>). */
const SERVICE_ENDPOINT_ENV: Record<AwsService, string> = {
  ec2: 'AWS_ENDPOINT_URL_EC2',
  route53: 'AWS_ENDPOINT_URL_ROUTE_53',
  elbv2: 'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2',
};

/** Route 53 is a global service: requests are signed for us-east-1 whatever region is asked for. */
const GLOBAL_SERVICE_REGION = 'us-east-1';

const DEFAULT_MAX_ATTEMPTS = 5;

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsSettings {
  /** Undefined: the SDK looks in the shared config file (for the profile). */
  region: string | undefined;
  /** Undefined: AWS's own endpoints. */
  endpoint: string | undefined;
  /** Undefined: the SDK's default chain (env, shared files, SSO, container and instance roles). */
  credentials: StaticCredentials | undefined;
  profile: string | undefined;
  retryMode: 'standard' | 'adaptive' | 'legacy';
  maxAttempts: number;
  connectTimeoutMs: number | undefined;
  requestTimeoutMs: number | undefined;
  validateCerts: boolean;
  caBundle: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

function firstSet(...values: (string | null | undefined)[]): string | undefined {
  for (const value of values) if (value !== undefined && value !== null && value !== '') return value;
  return undefined;
}

function fromEnv(env: Env, ...names: string[]): string | undefined {
  return firstSet(...names.map((name) => env[name]));
}

function positiveNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** botocore's Config dict (aws_config): retries {mode, max_attempts/total_max_attempts}, timeouts. */
function sdkConfigOf(awsConfig: Record<string, unknown> | null | undefined, env: Env) {
  const retries = (awsConfig?.retries ?? {}) as Record<string, unknown>;
  const mode = firstSet(typeof retries.mode === 'string' ? retries.mode : undefined, env.AWS_RETRY_MODE) ?? 'standard';
  if (mode !== 'standard' && mode !== 'adaptive' && mode !== 'legacy') {
    throw new ModuleFailure(`Invalid retry mode ${mode}: expected one of standard, adaptive, legacy`);
  }
  // botocore's max_attempts counts retries; total_max_attempts and the SDK count attempts.
  const retriesOnly = positiveNumber(retries.max_attempts);
  const maxAttempts =
    positiveNumber(retries.total_max_attempts) ?? (retriesOnly !== undefined ? retriesOnly + 1 : undefined) ?? positiveNumber(env.AWS_MAX_ATTEMPTS) ?? DEFAULT_MAX_ATTEMPTS;
  const seconds = (v: unknown) => {
    const n = positiveNumber(v);
    return n === undefined ? undefined : n * 1000;
  };
  return {
    retryMode: mode as AwsSettings['retryMode'],
    maxAttempts: Math.trunc(maxAttempts),
    connectTimeoutMs: seconds(awsConfig?.connect_timeout),
    requestTimeoutMs: seconds(awsConfig?.read_timeout),
  };
}

/**
 * Resolves the settings amazon.aws would use: module arguments first, then the AWS_* (and
 * legacy EC2_*) environment variables of the task, then the SDK's own defaults. An argument
 * given as null or '' (such as `aws_access_key:` with no value) counts as not given.
 */
export function resolveAwsSettings(args: AwsConnectionArgs, env: Env, service: AwsService): AwsSettings {
  const profileArg = firstSet(args.profile);
  const accessKeyArg = firstSet(args.access_key);
  const secretKeyArg = firstSet(args.secret_key);
  let credentials: StaticCredentials | undefined;
  let profile: string | undefined;
  if (accessKeyArg || secretKeyArg) {
    if (!accessKeyArg || !secretKeyArg) {
      throw new ModuleFailure(`Partial credentials found in explicit, missing: ${accessKeyArg ? 'aws_secret_access_key' : 'aws_access_key_id'}`);
    }
    credentials = { accessKeyId: accessKeyArg, secretAccessKey: secretKeyArg };
    const token = firstSet(args.session_token);
    if (token) credentials.sessionToken = token;
  } else if (profileArg) {
    profile = profileArg;
  } else {
    profile = fromEnv(env, 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE');
    const accessKey = fromEnv(env, 'AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY', 'EC2_ACCESS_KEY');
    const secretKey = fromEnv(env, 'AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY', 'EC2_SECRET_KEY');
    if (!profile && accessKey && secretKey) {
      credentials = { accessKeyId: accessKey, secretAccessKey: secretKey };
      const token = firstSet(args.session_token) ?? fromEnv(env, 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'EC2_SECURITY_TOKEN');
      if (token) credentials.sessionToken = token;
    }
  }

  const ignoreConfiguredEndpoints = /^(true|1)$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '');
  const endpoint = firstSet(
    args.endpoint_url,
    fromEnv(env, 'AWS_URL', 'EC2_URL', 'S3_URL'),
    ignoreConfiguredEndpoints ? undefined : fromEnv(env, SERVICE_ENDPOINT_ENV[service], 'AWS_ENDPOINT_URL'),
  );
  const region =
    service === 'route53' ? GLOBAL_SERVICE_REGION : firstSet(args.region, fromEnv(env, 'AWS_REGION', 'AWS_DEFAULT_REGION', 'EC2_REGION'));
  return {
    region,
    endpoint,
    credentials,
    profile,
    ...sdkConfigOf(args.aws_config, env),
    validateCerts: args.validate_certs !== false,
    caBundle: firstSet(args.aws_ca_bundle, env.AWS_CA_BUNDLE),
  };
}

type AnyClient = EC2Client | Route53Client | ElasticLoadBalancingV2Client;

const clientCache = new Map<string, AnyClient>();

function clientConfig(settings: AwsSettings) {
  let httpsAgent: HttpsAgent | undefined;
  if (!settings.validateCerts || settings.caBundle) {
    let ca: string | undefined;
    if (settings.caBundle) {
      try {
        ca = readFileSync(settings.caBundle, 'utf8');
      } catch (error) {
        throw new ModuleFailure(`Unable to read the CA bundle ${settings.caBundle}: ${(error as Error).message}`);
      }
    }
    httpsAgent = new HttpsAgent({ keepAlive: true, rejectUnauthorized: settings.validateCerts, ...(ca ? { ca } : {}) });
  }
  const requestHandler =
    httpsAgent || settings.connectTimeoutMs || settings.requestTimeoutMs
      ? {
          ...(httpsAgent ? { httpsAgent } : {}),
          ...(settings.connectTimeoutMs ? { connectionTimeout: settings.connectTimeoutMs } : {}),
          ...(settings.requestTimeoutMs ? { requestTimeout: settings.requestTimeoutMs } : {}),
        }
      : undefined;
  return {
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(requestHandler ? { requestHandler } : {}),
    retryMode: settings.retryMode,
    maxAttempts: settings.maxAttempts,
  };
}

function cached<T extends AnyClient>(service: AwsService, settings: AwsSettings, make: (config: ReturnType<typeof clientConfig>) => T): T {
  // The SDK warns on stderr that it will drop Node 20 in 2027; a playbook's output is no place for it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const key = JSON.stringify([service, settings]);
  let client = clientCache.get(key) as T | undefined;
  if (!client) {
    client = make(clientConfig(settings));
    clientCache.set(key, client);
  }
  return client;
}

/** Closes every cached client (tests; the CLI exits without it). */
export function destroyAwsClients(): void {
  for (const client of clientCache.values()) client.destroy();
  clientCache.clear();
}

/**
 * The clients one task uses. `moduleName` words the region error as amazon.aws does.
 */
export class AwsSession {
  private readonly env: Env;

  constructor(
    private readonly args: AwsConnectionArgs,
    environment: Readonly<Record<string, string>>,
    private readonly moduleName: string,
  ) {
    this.env = { ...process.env, ...environment };
  }

  settings(service: AwsService): AwsSettings {
    return resolveAwsSettings(this.args, this.env, service);
  }

  async ec2(): Promise<EC2Client> {
    const client = cached('ec2', this.settings('ec2'), (config) => new EC2Client(config));
    await this.requireRegion(client);
    return client;
  }

  async elbv2(): Promise<ElasticLoadBalancingV2Client> {
    const client = cached('elbv2', this.settings('elbv2'), (config) => new ElasticLoadBalancingV2Client(config));
    await this.requireRegion(client);
    return client;
  }

  route53(): Route53Client {
    return cached('route53', this.settings('route53'), (config) => new Route53Client(config));
  }

  /** A regional service without a region anywhere (args, env, shared config) is refused up front. */
  private async requireRegion(client: EC2Client | ElasticLoadBalancingV2Client): Promise<void> {
    let region: string | undefined;
    try {
      region = await client.config.region();
    } catch {
      region = undefined;
    }
    if (!region) {
      throw new ModuleFailure(
        `The ${this.moduleName} module requires a region and none was found in configuration, environment variables or module parameters`,
      );
    }
  }
}
