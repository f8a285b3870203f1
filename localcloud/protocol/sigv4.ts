// Reads the credential scope of a SigV4 Authorization header: it names the service and
// region a request is for, which is how the local cloud routes requests on one port.
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

export function credentialScope(authorization: string | undefined): CredentialScope | undefined {
  if (!authorization) return undefined;
  const match = CREDENTIAL.exec(authorization);
  if (!match) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = ''] = match;
  return { accessKeyId, date, region, service };
}
