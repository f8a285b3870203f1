// Ansible's evaluation of `when` / `failed_when` / `changed_when` / `until`: the
// conditional is templated once, then evaluated as `{% if <cond> %} True {% else %} False {% endif %}`.
// An undefined variable fails, unless the conditional tests exactly that variable with
// `is defined` / `is undefined`.
import { TemplateError } from '../templar.js';

const DEFINED_REGEX = /(hostvars\[.+\]|[\w_]+)\s+(not\s+is|is|is\s+not)\s+(defined|undefined)/g;
const UNDEFINED_NAME = /'(hostvars\[.+\]|[\w_]+)' is undefined/;

/** The verdict for an undefined-variable error, when the conditional tests that variable. */
export function definedTestVerdict(conditional: string, error: TemplateError): boolean | undefined {
  const m = UNDEFINED_NAME.exec(error.message);
  if (!m) return undefined;
  const varName = m[1]!.replace(/'/g, '"');
  for (const [, name, logic, state] of conditional.matchAll(DEFINED_REGEX)) {
    if (name!.replace(/'/g, '"') !== varName) continue;
    const shouldExist = logic!.includes('not') !== (state === 'defined');
    return !shouldExist;
  }
  return undefined;
}

export function conditionalError(conditional: string, error: TemplateError): TemplateError {
  const detail = error.isUndefinedVariable ? `error while evaluating conditional (${conditional}): ${error.message}` : error.message;
  return new TemplateError(`The conditional check '${conditional}' failed. The error was: ${detail}`, {
    type: 'AnsibleError',
    cause: error,
  });
}
