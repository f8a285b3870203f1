// tsplay's templating: Ansible's Jinja2 on nunjucks. See README.md in this folder for the
// design (where nunjucks is extended, the Python value model, Ansible's rules).
import './filters/index.js';
import './tests/index.js';
import './lookups/index.js';
import { AnsibleTemplar, TemplarOptions } from './ansible/templar.js';
import type { Templar } from './templar.js';

export { TemplateError } from './templar.js';
export type { Templar, TemplateOptions, JinjaSettings } from './templar.js';
export { markUnsafe } from './ansible/variables.js';
export { stripOmitted, isOmitted, OMIT_PREFIX, makeOmitValue } from './ansible/omit.js';
export type { TemplarOptions } from './ansible/templar.js';
/** Lookups that need the engine's state (inventory_hostnames...) are registered by the engine. */
export { defineLookup } from './lookups/registry.js';
export type { LookupRun } from './lookups/registry.js';

/** The templating engine every part of tsplay uses. */
export function createTemplar(options: TemplarOptions = {}): Templar & AnsibleTemplar {
  return new AnsibleTemplar(options);
}
