// What a local service declares so that the protocol layer can serve it: the operations
// of the SDK client it mimics, and one handler per action it implements.
import type { Operation } from './schema.js';

/** A handler receives the SDK's input object and returns the SDK's output object. */
export type Handler = (input: never, context: ServiceContext) => unknown;

export type Handlers = Record<string, Handler>;

export interface ServiceContext {
  requestId: string;
  region: string;
}

interface ServiceBase {
  /** The SigV4 signing name clients use for it (the credential scope's service). */
  signingName: string;
  /** The XML namespace of its responses. */
  namespace: string;
  operations: Map<string, Operation>;
  handlers: Handlers;
  /** HTTP status of a modeled error code, from the client's error schemas. */
  errorStatus: (code: string) => number | undefined;
}

export interface QueryService extends ServiceBase {
  protocol: 'ec2' | 'awsQuery';
  version: string;
}

export interface RestXmlService extends ServiceBase {
  protocol: 'restXml';
  /** Path prefix that identifies its requests when they are unsigned. */
  pathPrefix: string;
}

export type LocalService = QueryService | RestXmlService;

/** Maps modeled error codes (as sent on the wire) to their HTTP status, from the client's error schemas. */
export function errorStatusesOf(clientModule: Record<string, unknown>): (code: string) => number | undefined {
  const statuses = new Map<string, number>();
  for (const [exportName, schema] of Object.entries(clientModule)) {
    if (!exportName.endsWith('$') || !Array.isArray(schema) || schema[0] !== -3) continue;
    const traits = schema[3] as Record<string, unknown> | number;
    if (typeof traits !== 'object') continue;
    const queryError = traits.awsQueryError as [string, number] | undefined;
    const code = queryError?.[0] ?? (schema[2] as string);
    const status = queryError?.[1] ?? traits.httpError;
    if (typeof status === 'number') statuses.set(code, status);
  }
  return (code) => statuses.get(code);
}
