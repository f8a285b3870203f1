// Sending one SDK command, and turning what can go wrong into the failure Ansible's AWS
// modules report: "<what failed>: An error occurred (<Code>) when calling the <Operation>
// operation: <message>", with the error and response metadata in snake_case beside it.
import { ModuleFailure } from '../module.js';

/** What every SDK v3 command looks like from outside: its middleware resolves to its output. */
interface SdkCommand<Output> {
  readonly input: object;
  resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: Output }>;
}

type OutputOf<C> = C extends SdkCommand<infer O> ? O : never;

interface SdkClient {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  config?: { endpoint?: () => Promise<{ protocol?: string; hostname?: string; port?: number; path?: string }> };
}

/** An SDK failure with the operation it came from (the SDK's errors do not say). */
export class AwsCallError extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
    /** The endpoint the client was sending to, when the connection failed. */
    readonly endpoint?: string,
  ) {
    super(describeAwsError(operation, cause, endpoint));
    this.name = 'AwsCallError';
  }

  /** The AWS error code (InvalidInstanceID.NotFound, Throttling...), when AWS answered. */
  get code(): string | undefined {
    return errorCode(this.cause);
  }
}

function operationOf(command: object): string {
  return command.constructor.name.replace(/Command$/, '');
}

/** Sends a command; failures become AwsCallError naming the operation. */
export async function send<C extends SdkCommand<unknown>>(client: SdkClient, command: C, signal?: AbortSignal): Promise<OutputOf<C>> {
  try {
    return (await client.send(command as never, signal ? { abortSignal: signal } : undefined)) as OutputOf<C>;
  } catch (error) {
    throw new AwsCallError(operationOf(command), error, isConnectionError(error) ? await endpointOf(client) : undefined);
  }
}

/** The configured endpoint as botocore prints it in connection errors (http://host:port/). */
async function endpointOf(client: SdkClient): Promise<string | undefined> {
  try {
    const endpoint = await client.config?.endpoint?.();
    if (!endpoint?.hostname) return undefined;
    return `${endpoint.protocol ?? 'https:'}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}${endpoint.path ?? '/'}`;
  } catch {
    return undefined;
  }
}

interface ServiceErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number; extendedRequestId?: string };
  /** Sender or Receiver, in the error bodies of the Query and REST-XML services that send it (not EC2). */
  Type?: string;
  $response?: { headers?: Record<string, string> };
}

/** The AWS error code, when AWS answered (the SDK also puts $metadata on connection errors). */
function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const shape = error as ServiceErrorShape;
  if (shape.$fault === undefined && shape.$metadata?.httpStatusCode === undefined) return undefined;
  return shape.Code ?? shape.name;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);

function isConnectionError(error: unknown): boolean {
  const shape = (error ?? {}) as ServiceErrorShape;
  return errorCode(error) === undefined && (CONNECTION_CODES.has(shape.code ?? '') || CONNECTION_CODES.has(shape.name ?? ''));
}

/** botocore's wording for the same situations, so that messages read as users know them. */
function describeAwsError(operation: string, error: unknown, endpoint?: string): string {
  const shape = (error ?? {}) as ServiceErrorShape & { address?: string; port?: number };
  const code = errorCode(error);
  if (code !== undefined) {
    return `An error occurred (${code}) when calling the ${operation} operation: ${shape.message ?? ''}`.trimEnd();
  }
  const name = shape.name ?? '';
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(shape.message ?? '')) return 'Unable to locate credentials';
  if (isConnectionError(error)) {
    const where = endpoint ?? (shape.address ? `${shape.address}${shape.port ? `:${shape.port}` : ''}` : 'the endpoint');
    return `Could not connect to the endpoint URL: "${where}"`;
  }
  if (name === 'AbortError') return `${operation} was interrupted`;
  if (name === 'TimeoutError' || /timed? ?out/i.test(shape.message ?? '')) return `Read timeout on endpoint URL for ${operation}: ${shape.message ?? ''}`;
  return shape.message || name || String(error);
}

/** The snake_case keys fail_json_aws adds from the botocore response. */
function failureDetails(error: unknown): Record<string, unknown> {
  const code = errorCode(error);
  if (code === undefined) return {};
  const shape = error as ServiceErrorShape;
  const metadata = shape.$metadata ?? {};
  const headers = shape.$response?.headers;
  return {
    error: { code, message: shape.message ?? '', ...(typeof shape.Type === 'string' ? { type: shape.Type } : {}) },
    response_metadata: {
      ...(headers ? { http_headers: { ...headers } } : {}),
      http_status_code: metadata.httpStatusCode,
      request_id: metadata.requestId,
      retry_attempts: Math.max(0, (metadata.attempts ?? 1) - 1),
    },
  };
}

/**
 * A module failure for an AWS error: `msg` says what the module was doing, as in
 * fail_json_aws(e, msg=...). Module failures pass through, and so do errors that did not
 * come from AWS or the SDK (a bug should reach the executor with its stack, as a module
 * crash does in Ansible).
 */
export function awsFailure(error: unknown, msg?: string, extra: Record<string, unknown> = {}): Error {
  if (error instanceof ModuleFailure) return error;
  if (!(error instanceof AwsCallError) && errorCode(error) === undefined) return error instanceof Error ? error : new Error(String(error));
  const cause = error instanceof AwsCallError ? error.cause : error;
  const text = error instanceof AwsCallError ? error.message : describeAwsError('', error);
  return new ModuleFailure(msg ? `${msg}: ${text}` : text, { ...failureDetails(cause), ...extra });
}

/** True when the error is AWS answering with this code (is_boto3_error_code). */
export function isAwsErrorCode(error: unknown, ...codes: string[]): boolean {
  const code = error instanceof AwsCallError ? error.code : errorCode(error);
  return code !== undefined && codes.includes(code);
}

/** True when AWS's message contains the text (is_boto3_error_message). */
export function isAwsErrorMessage(error: unknown, text: string): boolean {
  const cause = error instanceof AwsCallError ? error.cause : error;
  return errorCode(cause) !== undefined && ((cause as ServiceErrorShape).message ?? '').includes(text);
}
