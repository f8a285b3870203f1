// Module arguments checked and coerced against the module's argument spec, with the
// steps, order and messages of Ansible's ArgumentSpecValidator: aliases, unsupported
// keys, mutually exclusive, defaults, required, types, choices, the conditional
// requirements, then sub-options. The first error is the one reported, as Ansible does.
import { literalEval } from '../inventory/python-literal.js';
import { pyFloatRepr } from '../template/python/number.js';
import { pyJsonDumps } from '../template/python/json.js';
import { ModuleFailure, type ArgConstraints, type ArgSpec, type ArgSpecEntry, type ArgType, type ModuleDefinition } from './module.js';

export interface ArgumentValidation {
  /** The coerced arguments: canonical names only, defaults filled in. */
  params: Record<string, unknown>;
  /** The first validation error, as the module would report it; undefined when valid. */
  error: string | undefined;
  /** Every error found, in Ansible's order. */
  errors: string[];
  /** Warnings the module would print (an option given together with its alias). */
  warnings: string[];
  /** Values of no_log options: they must not appear in any output. */
  noLogValues: string[];
}

type Params = Record<string, unknown>;

type ErrorKind = 'other' | 'unsupported';

interface Collector {
  errors: { kind: ErrorKind; message: string }[];
  warnings: string[];
  noLogValues: Set<string>;
  /** Unsupported keys as written (with their parents' names), and what was supported there. */
  unsupported: { name: string; supported: string[]; aliases: string[] }[];
}

// ---------------------------------------------------------------------------------------
// Python's view of the values (messages quote types and str() of values as Python does).

function isPlainObject(value: unknown): value is Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);
}

/** Tagged text (!unsafe, !vault) and boxed numbers (Python floats) unwrapped. */
function primitive(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !isPlainObject(value)) {
    const inner = value.valueOf();
    if (typeof inner === 'number') return inner;
    if ('value' in value && typeof (value as { value: unknown }).value === 'string') return String(value);
  }
  return value;
}

function isBoxedFloat(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !isPlainObject(value) && !Array.isArray(value) && typeof value.valueOf() === 'number';
}

export function pythonTypeName(value: unknown): string {
  if (isBoxedFloat(value)) return 'float';
  const v = primitive(value);
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

const pyClass = (value: unknown) => `<class '${pythonTypeName(value)}'>`;

function pyStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** Python's repr() of a plain value. */
export function pythonRepr(value: unknown): string {
  if (typeof value === 'string') return pyStringRepr(value);
  if (isBoxedFloat(value)) return pyFloatRepr(Number(value));
  const v = primitive(value);
  if (typeof v === 'string') return pyStringRepr(v);
  if (Array.isArray(v)) return `[${v.map(pythonRepr).join(', ')}]`;
  if (isPlainObject(v)) return `{${Object.entries(v).map(([k, x]) => `${pyStringRepr(k)}: ${pythonRepr(x)}`).join(', ')}}`;
  return pythonStr(v);
}

/** Python's str() of a plain value. */
export function pythonStr(value: unknown): string {
  if (isBoxedFloat(value)) return pyFloatRepr(Number(value));
  const v = primitive(value);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  return pythonRepr(v);
}

/** Python's == between argument values (True == 1, 1 == 1.0). */
function pythonEquals(a: unknown, b: unknown): boolean {
  const x = primitive(a);
  const y = primitive(b);
  const num = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
  if ((typeof x === 'number' || typeof x === 'boolean') && (typeof y === 'number' || typeof y === 'boolean')) return num(x) === num(y);
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((item, i) => pythonEquals(item, y[i]));
  if (isPlainObject(x) && isPlainObject(y)) {
    const keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every((k) => k in y && pythonEquals(x[k], y[k]));
  }
  return x === y || (x == null && y == null);
}

// ---------------------------------------------------------------------------------------
// Type checkers: each returns the converted value or throws a TypeError with Ansible's text.

/** The spellings a module accepts as booleans (module_utils' BOOLEANS). */
const BOOLEANS_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const BOOLEANS_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);
const BOOLEANS_LISTED = "'y', 'yes', 'on', '1', 'true', 't', 1, 1.0, True, 'n', 'no', 'off', '0', 'false', 'f', 0, 0.0, False";

