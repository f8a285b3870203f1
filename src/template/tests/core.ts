// Ansible's tests: task results, regular expressions, versions, truthiness, files, sets.
import { existsSync, lstatSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { toBoolean } from '../../parsing/boolean.js';
import { defineTest } from '../plugins.js';
import { filterError, PyException } from '../runtime/errors.js';
import { contains, isMappingLike, iterate, mappingGet, mappingHas, truthy, pyEquals } from '../runtime/ops.js';
import { pyStr } from '../runtime/repr.js';
import { compilePyRegex, PyRegexError } from '../python/regex.js';
import { Comparable, LooseVersion, SemanticVersion, StrictVersion } from '../python/version.js';
import { expandUser } from '../ansible/search.js';

function result(value: unknown, test: string): { get(key: string, fallback: unknown): unknown } {
  if (!isMappingLike(value)) throw filterError(`The '${test}' test expects a dictionary`);
  return { get: (key, fallback) => (mappingHas(value, key) ? mappingGet(value, key) : fallback) };
}

defineTest(['failed', 'failure'], 'result', ({ result: r }) => truthy(result(r, 'failed').get('failed', false)));
defineTest(['succeeded', 'success', 'successful'], 'result', ({ result: r }) => !truthy(result(r, 'succeeded').get('failed', false)));
defineTest('unreachable', 'result', ({ result: r }) => truthy(result(r, 'unreachable').get('unreachable', false)));
defineTest('reachable', 'result', ({ result: r }) => !truthy(result(r, 'reachable').get('unreachable', false)));
defineTest(['skipped', 'skip'], 'result', ({ result: r }) => truthy(result(r, 'skipped').get('skipped', false)));
defineTest(['changed', 'change'], 'result', ({ result: r }) => {
  const res = result(r, 'changed');
  const results = res.get('results', undefined);
  if (res.get('changed', undefined) === undefined && Array.isArray(results) && results.length && isMappingLike(results[0])) {
    return results.some((item) => isMappingLike(item) && truthy(mappingHas(item, 'changed') ? mappingGet(item, 'changed') : false));
  }
  return truthy(res.get('changed', false));
});
defineTest('finished', 'result', ({ result: r }) => {
  const res = result(r, 'finished');
  const finished = res.get('finished', undefined);
  return finished === undefined ? true : pyEquals(finished, 1);
});
defineTest('started', 'result', ({ result: r }) => {
  const res = result(r, 'started');
  const started = res.get('started', undefined);
  return started === undefined ? true : pyEquals(started, 1);
});

function regexTest(value: unknown, pattern: unknown, ignorecase: unknown, multiline: unknown, type: 'match' | 'search' | 'fullmatch'): boolean {
  let re: RegExp;
  try {
    re = compilePyRegex(pyStr(pattern), { ignorecase: truthy(ignorecase), multiline: truthy(multiline) });
  } catch (e) {
    if (e instanceof PyRegexError) throw new PyException('re.error', e.message);
    throw e;
  }
  const text = pyStr(value);
  if (type === 'search') {
    re.lastIndex = 0;
    return re.test(text);
  }
  const sticky = new RegExp(type === 'fullmatch' ? `(?:${re.source})$` : re.source, `${re.flags.replace('g', '')}y`);
  sticky.lastIndex = 0;
  return sticky.test(text);
}

defineTest('match', "value, pattern='', ignorecase=False, multiline=False", ({ value, pattern, ignorecase, multiline }) =>
  regexTest(value, pattern, ignorecase, multiline, 'match'),
);
defineTest('search', "value, pattern='', ignorecase=False, multiline=False", ({ value, pattern, ignorecase, multiline }) =>
  regexTest(value, pattern, ignorecase, multiline, 'search'),
);
defineTest('regex', "value='', pattern='', ignorecase=False, multiline=False, match_type='search'", ({ value, pattern, ignorecase, multiline, match_type }) =>
  regexTest(value, pattern, ignorecase, multiline, match_type === 'match' ? 'match' : match_type === 'fullmatch' ? 'fullmatch' : 'search'),
);

const OPERATORS: Record<string, string> = { '==': 'eq', '=': 'eq', eq: 'eq', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le', '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '!=': 'ne', '<>': 'ne', ne: 'ne' };
const TYPES: Record<string, new (text: string) => Comparable> = { loose: LooseVersion, strict: StrictVersion, semver: SemanticVersion, semantic: SemanticVersion };

defineTest(['version', 'version_compare'], "value, version, operator='eq', strict=None, version_type=None", ({ value, version, operator, strict, version_type }) => {
  if (strict !== null && version_type !== null) throw filterError("Cannot specify both 'strict' and 'version_type'");
  if (!truthy(value)) throw filterError('Input version value cannot be empty');
  if (!truthy(version)) throw filterError('Version parameter to compare against cannot be empty');
  let Version: new (text: string) => Comparable = LooseVersion;
  if (truthy(strict)) Version = StrictVersion;
  else if (version_type !== null) {
    const type = TYPES[pyStr(version_type)];
    if (!type) throw filterError(`Invalid version type (${pyStr(version_type)}). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'`);
    Version = type;
  }
  const op = OPERATORS[pyStr(operator)];
  if (!op) {
    throw filterError(`Invalid operator type (${pyStr(operator)}). Must be one of ${Object.keys(OPERATORS).map((k) => `'${k}'`).join(', ')}`);
  }
  try {
    const a = new Version(pyStr(value));
    const b = new Version(pyStr(version));
    if (op === 'eq') return a.equals(b);
    if (op === 'ne') return !a.equals(b);
    const c = a.compare(b);
    return op === 'lt' ? c < 0 : op === 'le' ? c <= 0 : op === 'gt' ? c > 0 : c >= 0;
  } catch (e) {
    throw filterError(`Version comparison failed: ${(e as Error).message}`);
  }
});

function boolish(value: unknown, convert: unknown): boolean {
  if (truthy(convert)) {
    try {
      return truthy(toBoolean(value, false));
    } catch {
      return truthy(value);
    }
  }
  return truthy(value);
}

defineTest('truthy', 'value, convert_bool=False', ({ value, convert_bool }) => boolish(value, convert_bool));
defineTest('falsy', 'value, convert_bool=False', ({ value, convert_bool }) => !boolish(value, convert_bool));
defineTest('any', 'seq', ({ seq }) => iterate(seq).some(truthy));
defineTest('all', 'seq', ({ seq }) => iterate(seq).every(truthy));
defineTest('vault_encrypted', 'value', () => false);

const path = (v: unknown) => expandUser(pyStr(v));
const safe = (fn: () => boolean) => {
  try {
    return fn();
  } catch {
    return false;
  }
};
defineTest(['directory', 'is_dir'], 'path', ({ path: p }) => safe(() => statSync(path(p)).isDirectory()));
defineTest(['file', 'is_file'], 'path', ({ path: p }) => safe(() => statSync(path(p)).isFile()));
defineTest(['link', 'is_link'], 'path', ({ path: p }) => safe(() => lstatSync(path(p)).isSymbolicLink()));
defineTest('exists', 'path', ({ path: p }) => existsSync(path(p)));
defineTest('link_exists', 'path', ({ path: p }) => safe(() => Boolean(lstatSync(path(p)))));
defineTest(['abs', 'is_abs'], 'path', ({ path: p }) => isAbsolute(pyStr(p)));
defineTest(['same_file', 'is_same_file'], 'a, b', ({ a, b }) =>
  safe(() => {
    const x = statSync(path(a));
    const y = statSync(path(b));
    return x.ino === y.ino && x.dev === y.dev;
  }),
);
defineTest(['mount', 'is_mount'], 'path', ({ path: p }) =>
  safe(() => {
    const target = path(p);
    const st = statSync(target);
    const parent = statSync(`${target.replace(/\/+$/, '')}/..`);
    return st.dev !== parent.dev || st.ino === parent.ino;
  }),
);

defineTest(['subset', 'issubset'], 'a, b', ({ a, b }) => iterate(a).every((x) => contains(iterate(b), x)));
defineTest(['superset', 'issuperset'], 'a, b', ({ a, b }) => iterate(b).every((x) => contains(iterate(a), x)));
defineTest('contains', 'seq, value', ({ seq, value }) => contains(seq, value));
defineTest(['nan', 'isnan'], 'x', ({ x }) => typeof x === 'number' && Number.isNaN(x));

defineTest('uri', 'value, schemes=None', ({ value, schemes }) => {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(pyStr(value));
  return Boolean(m) && (schemes === null || iterate(schemes).includes(m![1]!.toLowerCase()));
});
defineTest('url', 'value, schemes=None', ({ value, schemes }) => {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/[^/]+/.exec(pyStr(value));
  return Boolean(m) && (schemes === null || iterate(schemes).includes(m![1]!.toLowerCase()));
});
defineTest('urn', 'value', ({ value }) => /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$/i.test(pyStr(value)));
