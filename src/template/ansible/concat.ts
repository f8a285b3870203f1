// How Ansible turns the rendered output of a template into a task argument
// (jinja2_native off): one node keeps its value, several are joined as text, and text
// that looks like a list, dict or bool is read back with ast.literal_eval.
import { literalEval, LiteralSyntaxError } from '../python/literal.js';
import { out } from '../jinja/runtime.js';
import { isDict } from '../runtime/repr.js';
import { PyFloat, PyIterable, PyTuple, toTuple } from '../runtime/types.js';
import type { JContext } from '../jinja/context.js';
import { isNativeText, markNativeText } from '../render-state.js';

const NOT_LITERAL: unique symbol = Symbol('notLiteral');

/**
 * The value literal_eval(repr(value)) gives, computed without the text round trip; or
 * NOT_LITERAL when repr() would not be a Python literal (then the text is kept).
 */
function literalClone(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : NOT_LITERAL;
    case 'object':
      break;
    default:
      return NOT_LITERAL;
  }
  if (value === null) return null;
  if (value instanceof PyFloat) return Number.isFinite(value.value) ? value : NOT_LITERAL;
  if (Array.isArray(value)) {
    const items: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = literalClone(value[i]);
      if (item === NOT_LITERAL) return NOT_LITERAL;
      items[i] = item;
    }
    return value instanceof PyTuple ? toTuple(items) : items;
  }
  if (isDict(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = literalClone(value[key]);
      if (item === NOT_LITERAL) return NOT_LITERAL;
      copy[key] = item;
    }
    return copy;
  }
  if (value instanceof Set) {
    const items = [...value].map(literalClone);
    return items.includes(NOT_LITERAL) ? NOT_LITERAL : new Set(items);
  }
  return NOT_LITERAL;
}

/** literal_eval of text that looks like a list, dict or bool; the text itself otherwise. */
export function convertText(text: string): unknown {
  if (text === 'True') return true;
  if (text === 'False') return false;
  const first = text.charCodeAt(0);
  if (first !== 0x7b && first !== 0x5b) return text;
  try {
    return literalEval(text, { jsonNames: true });
  } catch (e) {
    if (e instanceof LiteralSyntaxError || e instanceof SyntaxError) return text;
    throw e;
  }
}

/** Ansible's ansible_eval_concat over a finished render. */
export function evalConcat(output: string, context: JContext): unknown {
  if (context.nodes === 0) return '';
  if (context.nodes > 1) return convertText(output);
  const value = context.last;
  if (context.lastNative || isNativeText(value)) {
    const text = out(value);
    markNativeText(text);
    return text;
  }
  if (typeof value === 'string') return convertText(value);
  if (value === null || value === undefined) return '';
  const finalized = value instanceof PyIterable ? [...value.items] : value;
  // repr() of a list or dict starts with [ or { and is read back; a tuple's '(' is not.
  if ((Array.isArray(finalized) && !(finalized instanceof PyTuple)) || isDict(finalized)) {
    const clone = literalClone(finalized);
    if (clone !== NOT_LITERAL) return clone;
  }
  return convertText(out(value));
}

export function countTrailingNewlines(text: string): number {
  let n = 0;
  for (let i = text.length - 1; i >= 0 && text.charCodeAt(i) === 10; i--) n++;
  return n;
}

/** Values leaving the templar are plain JS data: floats unboxed, tuples and sets as arrays. */
export function toPlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = toPlain(value[i]);
      if (item !== value[i] && !copy) copy = value.slice(0, i);
      if (copy) copy.push(item);
    }
    if (value instanceof PyTuple) return copy ?? [...value];
    return copy ?? value;
  }
  if (value instanceof Set || value instanceof PyIterable) return toPlain([...(value instanceof Set ? value : value.items)]);
  if (isDict(value)) {
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const item = toPlain(value[key]);
      if (item !== value[key] && !copy) copy = { ...value };
      if (copy) copy[key] = item;
    }
    return copy ?? value;
  }
  return value;
}