/** A module's boolean(): raises on anything that is not one of the accepted spellings. */
export function moduleBoolean(value: unknown): boolean {
  const v = primitive(value);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (v === 1) return true;
    if (v === 0) return false;
  }
  if (typeof v === 'string') {
    const text = v.trim().toLowerCase();
    if (BOOLEANS_TRUE.has(text)) return true;
    if (BOOLEANS_FALSE.has(text)) return false;
  }
  throw new TypeError(`The value '${pythonStr(v)}' is not a valid boolean.  Valid booleans include: ${BOOLEANS_LISTED}`);
}

const PY_INT = /^\s*[+-]?\d(?:_?\d)*\s*$/;
const PY_FLOAT = /^\s*[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.|inf(?:inity)?|nan)\s*$/i;

function checkStr(value: unknown): string {
  return pythonStr(value);
}

function checkList(value: unknown): unknown[] {
  const v = primitive(value);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(',');
  if (typeof v === 'number' || typeof v === 'boolean') return [pythonStr(value)];
  throw new TypeError(`${pyClass(v)} cannot be converted to a list`);
}

/** `a=1, b="x y"` as Ansible's check_type_dict splits it (quotes group, backslash escapes). */
function splitKeyValues(text: string): Params {
  const fields: string[] = [];
  let buffer = '';
  let quote: string | undefined;
  let escaped = false;
  for (const ch of text.trim()) {
    if (escaped) {
      buffer += ch;
      escaped = false;
    } else if (ch === '\\') escaped = true;
    else if (!quote && (ch === "'" || ch === '"')) quote = ch;
    else if (quote && ch === quote) quote = undefined;
    else if (!quote && (ch === ',' || ch === ' ')) {
      if (buffer) fields.push(buffer);
      buffer = '';
    } else buffer += ch;
  }
  if (buffer) fields.push(buffer);
  const out: Params = {};
  for (const field of fields) {
    const eq = field.indexOf('=');
    if (eq === -1) throw new TypeError('dictionary update sequence element has length 1; 2 is required');
    out[field.slice(0, eq)] = field.slice(eq + 1);
  }
  return out;
}

function checkDict(value: unknown): Params {
  const v = primitive(value);
  if (isPlainObject(v)) return v;
  if (typeof v === 'string') {
    if (v.startsWith('{')) {
      try {
        return JSON.parse(v) as Params;
      } catch {
        // Ansible falls back to a Python literal, refusing method calls and imports.
        const literal = /\w\.\w+\(|import \w+/.test(v) ? undefined : literalEval(v);
        if (!literal || !literal.ok) throw new TypeError('unable to evaluate string as dictionary');
        return literal.value as Params;
      }
    }
    if (v.includes('=')) return splitKeyValues(v);
    throw new TypeError('dictionary requested, could not parse JSON or key=value');
  }
  throw new TypeError(`${pyClass(v)} cannot be converted to a dict`);
}

function checkBool(value: unknown): boolean {
  const v = primitive(value);
  if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return moduleBoolean(v);
  throw new TypeError(`${pyClass(v)} cannot be converted to a bool`);
}

function checkInt(value: unknown): number {
  const v = primitive(value);
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'number' && Number.isInteger(v) && !isBoxedFloat(value)) return v;
  if (typeof v === 'string' && PY_INT.test(v)) return parseInt(v.replace(/_/g, ''), 10);
  throw new TypeError(`${pyClass(value)} cannot be converted to an int`);
}

function checkFloat(value: unknown): number {
  const v = primitive(value);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'string' && PY_FLOAT.test(v)) {
    const text = v.trim().replace(/_/g, '').toLowerCase();
    if (text.endsWith('nan')) return NaN;
    if (text.includes('inf')) return text.startsWith('-') ? -Infinity : Infinity;
    return Number(text);
  }
  throw new TypeError(`${pyClass(value)} cannot be converted to a float`);
}

function checkJsonArg(value: unknown): string {
  const v = primitive(value);
  if (typeof v === 'string') return v.trim();
  if (Array.isArray(v) || isPlainObject(v)) return pyJsonDumps(v);
  throw new TypeError(`${pyClass(v)} cannot be converted to a json string`);
}

const SIZE_RANGES: Record<string, number> = { Y: 2 ** 80, Z: 2 ** 70, E: 2 ** 60, P: 2 ** 50, T: 2 ** 40, G: 2 ** 30, M: 2 ** 20, K: 2 ** 10, B: 1 };

