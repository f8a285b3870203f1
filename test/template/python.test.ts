// Python behaviours the templating runtime reproduces. Expected values were produced by
// CPython 3.11 (the interpreter ansible-core runs on here).
import { describe, expect, it } from 'vitest';
import { PyRandom } from '../../src/template/python/random.js';
import { pyFloatRepr, pyRound } from '../../src/template/python/number.js';
import { percentFormat, strFormat } from '../../src/template/python/format.js';
import { literalEval } from '../../src/template/python/literal.js';
import { pyRepr } from '../../src/template/runtime/repr.js';
import { tuple } from '../../src/template/runtime/types.js';
import { compilePyRegex, pyExpand, pySubn } from '../../src/template/python/regex.js';
import { pyJsonDumps, pyJsonLoads } from '../../src/template/python/json.js';

describe('random.Random(seed)', () => {
  it('produces the numbers CPython produces', () => {
    const r = new PyRandom('web1');
    expect(r.randbelow(60)).toBe(52);
    expect(r.choice([...'abcdef'])).toBe('c');
    expect(r.random()).toBe(0.26124495093776234);
    const items = [...Array(10).keys()];
    new PyRandom(42).shuffle(items);
    expect(items).toEqual([7, 3, 2, 8, 5, 6, 9, 4, 0, 1]);
    expect(new PyRandom(2 ** 40 + 5).getrandbits(40)).toBe(569101979940);
    const neg = new PyRandom(-7);
    expect([neg.randbelow(100), neg.randbelow(100), neg.randbelow(100)]).toEqual([41, 19, 50]);
    expect(new PyRandom('').randbelow(1000)).toBe(983);
  });
});

describe('numbers', () => {
  it('prints floats as repr() does', () => {
    const values = [1e16, 1e17, 123456789012345678.0, 0.0001, 0.00001, 1 / 3, 2.5e-5, 1e22, -1.5];
    expect(values.map(pyFloatRepr)).toEqual(['1e+16', '1e+17', '1.2345678901234568e+17', '0.0001', '1e-05', '0.3333333333333333', '2.5e-05', '1e+22', '-1.5']);
  });

  it('rounds as round() does (exact binary value, ties to even)', () => {
    expect([pyRound(2.675, 2), pyRound(0.125, 2), pyRound(0.375, 2), pyRound(2.5), pyRound(-0.5), pyRound(1234.5678, -2)]).toEqual([
      2.67, 0.12, 0.38, 2, -0, 1200,
    ]);
  });
});

describe('string formatting', () => {
  it('formats with % as Python does', () => {
    expect(percentFormat('%5.2f|%-8s|%+d|%x|%o|%e|%g|%g|%c|%%|%r', tuple(3.14159, 'ab', 5, 255, 8, 12345.678, 0.0001, 123456789, 65, 'q'))).toBe(
      " 3.14|ab      |+5|ff|10|1.234568e+04|0.0001|1.23457e+08|A|%|'q'",
    );
    expect(() => percentFormat('%s %s', tuple('a'))).toThrow('not enough arguments for format string');
    expect(() => percentFormat('%s', tuple('a', 'b'))).toThrow('not all arguments converted during string formatting');
  });

  it('formats with str.format as Python does', () => {
    expect(strFormat('{:>8.3f}|{:<6}|{:^9}|{:+,}|{:#x}|{:08.2e}|{!r}', [2.71828, 'ab', 'mid', 1234567, 255, 12345.678, 's'], {})).toBe(
      "   2.718|ab    |   mid   |+1,234,567|0xff|1.23e+04|'s'",
    );
  });
});

describe('ast.literal_eval', () => {
  it('reads Python literals', () => {
    const cases = ['[1, (2,), {"a": None}]', "u'x' 'y'", '0x1f', '-1.5e3', '{1, 2}', '(1)', '()', '[1,]', "{'k': [True, False]}"];
    expect(cases.map((c) => pyRepr(literalEval(c)))).toEqual([
      "[1, (2,), {'a': None}]",
      "'xy'",
      '31',
      '-1500.0',
      '{1, 2}',
      '1',
      '()',
      '[1]',
      "{'k': [True, False]}",
    ]);
  });

  it('rejects what is not a literal', () => {
    for (const text of ['[x]', '[1', 'f(1)', ' [1]', '[true]', '1 + 2']) expect(() => literalEval(text)).toThrow();
    expect(literalEval('[true, null]', { jsonNames: true })).toEqual([true, null]);
  });
});

describe('re', () => {
  it('translates Python patterns and replacement templates', () => {
    const re = compilePyRegex('(?P<y>\\d{4})-(?P=y)$');
    expect(re.test('2024-2024')).toBe(true);
    expect(compilePyRegex('(?i)^abc\\Z').test('ABC')).toBe(true);
    expect(compilePyRegex('a$').test('a\n')).toBe(true);
    const m = /(\w)(\w)?/.exec('x')!;
    expect(pyExpand(m, '\\2[\\1]\\g<1>$')).toBe('[x]x$');
    // Python's `.` stops only at \n, `^` in multiline mode only after \n.
    expect(compilePyRegex('a.b').test('a\rb')).toBe(true);
    expect(pySubn(compilePyRegex('^x', { multiline: true }), 'y', 'x\rx\nx')).toEqual(['y\rx\ny', 2]);
    expect(pyExpand(m, '\\101\\0')).toBe('A\0');
  });
});

describe('json', () => {
  it('dumps and loads as Python json does', () => {
    expect(pyJsonDumps({ b: [1, 2.5, null], a: 'é' })).toBe('{"b": [1, 2.5, null], "a": "\\u00e9"}');
    expect(pyJsonDumps({ b: 1, a: { c: [] } }, { indent: 4, sortKeys: true, separators: [',', ': '] })).toBe(
      '{\n    "a": {\n        "c": []\n    },\n    "b": 1\n}',
    );
    expect(pyRepr(pyJsonLoads('{"f": 1.0, "i": 1, "n": [NaN, true]}'))).toBe("{'f': 1.0, 'i': 1, 'n': [nan, True]}");
  });
});
