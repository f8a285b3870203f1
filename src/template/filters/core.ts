// Ansible's core filters (ansible.builtin): serialisation, paths, regular expressions,
// dict/list helpers, randomness, dates.
import { existsSync, realpathSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseYaml, parseYamlDocuments } from '../../yaml/loader.js';
import { TsplayError } from '../../errors.js';
import { defineFilter } from '../plugins.js';
import { getitem, setDatetimeAttributes } from '../runtime/attr.js';
import { filterError, PyException, pyTypeError, pyValueError, AnsiblePluginError } from '../runtime/errors.js';
import { STR_METHODS } from '../runtime/methods.js';
import { contains, isMappingLike, iterate, mappingGet, mappingKeys, numberOf, pyEquals, truthy, toInt } from '../runtime/ops.js';
import { isDict, pyRepr, pyTypeName } from '../runtime/repr.js';
import { Kwargs, MISSING_KEY, PyDatetime, pyCallable, PyMapping, PyTuple, toPyFloat, tuple } from '../runtime/types.js';
import { PyUndefined } from '../runtime/undefined.js';
import { fieldsOfDate, strftime, strptime } from '../python/datetime.js';
import { pyJsonDumps, pyJsonLoads, PyJsonDecodeError } from '../python/json.js';
import { compilePyRegex, pyExpand, pyFinditer, pyRegexEscape, PyRegexError } from '../python/regex.js';
import { randomSource } from '../python/random.js';
import { yamlDump } from '../python/yaml-dump.js';
import { toList, toStr } from './util.js';
import { textClassName } from '../render-state.js';

const s = toStr;

// ---- serialisation -------------------------------------------------------------------------

function jsonOptions(kwargs: Kwargs, defaults: { indent?: number; sortKeys?: boolean; separators?: [string, string] }) {
  const indent = kwargs.indent ?? defaults.indent;
  const separators = kwargs.separators ? (toList(kwargs.separators).map(s) as [string, string]) : defaults.separators;
  return {
    indent: indent === null || indent === undefined ? undefined : Number(numberOf(indent)),
    sortKeys: truthy(kwargs.sort_keys ?? defaults.sortKeys ?? false),
    ensureAscii: truthy(kwargs.ensure_ascii ?? true),
    separators,
  };
}

defineFilter('to_json', 'a, *args, **kw', ({ a, kw }) => pyJsonDumps(a, jsonOptions(kw as Kwargs, {})));
defineFilter('to_nice_json', 'a, indent=4, sort_keys=True, *args, **kw', ({ a, indent, sort_keys, kw }) =>
  pyJsonDumps(a, jsonOptions({ ...(kw as Kwargs), indent, sort_keys }, { separators: [',', ': '] })),
);

defineFilter('from_json', 'data, *args, **kwargs', ({ data }) => {
  if (typeof data !== 'string') throw pyTypeError(`the JSON object must be str, bytes or bytearray, not ${pyTypeName(data)}`);
  try {
    return pyJsonLoads(data);
  } catch (e) {
    if (e instanceof PyJsonDecodeError) throw new PyException('JSONDecodeError', e.message);
    throw e;
  }
});

function yamlOptions(kw: Kwargs) {
  return {
    width: kw.width === undefined ? undefined : Number(numberOf(kw.width)),
    sortKeys: kw.sort_keys === undefined ? true : truthy(kw.sort_keys),
    explicitStart: truthy(kw.explicit_start ?? false),
    explicitEnd: truthy(kw.explicit_end ?? false),
  };
}

defineFilter('to_yaml', 'a, *args, **kw', ({ a, kw }) => {
  const k = kw as Kwargs;
  const flow = k.default_flow_style;
  return yamlDump(a, { ...yamlOptions(k), indent: k.indent === undefined ? 2 : Number(numberOf(k.indent)), defaultFlowStyle: flow === undefined || flow === null ? null : truthy(flow) });
});

defineFilter('to_nice_yaml', 'a, indent=4, *args, **kw', ({ a, indent, kw }) =>
  yamlDump(a, { ...yamlOptions(kw as Kwargs), indent: Number(numberOf(indent)), defaultFlowStyle: false }),
);

function loadYaml(text: string, all: boolean): unknown {
  try {
    return all ? parseYamlDocuments(text, '<string>') : parseYaml(text, '<string>');
  } catch (e) {
    if (e instanceof TsplayError) throw new AnsiblePluginError('AnsibleError', e.message);
    throw e;
  }
}

