// The variables visible to one host at one point of a play. Layers are looked up from
// the highest precedence to the lowest, so nothing is merged or copied per task.
// Values are raw (not yet templated); the templar renders them when they are read.

export interface VarScope {
  has(name: string): boolean;
  /** The raw value of the highest-precedence layer that defines `name`. */
  get(name: string): unknown;
  /** Every visible variable name (for `vars`, `varnames` and debugging). */
  names(): Iterable<string>;
}

export type VarLayer = Readonly<Record<string, unknown>>;

/** A scope over layers listed highest precedence first. */
export class LayeredScope implements VarScope {
  constructor(private readonly layers: readonly VarLayer[]) {}

  has(name: string): boolean {
    for (const layer of this.layers) if (Object.hasOwn(layer, name)) return true;
    return false;
  }

  get(name: string): unknown {
    for (const layer of this.layers) if (Object.hasOwn(layer, name)) return layer[name];
    return undefined;
  }

  names(): Iterable<string> {
    const seen = new Set<string>();
    for (const layer of this.layers) for (const key of Object.keys(layer)) seen.add(key);
    return seen;
  }

  /** A scope with `layer` on top of this one (loop item, task vars of an include...). */
  with(layer: VarLayer): LayeredScope {
    return new LayeredScope([layer, ...this.layers]);
  }
}

/** Plain objects are accepted wherever a scope is (tests, lookups with their own vars). */
export function toScope(vars: VarScope | VarLayer): VarScope {
  return isScope(vars) ? vars : new LayeredScope([vars]);
}

export function isScope(value: unknown): value is VarScope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as VarScope).get === 'function' &&
    typeof (value as VarScope).has === 'function' &&
    typeof (value as VarScope).names === 'function'
  );
}
