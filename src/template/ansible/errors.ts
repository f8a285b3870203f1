// Ansible's messages for templating failures (Templar.do_template's error handling).
import { PyException } from '../runtime/errors.js';
import { TemplateError } from '../templar.js';

/** The TemplateError Ansible reports for an exception raised while rendering `data`. */
export function toTemplateError(error: unknown, data: string): TemplateError {
  if (error instanceof TemplateError) return error;
  if (error instanceof PyException) {
    const m = error.message;
    switch (error.pyType) {
      case 'UndefinedError':
      case 'AnsibleUndefinedVariable':
        return new TemplateError(`${m}. ${m}`, { type: 'AnsibleUndefinedVariable', cause: error });
      case 'TypeError':
        return new TemplateError(`Unexpected templating type error occurred on (${data}): ${m}. ${m}`, { cause: error });
      case 'TemplateSyntaxError':
        return new TemplateError(`template error while templating string: ${m}. String: ${data}. ${m}`, { cause: error });
      default:
        return new TemplateError(m, { type: error.pyType, cause: error });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TemplateError(`Unexpected failure during templating of (${data}): ${message}`, { cause: error });
}