/** Ansible's human_to_bytes: `10M` -> 10485760 (`Mb` for bits when isbits). */
export function humanToBytes(input: unknown, isbits = false): number {
  const text = pythonStr(input);
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text)!;
  const num = Number(m[1]);
  if (m[1] === '' || m[1] === '.' || Number.isNaN(num)) {
    throw new RangeError(`human_to_bytes() can't interpret following number: ${m[1]} (original input string: ${text})`);
  }
  const unit = m[2];
  if (unit === undefined) return Math.round(num);
  const rangeKey = unit[0]!.toUpperCase();
  const limit = SIZE_RANGES[rangeKey];
  if (limit === undefined) throw new RangeError(`human_to_bytes() failed to convert ${text} (unit = ${unit}). The suffix must be one of Y, Z, E, P, T, G, M, K, B`);
  const unitClass = isbits ? 'b' : 'B';
  if (unit.length > 1 && !unit.toLowerCase().includes(isbits ? 'bit' : 'byte') && unit[1] !== unitClass) {
    throw new RangeError(`human_to_bytes() failed to convert ${text}. Value is not a valid string`);
  }
  return Math.round(num * limit);
}

function checkBytes(value: unknown, isbits: boolean): number {
  try {
    return humanToBytes(value, isbits);
  } catch {
    throw new TypeError(`${pyClass(value)} cannot be converted to a ${isbits ? 'Bit' : 'Byte'} value`);
  }
}

const TYPE_CHECKERS: Record<ArgType, (value: unknown) => unknown> = {
  str: checkStr,
  // `~` and `$VAR` mean the target's home and environment: modules expand them there.
  path: checkStr,
  list: checkList,
  dict: checkDict,
  bool: checkBool,
  int: checkInt,
  float: checkFloat,
  raw: (v) => v,
  json: checkJsonArg,
  jsonarg: checkJsonArg,
  bytes: (v) => checkBytes(v, false),
  bits: (v) => checkBytes(v, true),
};

// ---------------------------------------------------------------------------------------
// The validation steps.

const present = (params: Params, key: string) => Object.prototype.hasOwnProperty.call(params, key) && params[key] !== undefined;
const isNone = (params: Params, key: string) => !present(params, key) || params[key] === null;
const countTerms = (terms: readonly string[], params: Params) => terms.filter((t) => present(params, t)).length;
const inContext = (message: string, context: readonly string[]) => (context.length ? `${message} found in ${context.join(' -> ')}` : message);

/** Copies alias values to their option; returns alias -> option. */
function handleAliases(spec: ArgSpec, params: Params, collector: Collector, prefix: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const [name, entry] of Object.entries(spec)) {
    for (const alias of entry.aliases ?? []) {
      aliases.set(alias, name);
      if (present(params, alias)) {
        if (present(params, name)) collector.warnings.push(`Both option ${prefix}${name} and its alias ${prefix}${alias} are set.`);
        params[name] = params[alias];
      }
    }
  }
  return aliases;
}

function collectNoLogValues(value: unknown, into: Set<string>): void {
  const v = primitive(value);
  if (v === null || v === undefined || typeof v === 'boolean') return;
  if (typeof v === 'string') {
    if (v) into.add(v);
  } else if (typeof v === 'number') into.add(pythonStr(v));
  else if (Array.isArray(v)) v.forEach((item) => collectNoLogValues(item, into));
  else if (isPlainObject(v)) Object.values(v).forEach((item) => collectNoLogValues(item, into));
}

// Options without a default stay absent (Ansible sets them to None): modules read both as unset.
function setDefaults(spec: ArgSpec, params: Params, collector: Collector): void {
  for (const [name, entry] of Object.entries(spec)) {
    if (present(params, name) || entry.default === undefined || entry.default === null) continue;
    params[name] = structuredClone(entry.default);
    if (entry.noLog) collectNoLogValues(entry.default, collector.noLogValues);
  }
}

function checkRequired(spec: ArgSpec, params: Params, context: string[], collector: Collector): void {
  const missing = Object.entries(spec)
    .filter(([name, entry]) => entry.required && !present(params, name))
    .map(([name]) => name)
    .sort();
  if (missing.length) collector.errors.push({ kind: 'other', message: inContext(`missing required arguments: ${missing.join(', ')}`, context) });
}

