// Jinja2's builtin tests.
import { defineTest, FILTERS, TESTS } from '../plugins.js';
import { contains, isFloatValue, isIterable, isMappingLike, numberOf, pyEquals, ge, gt, le, lt, pyMod } from '../runtime/ops.js';
import { STR_METHODS } from '../runtime/methods.js';
import { isPyCallable, PyFloat } from '../runtime/types.js';
import { PyUndefined } from '../runtime/undefined.js';

const num = (v: unknown) => {
  const n = numberOf(v);
  if (n === undefined) {
    if (v instanceof PyUndefined) v.fail();
    throw new TypeError(`not all arguments converted during string formatting`);
  }
  return n;
};

defineTest('defined', 'value', ({ value }) => !(value instanceof PyUndefined));
defineTest('undefined', 'value', ({ value }) => value instanceof PyUndefined);
defineTest('none', 'value', ({ value }) => value === null);
defineTest('boolean', 'value', ({ value }) => typeof value === 'boolean');
defineTest('false', 'value', ({ value }) => value === false);
defineTest('true', 'value', ({ value }) => value === true);
defineTest('integer', 'value', ({ value }) => typeof value === 'number' && Number.isInteger(value));
defineTest('float', 'value', ({ value }) => value instanceof PyFloat || (typeof value === 'number' && isFloatValue(value)));
defineTest('number', 'value', ({ value }) => typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat);
defineTest('string', 'value', ({ value }) => typeof value === 'string');
defineTest('mapping', 'value', ({ value }) => isMappingLike(value));
defineTest('sequence', 'value', ({ value }) => typeof value === 'string' || Array.isArray(value) || isMappingLike(value));
defineTest('iterable', 'value', ({ value }) => isIterable(value));
defineTest('callable', 'value', ({ value }) => typeof value === 'function' || isPyCallable(value));
defineTest('sameas', 'value, other', ({ value, other }) => value === other);
defineTest('escaped', 'value', () => false);
defineTest('odd', 'value', ({ value }) => pyMod(num(value), 2) === 1);
defineTest('even', 'value', ({ value }) => pyMod(num(value), 2) === 0);
defineTest('divisibleby', 'value, num', ({ value, num: n }) => pyMod(num(value), num(n)) === 0);
defineTest('lower', 'value', ({ value }) => STR_METHODS.islower!(String(value), [], {}) as boolean);
defineTest('upper', 'value', ({ value }) => STR_METHODS.isupper!(String(value), [], {}) as boolean);
defineTest('in', 'value, seq', ({ value, seq }) => contains(seq, value));
defineTest(['eq', 'equalto', '=='], 'a, b', ({ a, b }) => pyEquals(a, b));
defineTest(['ne', '!='], 'a, b', ({ a, b }) => !pyEquals(a, b));
defineTest(['lt', 'lessthan', '<'], 'a, b', ({ a, b }) => lt(a, b));
defineTest(['le', '<='], 'a, b', ({ a, b }) => le(a, b));
defineTest(['gt', 'greaterthan', '>'], 'a, b', ({ a, b }) => gt(a, b));
defineTest(['ge', '>='], 'a, b', ({ a, b }) => ge(a, b));
defineTest('filter', 'value', ({ value }) => typeof value === 'string' && FILTERS.has(value));
defineTest('test', 'value', ({ value }) => typeof value === 'string' && TESTS.has(value));
