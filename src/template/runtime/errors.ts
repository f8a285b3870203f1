// Exceptions raised while evaluating templates, named after the Python exception Ansible
// reports (`TypeError`, `AnsibleFilterError`, ...). The templar turns them into
// TemplateError with Ansible's message formats.

export class PyException extends Error {
  constructor(
    /** Python exception class name, as Ansible prints it. */
    readonly pyType: string,
    message: string,
  ) {
    super(message);
    this.name = pyType;
  }
}

export const pyTypeError = (message: string) => new PyException('TypeError', message);
export const pyValueError = (message: string) => new PyException('ValueError', message);
export const pyKeyError = (message: string) => new PyException('KeyError', message);
export const pyIndexError = (message: string) => new PyException('IndexError', message);
export const pyZeroDivision = (message: string) => new PyException('ZeroDivisionError', message);

/** jinja2.exceptions.UndefinedError: an undefined value was used. */
export class UndefinedError extends PyException {
  /** pyType is AnsibleUndefinedVariable for lazily templated variables that failed. */
  constructor(message: string, pyType = 'UndefinedError') {
    super(pyType, message);
  }
}

/** jinja2.exceptions.TemplateSyntaxError. */
export class TemplateSyntaxError extends PyException {
  constructor(
    message: string,
    readonly lineno?: number,
  ) {
    super('TemplateSyntaxError', message);
  }
}

/** jinja2.exceptions.TemplateRuntimeError (e.g. assigning to a non-namespace attribute). */
export class TemplateRuntimeError extends PyException {
  constructor(message: string) {
    super('TemplateRuntimeError', message);
  }
}

/** Errors Ansible's own plugins raise (AnsibleFilterError, AnsibleLookupError, AnsibleError...). */
export class AnsiblePluginError extends PyException {
  constructor(pyType: string, message: string) {
    super(pyType, message);
  }
}

export const filterError = (message: string) => new AnsiblePluginError('AnsibleFilterError', message);
export const lookupError = (message: string) => new AnsiblePluginError('AnsibleLookupError', message);
export const ansibleError = (message: string) => new AnsiblePluginError('AnsibleError', message);
