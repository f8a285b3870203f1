// Names every template sees besides variables: Jinja2's globals (range, dict, namespace,
// cycler, joiner, lipsum) and Ansible's (lookup, query/q, now, undef).
import { makeRange } from './runtime/attr.js';
import { pyTypeError } from './runtime/errors.js';
import { dictKey, iterate, isMappingLike, mappingGet, mappingKeys, toInt } from './runtime/ops.js';
import { bindArgs, parseSignature } from './runtime/signature.js';
import { MISSING_KEY, Namespace, PyDatetime, pyCallable } from './runtime/types.js';
import { PyUndefined } from './runtime/undefined.js';
import { strftime } from './python/datetime.js';
import { runLookup } from './lookups/registry.js';
import type { RenderState } from './render-state.js';

class Cycler {
  private pos = 0;
  constructor(private readonly items: unknown[]) {}
  pyGetAttr(name: string): unknown {
    switch (name) {
      case 'current':
        return this.items[this.pos];
      case 'next':
        return pyCallable('<bound method Cycler.next>', () => {
          const value = this.items[this.pos];
          this.pos = (this.pos + 1) % this.items.length;
          return value;
        });
      case 'reset':
        return pyCallable('<bound method Cycler.reset>', () => {
          this.pos = 0;
          return null;
        });
      default:
        return MISSING_KEY;
    }
  }
}

const NOW_SIG = parseSignature('now', 'utc=False, fmt=None');

export function globalFunction(name: string, state: RenderState): unknown {
  switch (name) {
    case 'range':
      return pyCallable('<class \'range\'>', (args) => {
        if (args.length === 0) throw pyTypeError('range expected at least 1 argument, got 0');
        if (args.length === 1) return makeRange(0, toInt(args[0]), 1);
        return makeRange(toInt(args[0]), toInt(args[1]), args.length > 2 ? toInt(args[2]) : 1);
      });
    case 'dict':
      return pyCallable("<class 'dict'>", (args, kwargs) => {
        const out: Record<string, unknown> = {};
        if (args.length) {
          const source = args[0];
          if (isMappingLike(source)) for (const k of mappingKeys(source)) out[k] = mappingGet(source, k);
          else for (const pair of iterate(source)) {
            const [k, v] = iterate(pair);
            out[dictKey(k)] = v;
          }
        }
        return Object.assign(out, kwargs);
      });
    case 'namespace':
      return pyCallable("<class 'jinja2.utils.Namespace'>", (args, kwargs) => {
        const attrs: Record<string, unknown> = {};
        for (const arg of args) if (isMappingLike(arg)) for (const k of mappingKeys(arg)) attrs[k] = mappingGet(arg, k);
        return new Namespace(Object.assign(attrs, kwargs));
      });
    case 'cycler':
      return pyCallable("<class 'jinja2.utils.Cycler'>", (args) => new Cycler(args));
    case 'joiner':
      return pyCallable("<class 'jinja2.utils.Joiner'>", (args, kwargs) => {
        const sep = String(args[0] ?? kwargs.sep ?? ', ');
        let used = false;
        return pyCallable('<jinja2.utils.Joiner object>', () => {
          if (!used) {
            used = true;
            return '';
          }
          return sep;
        });
      });
    case 'lookup':
      return pyCallable('<bound method Templar._lookup>', (args, kwargs) => callLookup(state, args, kwargs, false));
    case 'query':
    case 'q':
      return pyCallable('<bound method Templar._query_lookup>', (args, kwargs) => callLookup(state, args, kwargs, true));
    case 'now':
      return pyCallable('<bound method Templar._now_datetime>', (args, kwargs) => {
        const { utc, fmt } = bindArgs(NOW_SIG, args, kwargs);
        const now = PyDatetime.fromDate(new Date(), Boolean(utc));
        return fmt === null || fmt === undefined ? now : strftime(now, String(fmt));
      });
    case 'undef':
      return pyCallable('<bound method Templar._make_undefined>', (args, kwargs) => {
        const hint = args[0] ?? kwargs.hint;
        const text = hint === undefined || hint === null || hint === '' || hint instanceof PyUndefined ? 'Mandatory variable has not been overridden' : String(hint);
        return new PyUndefined(text);
      });
    default:
      return MISSING_KEY;
  }
}

function callLookup(state: RenderState, args: unknown[], kwargs: Record<string, unknown>, wantlist: boolean): unknown {
  if (!args.length) throw pyTypeError("_lookup() missing 1 required positional argument: 'name'");
  const [name, ...terms] = args;
  return runLookup(state, String(name), terms, kwargs, wantlist);
}
