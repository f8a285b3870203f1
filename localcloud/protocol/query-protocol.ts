// Serves the Query protocols: EC2 (`ec2Query`) and ELBv2 (`awsQuery`). A request is a
// form-encoded POST with Action and Version; the answer is <ActionResponse> XML.
import { CloudError } from './cloud-error.js';
import { type HttpReply, xmlReply } from './http-reply.js';
import { readQueryInput } from './query-input.js';
import type { QueryService, ServiceContext } from './service.js';
import { XML_DECLARATION, element, escapeXml, writeStructBody } from './xml-output.js';

function errorReply(service: QueryService, error: CloudError, requestId: string): HttpReply {
  const status = service.errorStatus(error.code) ?? error.status;
  const code = element('Code', escapeXml(error.code));
  const message = element('Message', escapeXml(error.message));
  if (service.protocol === 'ec2') {
    const body = `<Response><Errors><Error>${code}${message}</Error></Errors><RequestID>${requestId}</RequestID></Response>`;
    return xmlReply(status, XML_DECLARATION + body, requestId);
  }
  const type = element('Type', status >= 500 ? 'Receiver' : 'Sender');
  const body =
    `<ErrorResponse xmlns="${service.namespace}"><Error>${type}${code}${message}</Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return xmlReply(status, XML_DECLARATION + body, requestId);
}

export async function serveQuery(service: QueryService, params: Map<string, string>, context: ServiceContext): Promise<HttpReply> {
  const { requestId } = context;
  try {
    const action = params.get('Action');
    if (!action) throw new CloudError('MissingAction', 'The request must contain the parameter Action');
    const operation = service.operations.get(action);
    const handler = service.handlers[action];
    if (!operation || !handler) {
      throw new CloudError('InvalidAction', `The action ${action} is not valid for this web service.`);
    }
    const input = readQueryInput(operation.input, params, service.protocol);
    const output = (await (handler as (input: unknown, context: ServiceContext) => unknown)(input, context)) ?? {};
    const body = writeStructBody(operation.output, output as Record<string, unknown>, service.protocol);
    const xml =
      service.protocol === 'ec2'
        ? `<${action}Response xmlns="${service.namespace}"><requestId>${requestId}</requestId>${body}</${action}Response>`
        : `<${action}Response xmlns="${service.namespace}">${element(`${action}Result`, body)}` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
    return xmlReply(200, XML_DECLARATION + xml, requestId);
  } catch (error) {
    if (error instanceof CloudError) return errorReply(service, error, requestId);
    throw error;
  }
}
