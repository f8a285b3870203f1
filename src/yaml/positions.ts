// Where each loaded mapping and sequence came from. Loaded data stays plain JS
// (objects, arrays, scalars); its source positions live beside it in a WeakMap so
// that errors can point at file:line:column without wrapping every value.
import type { SourcePosition } from '../errors.js';

const nodePositions = new WeakMap<object, SourcePosition>();
const keyPositions = new WeakMap<object, Map<string, SourcePosition>>();

export function setPosition(node: object, pos: SourcePosition): void {
  nodePositions.set(node, pos);
}

export function setKeyPosition(node: object, key: string, pos: SourcePosition): void {
  let keys = keyPositions.get(node);
  if (!keys) keyPositions.set(node, (keys = new Map()));
  keys.set(key, pos);
}

/** Position of a mapping or sequence read from a file. */
export function positionOf(node: unknown): SourcePosition | undefined {
  return typeof node === 'object' && node !== null ? nodePositions.get(node) : undefined;
}

/** Position of a key of a mapping read from a file (falls back to the mapping). */
export function keyPositionOf(node: unknown, key: string): SourcePosition | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  return keyPositions.get(node)?.get(key) ?? nodePositions.get(node);
}

/** Give a derived object the position of the one it was made from. */
export function copyPosition<T extends object>(to: T, from: unknown): T {
  const pos = positionOf(from);
  if (pos) nodePositions.set(to, pos);
  return to;
}
