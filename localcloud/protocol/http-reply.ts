// The HTTP answer a protocol handler produces; the server writes it.
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function xmlReply(status: number, body: string, requestId: string, headers: Record<string, string> = {}): HttpReply {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...headers },
    body,
  };
}