function checkMutuallyExclusive(constraints: ArgConstraints | undefined, params: Params, context: string[], collector: Collector): void {
  const conflicts = (constraints?.mutuallyExclusive ?? []).filter((terms) => countTerms(terms, params) > 1);
  if (conflicts.length) {
    collector.errors.push({ kind: 'other', message: inContext(`parameters are mutually exclusive: ${conflicts.map((t) => t.join('|')).join(', ')}`, context) });
  }
}

function checkTypes(spec: ArgSpec, params: Params, context: string[], collector: Collector): void {
  const where = context.length ? ` found in '${context.join(' -> ')}'.` : '';
  for (const [name, entry] of Object.entries(spec)) {
    if (!present(params, name) || params[name] === null) continue;
    const value = params[name];
    const wanted = entry.type ?? 'str';
    try {
      let converted = TYPE_CHECKERS[wanted](value);
      if (entry.elements && Array.isArray(converted)) {
        const checker = TYPE_CHECKERS[entry.elements];
        converted = converted.flatMap((element) => {
          try {
            return [checker(element)];
          } catch (error) {
            const message = `Elements value for option '${name}'${context.length ? ` found in '${context.join(' -> ')}'` : ''} is of type ${pyClass(element)} and we were unable to convert to ${entry.elements}: ${(error as Error).message}`;
            collector.errors.push({ kind: 'other', message });
            return [];
          }
        });
      }
      params[name] = converted;
    } catch (error) {
      const message = `argument '${name}' is of type ${pyClass(value)}${where} and we were unable to convert to ${wanted}: ${(error as Error).message}`;
      collector.errors.push({ kind: 'other', message });
    }
  }
}

const BOOLEAN_CHOICE_TRUE = ['y', 'yes', 'on', '1', 'true', 't', 1, true];
const BOOLEAN_CHOICE_FALSE = ['n', 'no', 'off', '0', 'false', 'f', 0, false];

function checkChoices(spec: ArgSpec, params: Params, context: string[], collector: Collector): void {
  for (const [name, entry] of Object.entries(spec)) {
    const choices = entry.choices;
    if (!choices || !(name in params) || params[name] === undefined) continue;
    const value = params[name];
    const allowed = (v: unknown) => choices.some((c) => pythonEquals(c, v));
    const choicesText = choices.map(pythonStr).join(', ');
    if (Array.isArray(value)) {
      const unmatched = value.filter((item) => !allowed(item));
      if (unmatched.length) {
        collector.errors.push({ kind: 'other', message: inContext(`value of ${name} must be one or more of: ${choicesText}. Got no match for: ${unmatched.map(pythonStr).join(', ')}`, context) });
      }
    } else if (!allowed(value)) {
      // A templated boolean arrives as 'True'/'False': it matches the one boolean spelling among the choices.
      for (const [text, spellings] of [['False', BOOLEAN_CHOICE_FALSE], ['True', BOOLEAN_CHOICE_TRUE]] as const) {
        if (value !== text) continue;
        const overlap = choices.filter((c) => spellings.some((s) => s === c));
        if (overlap.length === 1) params[name] = overlap[0];
      }
      if (!allowed(params[name])) {
        collector.errors.push({ kind: 'other', message: inContext(`value of ${name} must be one of: ${choicesText}, got: ${pythonStr(value)}`, context) });
      }
    }
  }
}

function checkConditionalRequirements(constraints: ArgConstraints | undefined, params: Params, context: string[], collector: Collector): void {
  if (!constraints) return;
  const fail = (message: string) => collector.errors.push({ kind: 'other', message: inContext(message, context) });
  const together = (constraints.requiredTogether ?? []).find((terms) => {
    const counts = terms.map((t) => countTerms([t], params));
    return counts.some((c) => c > 0) && counts.includes(0);
  });
  if (together) fail(`parameters are required together: ${together.join(', ')}`);
  const oneOf = (constraints.requiredOneOf ?? []).find((terms) => countTerms(terms, params) === 0);
  if (oneOf) fail(`one of the following is required: ${oneOf.join(', ')}`);
  for (const [key, value, requirements, anyOf] of constraints.requiredIf ?? []) {
    if (!(key in params) || !pythonEquals(params[key], value)) continue;
    const missing = requirements.filter((r) => countTerms([r], params) === 0);
    if (missing.length && missing.length >= (anyOf ? requirements.length : 0)) {
      fail(`${key} is ${pythonStr(value)} but ${anyOf ? 'any' : 'all'} of the following are missing: ${missing.join(', ')}`);
      break;
    }
  }
  for (const [key, required] of Object.entries(constraints.requiredBy ?? {})) {
    if (isNone(params, key)) continue;
    const missing = required.filter((r) => isNone(params, r));
    if (missing.length) {
      fail(`missing parameter(s) required by '${key}': ${missing.join(', ')}`);
      break;
    }
  }
}