defineFilter('from_yaml', 'data', ({ data }) => (typeof data === 'string' ? loadYaml(data, false) : data));
defineFilter('from_yaml_all', 'data', ({ data }) => (typeof data === 'string' ? loadYaml(data, true) : data));

// ---- booleans, text ---------------------------------------------------------------------------

defineFilter('bool', 'a', ({ a }) => {
  if (a === null || typeof a === 'boolean') return a;
  const v = typeof a === 'string' ? a.toLowerCase() : a;
  return v === 'yes' || v === 'on' || v === '1' || v === 'true' || v === 1 || (typeof v === 'number' && v === 1);
});

defineFilter('quote', 'a', ({ a }) => {
  const text = a === null ? '' : s(a);
  if (!text) return "''";
  if (!/[^\w@%+=:,./-]/.test(text)) return text;
  return `'${text.replace(/'/g, `'"'"'`)}'`;
});

defineFilter('split', 'value, sep=None, maxsplit=-1', ({ value, sep, maxsplit }) => STR_METHODS.split!(s(value), [sep, maxsplit], {}));

defineFilter('b64encode', "string, encoding='utf-8'", ({ string, encoding }) => Buffer.from(s(string), bufferEncoding(encoding)).toString('base64'));
defineFilter('b64decode', "string, encoding='utf-8'", ({ string, encoding }) => Buffer.from(s(string), 'base64').toString(bufferEncoding(encoding)));

function bufferEncoding(encoding: unknown): BufferEncoding {
  const name = s(encoding).toLowerCase().replace(/_/g, '-');
  if (name === 'utf-16-le' || name === 'utf-16le' || name === 'utf-16') return 'utf16le';
  if (name === 'latin-1' || name === 'latin1' || name === 'iso-8859-1') return 'latin1';
  if (name === 'ascii') return 'ascii';
  return 'utf8';
}

defineFilter('comment', "text, style='plain', **kw", ({ text, style, kw }) => {
  const styles: Record<string, Record<string, string>> = {
    plain: { decoration: '# ' },
    erlang: { decoration: '% ' },
    c: { decoration: '// ' },
    cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
    xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
  };
  const k = kw as Kwargs;
  const styleParams = styles[s(style)];
  if (!styleParams) throw pyValueError(`KeyError: ${pyRepr(s(style))}`);
  const prepostfix = k.decoration !== undefined ? s(k.decoration) : styleParams.decoration!;
  const p: Record<string, unknown> = {
    newline: '\n',
    beginning: '',
    prefix: prepostfix.replace(/\s+$/, ''),
    prefix_count: 1,
    decoration: '',
    postfix: prepostfix.replace(/\s+$/, ''),
    postfix_count: 1,
    end: '',
    ...styleParams,
    ...k,
  };
  const nl = s(p.newline);
  const decoration = s(p.decoration);
  const beginning = p.beginning ? `${s(p.beginning)}${nl}` : '';
  let prefix = '';
  if (p.prefix) prefix = (s(p.prefix) !== nl ? `${s(p.prefix)}${nl}` : nl).repeat(toInt(p.prefix_count));
  const body = `${decoration}${s(text).split(nl).join(`${nl}${decoration}`)}`.split(`${decoration}${nl}`).join(`${decoration.replace(/\s+$/, '')}${nl}`);
  const postfix = ['', ...Array.from({ length: toInt(p.postfix_count) }, () => s(p.postfix))].join(nl);
  const end = p.end ? `${nl}${s(p.end)}` : '';
  return `${beginning}${prefix}${body}${postfix}${end}`;
});

defineFilter('mandatory', 'a, msg=None', ({ a, msg }) => {
  if (a instanceof PyUndefined) {
    if (msg !== null) throw filterError(s(msg));
    const name = a.name !== undefined && a.name !== null ? `'${s(a.name)}' ` : '';
    throw filterError(`Mandatory variable ${name} not defined.`);
  }
  return a;
}, { acceptsUndefined: true });

defineFilter('ternary', 'value, true_val, false_val, none_val=None', ({ value, true_val, false_val, none_val }) => {
  if (value === null && none_val !== null) return none_val;
  return truthy(value) ? true_val : false_val;
});

