// An error the way an AWS service reports it: a code the SDK maps to an exception class,
// a message, and the HTTP status the service answers with.
export class CloudError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
  }
}

/** A request parameter is missing (the code both Query APIs use). */
export function missingParameter(name: string): CloudError {
  return new CloudError('MissingParameter', `The request must contain the parameter ${name}`);
}
