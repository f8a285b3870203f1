// Names Ansible templates while loading (an import's file, a role's name, an imported
// playbook), with only the extra vars known. A template that fails there is the user's
// error, reported at the line that holds it.
import { TsplayError, type SourcePosition } from '../../errors.js';
import { TemplateError } from '../../template/templar.js';
import type { LoadOptions } from './load-context.js';

export function templateWhileLoading(options: LoadOptions, text: string, pos: SourcePosition | undefined): string {
  if (!options.templar.isTemplate(text)) return text;
  try {
    return String(options.templar.template(text, { ...options.extraVars }, { convertData: false, source: pos }));
  } catch (error) {
    if (error instanceof TemplateError) throw new TsplayError(error.message, { pos });
    throw error;
  }
}