defineFilter('type_debug', 'o', ({ o }) => (typeof o === 'string' ? textClassName(o) : pyTypeName(o)), { acceptsUndefined: true });

// ---- paths -------------------------------------------------------------------------------------

function pyBasename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function pyDirname(p: string): string {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return head;
}

function expandUser(p: string): string {
  if (!p.startsWith('~')) return p;
  const slash = p.indexOf('/', 1);
  const user = p.slice(1, slash < 0 ? undefined : slash);
  if (user) return p;
  const home = process.env.HOME ?? homedir();
  return (home.replace(/\/+$/, '') || '/') + (slash < 0 ? '' : p.slice(slash));
}

function pyRealpath(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    // Resolve the longest existing prefix, as os.path.realpath does for missing paths.
    const parts = abs.split('/');
    for (let i = parts.length - 1; i > 0; i--) {
      const head = parts.slice(0, i).join('/') || '/';
      if (existsSync(head)) return join(realpathSync(head), ...parts.slice(i));
    }
    return abs;
  }
}

function pyJoin(parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (part.startsWith('/')) out = part;
    else if (!out || out.endsWith('/')) out += part;
    else out += `/${part}`;
  }
  return out;
}

defineFilter('basename', 'path', ({ path }) => pyBasename(s(path)));
defineFilter('dirname', 'path', ({ path }) => pyDirname(s(path)));
defineFilter('expanduser', 'path', ({ path }) => expandUser(s(path)));
defineFilter('expandvars', 'path', ({ path }) =>
  s(path).replace(/\$(\w+)|\$\{([^}]+)\}/g, (m, a: string | undefined, b: string | undefined) => process.env[a ?? b ?? ''] ?? m),
);
defineFilter('realpath', 'path', ({ path }) => pyRealpath(s(path)));
defineFilter('relpath', 'path, start=None', ({ path, start }) => relative(start === null ? process.cwd() : resolve(s(start)), resolve(s(path))) || '.');
defineFilter('splitext', 'path', ({ path }) => {
  const p = s(path);
  const base = pyBasename(p);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return tuple(p, '');
  const cut = p.length - base.length + dot;
  return tuple(p.slice(0, cut), p.slice(cut));
});
defineFilter('path_join', 'paths', ({ paths }) => {
  if (typeof paths === 'string') return paths;
  if (Array.isArray(paths)) return pyJoin(paths.map(s));
  throw pyTypeError(`|path_join expects string or sequence, got ${pyTypeName(paths)} instead.`);
});
defineFilter('win_basename', 'path', ({ path }) => s(path).split(/[\\/]/).pop() ?? '');
defineFilter('win_dirname', 'path', ({ path }) => {
  const p = s(path);
  const i = Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
  const head = p.slice(0, i + 1);
  return /^[A-Za-z]:?[\\/]*$/.test(head) || /^[\\/]+$/.test(head) ? head : head.replace(/[\\/]+$/, '');
});
defineFilter('win_splitdrive', 'path', ({ path }) => {
  const p = s(path);
  const m = /^([A-Za-z]:)/.exec(p);
  return m ? tuple(m[1]!, p.slice(2)) : tuple('', p);
});