const listedOptions = (spec: ArgSpec) => Object.keys(spec).filter((name) => !spec[name]!.unlisted).sort();

function findUnsupported(spec: ArgSpec, params: Params, aliases: Map<string, string>, context: string[], collector: Collector): void {
  const legal = new Set([...Object.keys(spec), ...aliases.keys()]);
  for (const key of Object.keys(params)) {
    if (legal.has(key) || params[key] === undefined) continue;
    collector.unsupported.push({
      name: [...context, key].join('.'),
      supported: listedOptions(spec),
      aliases: [...aliases.keys()].sort(),
    });
  }
}

function collectSpecNoLog(spec: ArgSpec, params: Params, collector: Collector): void {
  for (const [name, entry] of Object.entries(spec)) {
    if (entry.noLog && present(params, name)) collectNoLogValues(params[name], collector.noLogValues);
    // Ansible looks into sub-options for secrets first: a string that is no dict fails here already.
    const isDictLike = entry.type === 'dict' || (entry.type === 'list' && entry.elements === 'dict');
    if (!entry.options || !isDictLike || isNone(params, name)) continue;
    for (const element of Array.isArray(params[name]) ? (params[name] as unknown[]) : [params[name]]) {
      let sub = element;
      if (typeof sub === 'string') {
        try {
          sub = checkDict(sub);
        } catch (error) {
          collector.errors.push({ kind: 'other', message: (error as Error).message });
          continue;
        }
      }
      if (isPlainObject(sub)) collectSpecNoLog(entry.options, sub, collector);
    }
  }
}

/** One level of validation; `context` names the parent options of a sub-spec. */
function validateLevel(spec: ArgSpec, constraints: ArgConstraints | undefined, params: Params, context: string[], collector: Collector, prefix: string, checkUnknown: boolean): Map<string, string> {
  const aliases = handleAliases(spec, params, collector, prefix);
  collectSpecNoLog(spec, params, collector);
  if (checkUnknown) findUnsupported(spec, params, aliases, context, collector);
  checkMutuallyExclusive(constraints, params, context, collector);
  setDefaults(spec, params, collector);
  checkRequired(spec, params, context, collector);
  checkTypes(spec, params, context, collector);
  checkChoices(spec, params, context, collector);
  checkConditionalRequirements(constraints, params, context, collector);
  validateSubOptions(spec, params, context, collector, prefix);
  return aliases;
}

function validateSubOptions(spec: ArgSpec, params: Params, context: string[], collector: Collector, prefix: string): void {
  for (const [name, entry] of Object.entries(spec)) {
    const isDictLike = entry.type === 'dict' || (entry.type === 'list' && entry.elements === 'dict');
    if (!isDictLike || !entry.options) continue;
    if (entry.applyDefaults && (params[name] === null || params[name] === undefined)) params[name] = {};
    const value = params[name];
    if (value === null || value === undefined) continue;
    const elements = Array.isArray(value) ? value : [value];
    const subContext = [...context, name];
    const converted = elements.map((element, index) => {
      if (!isPlainObject(element)) {
        collector.errors.push({ kind: 'other', message: `value of '${name}' must be of type dict or list of dicts` });
        return element;
      }
      const sub: Params = { ...element };
      const subPrefix = `${prefix}${name}${entry.type === 'list' ? `[${index}]` : ''}.`;
      const aliases = validateLevel(entry.options!, entry.constraints, sub, subContext, collector, subPrefix, true);
      for (const alias of aliases.keys()) delete sub[alias];
      return sub;
    });
    params[name] = Array.isArray(value) ? converted : converted[0];
  }
}

export interface ValidateOptions {
  /** The module name in the "Unsupported parameters for (...) module" message. */
  moduleName: string;
  /** Accept keys outside the spec, unchanged (set_fact, add_host...). */
  acceptsAnyArgs?: boolean;
}

