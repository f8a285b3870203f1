// The `runtime` object compiled templates call into: nunjucks' own runtime (frames,
// macros) plus the Python-semantics operations and Ansible's output rules.
import { FILTERS, invokePlugin, TESTS } from '../plugins.js';
import { pyTypeError, pyValueError, TemplateRuntimeError, TemplateSyntaxError } from '../runtime/errors.js';
import { call, callMethod, getattr, getitem, slice } from '../runtime/attr.js';
import * as ops from '../runtime/ops.js';
import { isDict, pyStr, pyTypeName } from '../runtime/repr.js';
import { Kwargs, Namespace, PyCallable, pyCallable, PyFloat, PyIterable, toTuple } from '../runtime/types.js';
import { PyUndefined } from '../runtime/undefined.js';
import type { JContext } from './context.js';
import { LoopContext } from './loop.js';
import { FrameLike, nunjucksRuntime } from './nunjucks.js';

/** Ansible's _fail_on_undefined: an undefined anywhere inside an output value fails. */
export function failOnUndefined(value: unknown): void {
  if (value instanceof PyUndefined) {
    if (!value.lenient) value.fail();
    return;
  }
  if (Array.isArray(value)) for (const item of value) failOnUndefined(item);
  else if (isDict(value)) for (const key in value) failOnUndefined(value[key]);
}

/** Ansible's finalize for every `{{ }}`: undefined fails, None prints '', iterators unroll. */
export function finalize(value: unknown): unknown {
  if (value === null || value === undefined || (value instanceof PyUndefined && value.lenient)) return '';
  if (typeof value === 'object') {
    failOnUndefined(value);
    if (value instanceof PyIterable) return [...value.items];
  }
  return value;
}

export function out(value: unknown): string {
  if (typeof value === 'string') return value;
  return pyStr(finalize(value));
}

function emit(context: JContext, value: unknown, native: boolean): string {
  context.nodes++;
  context.last = value;
  context.lastNative = native;
  return out(value);
}

function lookup(context: JContext, frame: FrameLike, name: string): unknown {
  const local = frame.lookup(name);
  return local !== undefined ? local : context.resolve(name);
}

function filter(context: JContext, name: string, value: unknown, args: unknown[], kwargs: Kwargs): unknown {
  const def = FILTERS.get(name);
  if (!def) throw new TemplateSyntaxError(`Could not load "${name}": '${name}'`);
  if (value instanceof PyUndefined && !def.acceptsUndefined) value.fail();
  const result = invokePlugin(def, [value, ...args], kwargs, context.state);
  return result instanceof PyIterable && result.kind !== 'range' ? [...result.items] : result;
}

function test(context: JContext, name: string, value: unknown, args: unknown[], kwargs: Kwargs): boolean {
  const def = TESTS.get(name);
  if (!def) throw new TemplateSyntaxError(`Could not load "${name}": '${name}'`);
  return ops.truthy(invokePlugin(def, [value, ...args], kwargs, context.state));
}

/** `{% set a, b = value %}` / `{% for a, b in ... %}`. */
function unpack(value: unknown, count: number): readonly unknown[] {
  const items = ops.iterate(value);
  if (items.length > count) throw pyValueError(`too many values to unpack (expected ${count})`);
  if (items.length < count) throw pyValueError(`not enough values to unpack (expected ${count}, got ${items.length})`);
  return items;
}

function setNamespaceAttr(ns: unknown, attr: string, value: unknown): void {
  if (!(ns instanceof Namespace)) throw new TemplateRuntimeError('cannot assign attribute on non-namespace object');
  ns.attrs[attr] = value;
}

function dict(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const key = ops.dictKey(flat[i]);
    if (key === '__proto__') Object.defineProperty(out, key, { value: flat[i + 1], enumerable: true, writable: true, configurable: true });
    else out[key] = flat[i + 1];
  }
  return out;
}

function mergeKwargs(extra: unknown, kwargs: Kwargs): Kwargs {
  if (!ops.isMappingLike(extra)) throw pyTypeError(`argument after ** must be a mapping, not ${pyTypeName(extra)}`);
  const merged: Kwargs = { ...kwargs };
  for (const key of ops.mappingKeys(extra)) merged[key] = ops.mappingGet(extra, key);
  return merged;
}