defineFilter('fileglob', 'pathname', ({ pathname }) => {
  const pattern = s(pathname);
  const slash = pattern.lastIndexOf('/');
  const dir = slash < 0 ? '.' : pattern.slice(0, slash) || '/';
  const file = pattern.slice(slash + 1);
  const regex = new RegExp(`^${file.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return readdirSync(dir)
      .filter((name) => regex.test(name) && (file.startsWith('.') || !name.startsWith('.')))
      .map((name) => (slash < 0 ? name : join(dir, name)))
      .filter((p) => {
        try {
          return statSync(p).isFile();
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
});

// ---- regular expressions --------------------------------------------------------------------

/** Runs `work`, raising Python's re.error for what the re module refuses. */
function reError<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof PyRegexError) throw new PyException('re.error', e.message);
    throw e;
  }
}

function regex(pattern: unknown, flags: { ignorecase?: unknown; multiline?: unknown }): RegExp {
  return reError(() => compilePyRegex(s(pattern), { ignorecase: truthy(flags.ignorecase ?? false), multiline: truthy(flags.multiline ?? false) }));
}

defineFilter('regex_replace', "value='', pattern='', replacement='', ignorecase=False, multiline=False", (a) => {
  const re = regex(a.pattern, a);
  const text = s(a.value);
  const replacement = s(a.replacement);
  let out = '';
  let last = 0;
  for (const m of pyFinditer(re, text)) {
    out += text.slice(last, m.index) + reError(() => pyExpand(m, replacement));
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
});

defineFilter('regex_findall', 'value, regex, multiline=False, ignorecase=False', (a) => {
  const re = regex(a.regex, a);
  const out: unknown[] = [];
  for (const m of pyFinditer(re, s(a.value))) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? '');
    else out.push(tuple(...m.slice(1).map((g) => g ?? '')));
  }
  return out;
});

defineFilter('regex_search', 'value, regex, *args, **kwargs', ({ value, regex: pattern, args, kwargs }) => {
  const groups: (number | string)[] = [];
  const noMatch = () => new PyException('AttributeError', "'NoneType' object has no attribute 'group'");
  for (const arg of args as unknown[]) {
    const text = s(arg);
    if (text.startsWith('\\g')) {
      const named = /^\\g<(\S+)>/.exec(text);
      if (!named) throw noMatch();
      groups.push(named[1]!);
    } else if (text.startsWith('\\')) {
      const numbered = /^\\(\d+)/.exec(text);
      if (!numbered) throw noMatch();
      groups.push(Number(numbered[1]));
    } else throw filterError('Unknown argument');
  }
  const re = regex(pattern, kwargs as Kwargs);
  const m = pyFinditer(re, s(value)).next().value as RegExpExecArray | undefined;
  if (!m) return null;
  if (!groups.length) return m[0];
  return groups.map((g) => (typeof g === 'number' ? (m[g] ?? null) : (m.groups?.[g] ?? null)));
});

defineFilter('regex_escape', "string, re_type='python'", ({ string, re_type }) => {
  const text = s(string);
  if (re_type === 'python') return pyRegexEscape(text);
  if (re_type === 'posix_basic') return text.replace(/[\].[^$*\\]/g, '\\$&');
  if (re_type === 'posix_extended') throw filterError(`Regex type (${s(re_type)}) not yet implemented`);
  throw filterError(`Invalid regex type (${s(re_type)})`);
});

// ---- data structures -------------------------------------------------------------------------

type Dict = Record<string, unknown>;

function checkDefined(value: unknown): void {
  if (value instanceof PyUndefined) throw filterError(`${value.message()} is undefined`);
  if (Array.isArray(value)) value.forEach(checkDefined);
  else if (isDict(value)) Object.values(value).forEach(checkDefined);
}

function plainDict(value: Record<string, unknown> | PyMapping): Dict {
  return isDict(value) ? value : Object.fromEntries(mappingKeys(value).map((k) => [k, mappingGet(value, k)]));
}

/** Ansible's _validate_mutable_mappings: both sides of a merge must be dicts. */
function mergeable(x: unknown, y: unknown): [Dict, Dict] {
  if (isMappingLike(x) && isMappingLike(y)) return [plainDict(x), plainDict(y)];
  throw new AnsiblePluginError(
    'AnsibleError',
    `failed to combine variables, expected dicts but got a '${pyTypeName(x)}' and a '${pyTypeName(y)}': \n${pyJsonDumps(x)}\n${pyJsonDumps(y)}`,
  );
}

const LIST_MERGE = new Set(['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp']);

/** Ansible's merge_hash: y's keys win over x's. */
export function mergeHash(x: Dict, y: Dict, recursive: boolean, listMerge: string): Dict {
  if (!LIST_MERGE.has(listMerge)) {
    throw new AnsiblePluginError(
      'AnsibleError',
      "merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'",
    );
  }
  if (Object.keys(x).length === 0 || pyEquals(x, y)) return { ...y };
  const out: Dict = { ...x };
  if (!recursive && listMerge === 'replace') return Object.assign(out, y);
  for (const key of Object.keys(y)) {
    const yv = y[key];
    if (!Object.hasOwn(out, key)) {
      out[key] = yv;
      continue;
    }
    const xv = out[key];
    if (isDict(xv) && isDict(yv)) {
      out[key] = recursive ? mergeHash(xv, yv, recursive, listMerge) : yv;
      continue;
    }
    if (Array.isArray(xv) && Array.isArray(yv) && !(xv instanceof PyTuple) && !(yv instanceof PyTuple)) {
      if (listMerge === 'replace') out[key] = yv;
      else if (listMerge === 'append') out[key] = [...xv, ...yv];
      else if (listMerge === 'prepend') out[key] = [...yv, ...xv];
      else if (listMerge === 'append_rp') out[key] = [...xv.filter((z) => !contains(yv, z)), ...yv];
      else if (listMerge === 'prepend_rp') out[key] = [...yv, ...xv.filter((z) => !contains(yv, z))];
      continue;
    }
    out[key] = yv;
  }
  return out;
}

defineFilter('combine', '*terms, **kwargs', ({ terms, kwargs }) => {
  const k = { ...(kwargs as Kwargs) };
  const recursive = truthy(k.recursive ?? false);
  const listMerge = s(k.list_merge ?? 'replace');
  delete k.recursive;
  delete k.list_merge;
  if (Object.keys(k).length) throw filterError("'recursive' and 'list_merge' are the only valid keyword arguments");
  const dicts = flattenList(terms as unknown[], 1, false);
  checkDefined(dicts);
  if (!dicts.length) return {};
  if (dicts.length === 1) return dicts[0];
  let result = dicts[dicts.length - 1];
  for (let i = dicts.length - 2; i >= 0; i--) {
    const [x, y] = mergeable(dicts[i], result);
    result = mergeHash(x, y, recursive, listMerge);
  }
  return result;
});

defineFilter('dict2items', "mydict, key_name='key', value_name='value'", ({ mydict, key_name, value_name }) => {
  if (!isMappingLike(mydict)) throw new PyException('AnsibleFilterTypeError', `dict2items requires a dictionary, got <class '${pyTypeName(mydict)}'> instead.`);
  return mappingKeys(mydict).map((k) => ({ [s(key_name)]: k, [s(value_name)]: mappingGet(mydict, k) }));
});

defineFilter('items2dict', "mylist, key_name='key', value_name='value'", ({ mylist, key_name, value_name }) => {
  if (!Array.isArray(mylist)) throw new PyException('AnsibleFilterTypeError', `items2dict requires a list, got <class '${pyTypeName(mylist)}'> instead.`);
  const out: Dict = {};
  for (const item of mylist) {
    if (!isMappingLike(item)) throw new PyException('AnsibleFilterTypeError', `items2dict requires a list of dictionaries, got ${pyRepr(mylist)} instead.`);
    const kn = s(key_name);
    const vn = s(value_name);
    if (!mappingKeys(item).includes(kn) || !mappingKeys(item).includes(vn)) {
      throw new PyException(
        'AnsibleFilterTypeError',
        `items2dict requires each dictionary in the list to contain the keys '${kn}' and '${vn}', got ${pyRepr(mylist)} instead.`,
      );
    }
    const key = mappingGet(item, kn);
    out[typeof key === 'string' ? key : pyRepr(key)] = mappingGet(item, vn);
  }
  return out;
});

defineFilter('extract', 'item, container, morekeys=None', ({ item, container, morekeys }) => {
  const keys = morekeys === null ? [item] : Array.isArray(morekeys) ? [item, ...morekeys] : [item, morekeys];
  let value = container;
  for (const key of keys) value = getitem(value, key);
  return value;
});

function flattenList(list: readonly unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const element of list) {
    if (skipNulls && (element === null || element === 'None' || element === 'null')) continue;
    if (Array.isArray(element)) {
      if (levels === null) out.push(...flattenList(element, null, skipNulls));
      else if (levels >= 1) out.push(...flattenList(element, levels - 1, skipNulls));
      else out.push(element);
    } else out.push(element);
  }
  return out;
}

defineFilter('flatten', 'mylist, levels=None, skip_nulls=True', ({ mylist, levels, skip_nulls }) =>
  flattenList(toList(mylist), levels === null ? null : toInt(levels), truthy(skip_nulls)),
);

defineFilter('subelements', 'obj, subelements, skip_missing=False', ({ obj, subelements, skip_missing }) => {
  let elements: unknown[];
  if (isDict(obj)) elements = Object.values(obj);
  else if (Array.isArray(obj)) elements = [...obj];
  else throw filterError('obj must be a list of dicts or a nested dict');
  let path: unknown[];
  if (Array.isArray(subelements)) path = [...subelements];
  else if (typeof subelements === 'string') path = subelements.split('.');
  else throw new PyException('AnsibleFilterTypeError', 'subelements must be a list or a string');
  const out: unknown[] = [];
  for (const element of elements) {
    let values: unknown = element;
    let last: unknown;
    for (const key of path) {
      last = key;
      if (isDict(values) && Object.hasOwn(values, s(key))) values = values[s(key)];
      else if (isDict(values)) {
        if (truthy(skip_missing)) {
          values = [];
          break;
        }
        throw filterError(`could not find ${pyRepr(key)} key in iterated item ${pyRepr(values)}`);
      } else throw new PyException('AnsibleFilterTypeError', `the key ${s(key)} should point to a dictionary, got '${pyRepr(values)}'`);
    }
    if (!Array.isArray(values)) throw new PyException('AnsibleFilterTypeError', `the key ${pyRepr(last)} should point to a list, got ${pyRepr(values)}`);
    for (const value of values) out.push(tuple(element, value));
  }
  return out;
});

// ---- randomness ------------------------------------------------------------------------------

defineFilter('random', 'end, start=None, step=None, seed=None', ({ end, start, step, seed }) => {
  const random = randomSource(seed);
  if (typeof end === 'number' && Number.isInteger(end) || typeof end === 'boolean') {
    const stop = Number(end);
    const first = truthy(start) ? toInt(start) : 0;
    const stride = truthy(step) ? toInt(step) : 1;
    const width = stop - first;
    if (stride === 1) {
      if (width > 0) return first + random.randbelow(width);
      throw pyValueError(`empty range for randrange() (${first}, ${stop}, ${width})`);
    }
    const n = stride > 0 ? Math.floor((width + stride - 1) / stride) : Math.floor((width + stride + 1) / stride);
    if (n <= 0) throw pyValueError('empty range for randrange()');
    return first + stride * random.randbelow(n);
  }
  if (typeof end === 'string' || Array.isArray(end) || isMappingLike(end)) {
    if (truthy(start) || truthy(step)) throw filterError('start and step can only be used with integer values');
    const items = [...iterate(end)];
    if (!items.length) throw new PyException('IndexError', 'Cannot choose from an empty sequence');
    return random.choice(items);
  }
  throw filterError('random can only be used on sequences and integers');
});

defineFilter('shuffle', 'mylist, seed=None', ({ mylist, seed }) => {
  let items: unknown[];
  try {
    items = [...iterate(mylist)];
  } catch {
    return mylist;
  }
  randomSource(truthy(seed) ? seed : null).shuffle(items);
  return items;
});

// ---- dates -----------------------------------------------------------------------------------

defineFilter('to_datetime', "string, format='%Y-%m-%d %H:%M:%S'", ({ string, format }) => strptime(s(string), s(format)));

defineFilter('strftime', 'string_format, second=None, utc=False', ({ string_format, second, utc }) => {
  let when = new Date();
  if (second !== null) {
    const n = typeof second === 'string' ? Number(second) : numberOf(second);
    if (n === undefined || Number.isNaN(n)) throw filterError(`Invalid value for epoch value (${s(second)})`);
    when = new Date(n * 1000);
  }
  return strftime(fieldsOfDate(when, truthy(utc)), s(string_format));
});


setDatetimeAttributes((d: PyDatetime, name: string) => {
  const f = d.fields;
  const weekday = new Date(Date.UTC(f.year, f.month - 1, f.day)).getUTCDay();
  switch (name) {
    case 'strftime':
      return pyCallable('<built-in method strftime of datetime.datetime object>', ([format]) => strftime(d, s(format)));
    case 'timestamp':
      return pyCallable('<built-in method timestamp of datetime.datetime object>', () => toPyFloat(d.timestamp()));
    case 'isoformat':
      return pyCallable('<built-in method isoformat of datetime.datetime object>', ([sep]) => {
        const text = strftime(d, '%Y-%m-%dT%H:%M:%S') + (f.microsecond ? `.${String(f.microsecond).padStart(6, '0')}` : '');
        return sep === undefined ? text : text.replace('T', s(sep));
      });
    case 'weekday':
      return pyCallable('<built-in method weekday of datetime.datetime object>', () => (weekday + 6) % 7);
    case 'isoweekday':
      return pyCallable('<built-in method isoweekday of datetime.datetime object>', () => (weekday === 0 ? 7 : weekday));
    default:
      return MISSING_KEY;
  }
});
