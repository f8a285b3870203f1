// Jinja2's `loop` object inside `{% for %}`.
import { MISSING_KEY, pyCallable } from '../runtime/types.js';
import { PyUndefined } from '../runtime/undefined.js';
import { pyEquals } from '../runtime/ops.js';
import { pyTypeError } from '../runtime/errors.js';

export class LoopContext {
  index0 = 0;
  private lastChanged: unknown[] | undefined;

  constructor(private readonly items: readonly unknown[]) {}

  pyGetAttr(name: string): unknown {
    const i = this.index0;
    const n = this.items.length;
    switch (name) {
      case 'index':
        return i + 1;
      case 'index0':
        return i;
      case 'revindex':
        return n - i;
      case 'revindex0':
        return n - i - 1;
      case 'first':
        return i === 0;
      case 'last':
        return i === n - 1;
      case 'length':
        return n;
      case 'depth':
        return 1;
      case 'depth0':
        return 0;
      case 'previtem':
        return i > 0 ? this.items[i - 1] : new PyUndefined('there is no previous item');
      case 'nextitem':
        return i < n - 1 ? this.items[i + 1] : new PyUndefined('there is no next item');
      case 'cycle':
        return pyCallable('<bound method LoopContext.cycle>', (args) => {
          if (!args.length) throw pyTypeError('no items for cycling given');
          return args[i % args.length];
        });
      case 'changed':
        return pyCallable('<bound method LoopContext.changed>', (args) => {
          const changed = this.lastChanged === undefined || !pyEquals(this.lastChanged, args);
          this.lastChanged = args;
          return changed;
        });
      default:
        return MISSING_KEY;
    }
  }

  toString(): string {
    return `<LoopContext ${this.index0 + 1}/${this.items.length}>`;
  }
}