function chain(first: unknown, types: string[], thunks: (() => unknown)[]): boolean {
  let left = first;
  for (let i = 0; i < types.length; i++) {
    const right = thunks[i]!();
    const t = types[i]!;
    let ok: boolean;
    if (t === 'in') ok = ops.contains(right, left);
    else if (t === 'notin') ok = !ops.contains(right, left);
    else ok = compare[t]!(left, right);
    if (!ok) return false;
    left = right;
  }
  return true;
}

const compare: Record<string, (a: unknown, b: unknown) => boolean> = {
  '==': ops.pyEquals,
  '!=': (a, b) => !ops.pyEquals(a, b),
  '<': ops.lt,
  '>': ops.gt,
  '<=': ops.le,
  '>=': ops.ge,
};

function include(
  env: { includeTemplate(name: unknown, parent: string, ignoreMissing: boolean, context: JContext, frame: FrameLike, withContext: boolean): string },
  context: JContext,
  frame: FrameLike,
  name: unknown,
  ignoreMissing: boolean,
  withContext: boolean,
  parent: string,
): string {
  return env.includeTemplate(name, parent, ignoreMissing, context, frame, withContext);
}

const NO_ARG: unique symbol = Symbol('tsplay.noArgument');

/** Jinja2's Macro._invoke: binds a call's arguments to the macro's parameters. */
function makeMacro(
  name: string,
  paramsJson: string,
  catchVarargs: boolean,
  catchKwargs: boolean,
  catchCaller: boolean,
  body: (...args: unknown[]) => string,
): PyCallable {
  const params = JSON.parse(paramsJson) as string[];
  return pyCallable(`<Macro '${name}'>`, (args, kwargs) => {
    const values: unknown[] = params.map((_, i) => (i < args.length ? args[i] : NO_ARG));
    const extraKwargs: Record<string, unknown> = {};
    let caller: unknown;
    for (const [key, value] of Object.entries(kwargs)) {
      const index = params.indexOf(key);
      if (index >= 0 && index >= args.length) values[index] = value;
      else if (index >= 0) throw pyTypeError(`macro '${name}' got multiple values for argument '${key}'`);
      else if (key === 'caller' && catchCaller) caller = value;
      else if (catchKwargs) extraKwargs[key] = value;
      else throw pyTypeError(`macro '${name}' takes no keyword argument '${key}'`);
    }
    const varargs = args.slice(params.length);
    if (varargs.length && !catchVarargs) {
      throw pyTypeError(`macro '${name}' takes not more than ${params.length} argument(s)`);
    }
    return body(...values, toTuple(varargs), extraKwargs, caller);
  });
}

function handleError(error: unknown): unknown {
  return error;
}

export const compiledRuntime = {
  ...nunjucksRuntime,
  handleError,
  makeMacro,
  NO_ARG,
  missingParameter: (name: string) => new PyUndefined(`parameter '${name}' was not provided`, undefined, name),
  LoopContext,
  lookup,
  local: (value: unknown, context: JContext, frame: FrameLike, name: string) =>
    value !== undefined ? value : lookup(context, frame, name),
  float: (n: number) => new PyFloat(n),
  tuple: (items: unknown[]) => toTuple(items),
  dict,
  add: ops.add,
  sub: ops.sub,
  mul: ops.mul,
  div: ops.div,
  floorDiv: ops.floorDiv,
  mod: ops.mod,
  pow: ops.pow,
  neg: ops.neg,
  pos: ops.pos,
  concat: (a: unknown, b: unknown) => pyStr(a) + pyStr(b),
  truthy: ops.truthy,
  and: (a: unknown, b: () => unknown) => (ops.truthy(a) ? b() : a),
  or: (a: unknown, b: () => unknown) => (ops.truthy(a) ? a : b()),
  noElse: (line: number) =>
    new PyUndefined(`the inline if-expression on line ${line} evaluated to false and no else section was defined.`, undefined, undefined, 'UndefinedError', true),
  contains: ops.contains,
  eq: ops.pyEquals,
  ne: (a: unknown, b: unknown) => !ops.pyEquals(a, b),
  lt: ops.lt,
  gt: ops.gt,
  le: ops.le,
  ge: ops.ge,
  chain,
  getattr,
  getitem,
  slice,
  call,
  callMethod,
  mergeKwargs,
  iterate: ops.iterate,
  unpack,
  setNamespaceAttr,
  filter,
  test,
  emit,
  out,
  include,
};