/** Validate and coerce `args` against `spec`, as Ansible's module side does before running. */
export function validateArguments(spec: ArgSpec, constraints: ArgConstraints | undefined, args: Readonly<Params>, options: ValidateOptions): ArgumentValidation {
  const params: Params = {};
  for (const [key, value] of Object.entries(args)) if (value !== undefined) params[key] = value;
  const collector: Collector = { errors: [], warnings: [], noLogValues: new Set(), unsupported: [] };
  const aliases = validateLevel(spec, constraints, params, [], collector, '', !options.acceptsAnyArgs);
  for (const alias of aliases.keys()) if (!(alias in spec)) delete params[alias];
  if (collector.unsupported.length) {
    const names = collector.unsupported.map((u) => u.name).sort();
    const last = collector.unsupported[collector.unsupported.length - 1]!;
    let supported = last.supported.join(', ');
    if (last.aliases.length) supported += ` (${last.aliases.join(', ')})`;
    collector.errors.push({ kind: 'unsupported', message: `${names.join(', ')}. Supported parameters include: ${supported}.` });
  }
  const first = collector.errors[0];
  const describe = (e: { kind: ErrorKind; message: string }) =>
    e.kind === 'unsupported' ? `Unsupported parameters for (${options.moduleName}) module: ${e.message}` : e.message;
  return {
    params,
    error: first ? describe(first) : undefined,
    errors: collector.errors.map(describe),
    warnings: collector.warnings,
    noLogValues: [...collector.noLogValues],
  };
}

/** The name a module's validation messages use for a task written as `action`. */
export function reportedModuleName(definition: ModuleDefinition, action?: string): string {
  return definition.reportedName ?? action ?? definition.name.slice(definition.name.lastIndexOf('.') + 1);
}

/** Full validation of a module's arguments, warnings and no_log values included. */
export function checkModuleArgs(definition: ModuleDefinition, args: Readonly<Params>, action?: string): ArgumentValidation {
  return validateArguments(definition.argSpec, definition.constraints, args, {
    moduleName: reportedModuleName(definition, action),
    acceptsAnyArgs: definition.acceptsAnyArgs === true,
  });
}

/**
 * Validate and coerce a module's arguments at run time. Throws a ModuleFailure with
 * Ansible's message when they are not valid. `action` is the name the task used.
 */
export function validateModuleArgs(definition: ModuleDefinition, args: Readonly<Params>, action?: string): Params {
  const result = checkModuleArgs(definition, args, action);
  if (result.error !== undefined) throw new ModuleFailure(result.error);
  return result.params;
}

/**
 * The check that can run before any host is touched: only the argument names are known
 * (values may still be templates). Reports an unknown argument or a missing required one,
 * with the message the module would give at run time; undefined when nothing is wrong.
 */
export function checkLiteralArgs(definition: ModuleDefinition, args: Readonly<Params>, action?: string): string | undefined {
  const keys = Object.keys(args).filter((key) => args[key] !== undefined && !key.includes('{{') && !key.includes('{%'));
  const spec = definition.argSpec;
  const aliases = new Map<string, string>();
  for (const [name, entry] of Object.entries(spec)) for (const alias of entry.aliases ?? []) aliases.set(alias, name);
  const given = new Set(keys.map((key) => aliases.get(key) ?? key));
  const missing = Object.entries(spec)
    .filter(([name, entry]) => entry.required && !given.has(name))
    .map(([name]) => name)
    .sort();
  if (missing.length) return `missing required arguments: ${missing.join(', ')}`;
  if (definition.acceptsAnyArgs) return undefined;
  const unknown = keys.filter((key) => !(key in spec) && !aliases.has(key)).sort();
  if (!unknown.length) return undefined;
  let supported = listedOptions(spec).join(', ');
  if (aliases.size) supported += ` (${[...aliases.keys()].sort().join(', ')})`;
  return `Unsupported parameters for (${reportedModuleName(definition, action)}) module: ${unknown.join(', ')}. Supported parameters include: ${supported}.`;
}

/** Spec entries by name, aliases resolved (for modules that look at their own spec). */
export function specEntry(spec: ArgSpec, name: string): ArgSpecEntry | undefined {
  if (name in spec) return spec[name];
  return Object.values(spec).find((entry) => entry.aliases?.includes(name));
}
