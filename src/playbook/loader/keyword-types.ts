// The keyword checks Ansible makes while loading a play, block or task, with its messages
// and exit codes, and only those: a value Ansible accepts at load time (`when: {}`,
// `loop: 3`, `notify: 3`) is left for the run to judge as Ansible's run does.
//   - string keywords given a list or mapping: parser error (exit 4);
//   - vars that are not a mapping or a list of mappings, or have a bad variable name (exit 4);
//   - loop_control that is not a mapping (exit 4);
//   - tags that are neither a list nor a string (exit 1);
//   - play keywords Ansible converts before the play starts (gather_facts, force_handlers,
//     gather_timeout, max_fail_percentage, gather_subset, collections, strategy), when
//     they are literal values (templated ones are converted by the engine at play start).
import { ParserError, TsplayError, type SourcePosition } from '../../errors.js';
import { pyStr } from '../../template/runtime/repr.js';
import { pyTypeRepr } from '../../yaml/python-types.js';
import { booleanProblem, conversionMessage, integerProblem, percentProblem } from '../field-conversion.js';
import { keyPositionOf, positionOf } from '../../yaml/positions.js';

/** The Ansible class whose keywords are checked (it names the class in some messages). */
export type KeywordOwner = 'Play' | 'Block' | 'Task' | 'Handler' | 'RoleDefinition';

const COMMON_STRINGS = ['become_exe', 'become_flags', 'become_method', 'become_user', 'connection', 'debugger', 'name', 'remote_user'];

/** Keywords Ansible declares with isa='string' (FieldAttribute), per class. */
const STRING_KEYWORDS: Record<KeywordOwner, ReadonlySet<string>> = {
  Play: new Set([...COMMON_STRINGS, 'fact_path', 'order', 'strategy']),
  Block: new Set([...COMMON_STRINGS, 'delegate_to']),
  Task: new Set([...COMMON_STRINGS, 'delegate_to', 'register']),
  Handler: new Set([...COMMON_STRINGS, 'delegate_to', 'register']),
  RoleDefinition: new Set([...COMMON_STRINGS, 'role']),
};

const PLAY_BOOLEANS = ['gather_facts', 'force_handlers'];
const PLAY_INTEGERS = ['gather_timeout'];
const PLAY_STRING_LISTS = ['gather_subset', 'collections'];
const STRATEGIES = new Set(['linear', 'free', 'host_pinned', 'debug'].flatMap((s) => [s, `ansible.builtin.${s}`, `ansible.legacy.${s}`]));

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value the run will template: Ansible converts it only after templating. */
function isTemplated(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('{{') || value.includes('{%'));
}

/** Python's str.isidentifier(), which Ansible applies to variable names. */
export function isIdentifier(name: string): boolean {
  return /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name);
}

function at(data: Record<string, unknown>, key: string): SourcePosition | undefined {
  return positionOf(data[key]) ?? keyPositionOf(data, key) ?? positionOf(data);
}

/**
 * A play's, block's or task's vars as one mapping (a list of mappings is merged in order),
 * or a parser error with Ansible's message.
 */
export function normalizeVars(data: Record<string, unknown>, owner: KeywordOwner): Record<string, unknown> {
  const value = data.vars;
  if (value === undefined || value === null) return {};
  const parts = isMapping(value) ? [value] : Array.isArray(value) && value.every(isMapping) ? (value as Record<string, unknown>[]) : undefined;
  if (!parts) throw new ParserError(`Vars in a ${owner} must be specified as a dictionary, or a list of dictionaries`, at(data, 'vars'));
  for (const part of parts) {
    const bad = Object.keys(part).find((name) => !isIdentifier(name));
    if (bad !== undefined) {
      throw new ParserError(`Invalid variable name in vars specified for ${owner}: '${bad}' is not a valid variable name`, keyPositionOf(part, bad) ?? at(data, 'vars'));
    }
  }
  return parts.length === 1 ? parts[0]! : Object.assign({}, ...parts);
}

/** The load-time checks of the keywords of one play, block, task or handler. */
export function validateKeywordTypes(data: Record<string, unknown>, owner: KeywordOwner): void {
  if ('vars' in data) normalizeVars(data, owner);
  if ('loop_control' in data && !isMapping(data.loop_control)) {
    throw new ParserError(
      'the `loop_control` value must be specified as a dictionary and cannot be a variable itself (though it can contain variables)',
      at(data, 'loop_control'),
    );
  }
  if ('tags' in data && !Array.isArray(data.tags) && typeof data.tags !== 'string') {
    throw new TsplayError('tags must be specified as a list', { pos: at(data, 'tags') });
  }
  for (const key of STRING_KEYWORDS[owner]) {
    const value = data[key];
    if (typeof value === 'object' && value !== null) {
      throw new ParserError(`The field '${key}' is supposed to be a string type, however the incoming data structure is a ${pyTypeRepr(value)}`, positionOf(data));
    }
  }
  if (owner === 'Play') validatePlayConversions(data);
}

function conversionError(data: Record<string, unknown>, key: string, type: string, reason: string): ParserError {
  return new ParserError(conversionMessage(key, data[key], type, reason), positionOf(data));
}

/** What Ansible's Play.post_validate converts before the play's banner. */
function validatePlayConversions(data: Record<string, unknown>): void {
  const literal = (key: string) => key in data && data[key] !== null && data[key] !== undefined && !isTemplated(data[key]);
  for (const key of PLAY_BOOLEANS) {
    const problem = literal(key) ? booleanProblem(data[key]) : undefined;
    if (problem) throw conversionError(data, key, 'bool', problem);
  }
  for (const key of PLAY_INTEGERS) {
    const problem = literal(key) ? integerProblem(data[key]) : undefined;
    if (problem) throw conversionError(data, key, 'int', problem);
  }
  const percent = literal('max_fail_percentage') ? percentProblem(data.max_fail_percentage) : undefined;
  if (percent) throw conversionError(data, 'max_fail_percentage', 'percent', percent);
  for (const key of PLAY_STRING_LISTS) {
    if (!literal(key)) continue;
    const value = data[key];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'string') {
        throw new ParserError(`the field '${key}' should be a list of (<class 'str'>,), but the item '${pyStr(item)}' is a ${pythonType(item)}`, positionOf(data));
      }
    }
  }
  if (literal('strategy') && typeof data.strategy === 'string' && !STRATEGIES.has(data.strategy)) {
    throw new TsplayError(`Invalid play strategy specified: ${data.strategy}`, { pos: positionOf(data) });
  }
}

/** type() of a value once Ansible has copied it out of the YAML objects (plain Python types). */
function pythonType(value: unknown): string {
  if (Array.isArray(value)) return "<class 'list'>";
  if (isMapping(value)) return "<class 'dict'>";
  return pyTypeRepr(value).replace('ansible.parsing.yaml.objects.AnsibleUnicode', 'str');
}
