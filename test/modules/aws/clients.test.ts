import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsSession, destroyAwsClients, resolveAwsSettings } from '../../../src/modules/aws/clients.js';
import { ModuleFailure } from '../../../src/modules/module.js';

afterEach(() => destroyAwsClients());

describe('resolveAwsSettings', () => {
  it('takes explicit keys, region and endpoint from the arguments first', () => {
    const settings = resolveAwsSettings(
      { access_key: 'AKIAARG', secret_key: 'argsecret', session_token: 'tok', region: 'eu-west-1', endpoint_url: 'http://127.0.0.1:9999' },
      { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'envsecret', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://elsewhere' },
      'ec2',
    );
    expect(settings).toMatchObject({
      credentials: { accessKeyId: 'AKIAARG', secretAccessKey: 'argsecret', sessionToken: 'tok' },
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9999',
      retryMode: 'standard',
    });
  });

  it('treats empty (null) keys as not given: the environment, then the SDK default chain', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'envsecret', AWS_DEFAULT_REGION: 'ap-northeast-1' };
    expect(resolveAwsSettings({ access_key: null, secret_key: null }, env, 'ec2')).toMatchObject({
      credentials: { accessKeyId: 'AKIAENV', secretAccessKey: 'envsecret' },
      region: 'ap-northeast-1',
    });
    const chain = resolveAwsSettings({ access_key: null, secret_key: '' }, {}, 'ec2');
    expect(chain.credentials).toBeUndefined();
    expect(chain.region).toBeUndefined();
    expect(chain.endpoint).toBeUndefined();
  });

  it('reads the legacy EC2_* names and the per-service endpoint variables', () => {
    const env = { EC2_ACCESS_KEY: 'AKIALEGACY', EC2_SECRET_KEY: 's', EC2_REGION: 'us-west-2', AWS_ENDPOINT_URL_ROUTE_53: 'http://r53', AWS_ENDPOINT_URL: 'http://all' };
    expect(resolveAwsSettings({}, env, 'ec2')).toMatchObject({ credentials: { accessKeyId: 'AKIALEGACY' }, region: 'us-west-2', endpoint: 'http://all' });
    expect(resolveAwsSettings({}, env, 'route53')).toMatchObject({ endpoint: 'http://r53', region: 'us-east-1' });
    expect(resolveAwsSettings({}, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'ec2').endpoint).toBeUndefined();
    expect(resolveAwsSettings({}, { EC2_URL: 'http://ec2-url' }, 'ec2').endpoint).toBe('http://ec2-url');
  });

  it('lets a profile win over keys in the environment', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'envsecret' };
    expect(resolveAwsSettings({ profile: 'stg' }, env, 'ec2')).toMatchObject({ profile: 'stg', credentials: undefined });
    expect(resolveAwsSettings({}, { ...env, AWS_PROFILE: 'prd' }, 'ec2')).toMatchObject({ profile: 'prd', credentials: undefined });
  });

  it('refuses half a key pair', () => {
    expect(() => resolveAwsSettings({ access_key: 'AKIA' }, {}, 'ec2')).toThrow('Partial credentials found in explicit, missing: aws_secret_access_key');
  });

  it('takes retries and timeouts from aws_config or the environment', () => {
    expect(resolveAwsSettings({ aws_config: { retries: { mode: 'adaptive', max_attempts: 9 }, connect_timeout: 2, read_timeout: 30 } }, {}, 'ec2')).toMatchObject({
      retryMode: 'adaptive',
      maxAttempts: 10,
      connectTimeoutMs: 2000,
      requestTimeoutMs: 30000,
    });
    expect(resolveAwsSettings({}, { AWS_RETRY_MODE: 'legacy', AWS_MAX_ATTEMPTS: '3' }, 'ec2')).toMatchObject({ retryMode: 'legacy', maxAttempts: 3 });
    expect(() => resolveAwsSettings({ aws_config: { retries: { mode: 'eager' } } }, {}, 'ec2')).toThrow('Invalid retry mode eager');
  });
});

describe('AwsSession', () => {
  it('builds clients from the settings, shared between tasks with the same settings', async () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'eu-central-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' };
    const a = await new AwsSession({}, env, 'ec2').ec2();
    const b = await new AwsSession({ access_key: null }, env, 'ec2').ec2();
    expect(a).toBe(b);
    expect(await a.config.region()).toBe('eu-central-1');
    expect((await a.config.credentials()).accessKeyId).toBe('AKIAENV');
    const endpoint = await a.config.endpoint?.();
    expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe('http://127.0.0.1:1');
    expect(await a.config.retryStrategy()).toBeDefined();
  });

  it('finds the region in the profile of a shared config file, and words a missing region as amazon.aws does', async () => {
    // The SDK reads the shared files where the controller's environment says they are.
    const dir = mkdtempSync(join(tmpdir(), 'aws-config-'));
    writeFileSync(join(dir, 'config'), '[profile stg]\nregion = ap-northeast-1\n');
    const saved = { ...process.env };
    for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) delete process.env[name];
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'none');
    try {
      const client = await new AwsSession({ profile: 'stg' }, {}, 'ec2').ec2();
      expect(await client.config.region()).toBe('ap-northeast-1');
      const error = await new AwsSession({ profile: 'other' }, {}, 'elb_target').elbv2().catch((e: Error) => e);
      expect(error).toBeInstanceOf(ModuleFailure);
      expect((error as Error).message).toBe('The elb_target module requires a region and none was found in configuration, environment variables or module parameters');
    } finally {
      process.env = saved;
    }
  });
});
