// Lookups reading values out of configuration files: ini (and Java properties), csvfile;
// and random_choice.
import { readFileSync } from 'node:fs';
import { parseKv } from '../../parsing/split-args.js';
import { AnsiblePluginError, ansibleError, lookupError } from '../runtime/errors.js';
import { truthy } from '../runtime/ops.js';
import { pyStr } from '../runtime/repr.js';
import { compilePyRegex } from '../python/regex.js';
import { randomSource } from '../python/random.js';
import { findFile } from '../ansible/search.js';
import { defineLookup } from './registry.js';

const INI_OPTIONS = ['file', 'section', 're', 'type', 'default', 'encoding', 'case_sensitive', 'allow_no_value', 'allow_none'];

/** The ini lookup's way of splitting `key section=a b file=x` (values may hold spaces). */
function iniParams(term: string): { key: string | undefined; options: Record<string, string> } {
  const params: Record<string, string> = {};
  const order: string[] = [];
  let current = 'key';
  term.split(/\s+/).filter(Boolean).forEach((phrase, i) => {
    if (phrase.includes('=')) for (const k of INI_OPTIONS) if (phrase.includes(`${k}=`)) current = k;
    if (i === 0 || !params[current]) {
      params[current] = phrase;
      order.push(current);
    } else params[current] += ` ${phrase}`;
  });
  let key: string | undefined;
  const options: Record<string, string> = {};
  for (const name of order) {
    const param = params[name]!;
    if (param.includes('=')) {
      const [k, ...rest] = param.split('=');
      if (rest.length !== 1) throw lookupError(`Could not use '${param}' from '${order.map((o) => params[o]).join(' ')}': too many values to unpack (expected 2)`);
      if (!INI_OPTIONS.includes(k!)) throw lookupError(`${k} is not a valid option.`);
      options[k!] = rest[0]!;
    } else if (key === undefined) key = param;
  }
  return { key, options };
}

/** configparser's reading of an ini text: sections of `key = value` / `key: value` lines. */
function parseIni(text: string, caseSensitive: boolean, allowNoValue: boolean): Map<string, Map<string, string | null>> {
  const sections = new Map<string, Map<string, string | null>>();
  let section: Map<string, string | null> | undefined;
  let lastKey: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    if (!rawLine.trim() || /^\s*[#;]/.test(rawLine)) {
      lastKey = undefined;
      continue;
    }
    if (/^\s/.test(rawLine) && section && lastKey !== undefined) {
      section.set(lastKey, `${section.get(lastKey) ?? ''}\n${rawLine.trim()}`);
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(rawLine);
    if (header) {
      section = sections.get(header[1]!) ?? new Map();
      sections.set(header[1]!, section);
      lastKey = undefined;
      continue;
    }
    if (!section) throw lookupError('File contains no section headers.');
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(rawLine);
    const name = (m ? m[1]! : rawLine).trim();
    const key = caseSensitive ? name : name.toLowerCase();
    if (!m && !allowNoValue) throw lookupError(`Source contains parsing errors: ${JSON.stringify(rawLine)}`);
    if (section.has(key)) throw lookupError(`Duplicate option: option '${key}' already exists`);
    section.set(key, m ? m[2]!.trim().replace(/%%/g, '%') : null);
    lastKey = key;
  }
  return sections;
}

defineLookup('ini', (terms, kwargs, state) => {
  const out: unknown[] = [];
  for (const term of terms) {
    const text = pyStr(term);
    let key = text;
    const options: Record<string, unknown> = { file: 'ansible.ini', section: 'global', re: false, type: 'ini', default: '', case_sensitive: false, allow_no_value: false, ...kwargs };
    if (text.includes('=') || text.trim().includes(' ')) {
      const parsed = iniParams(text);
      if (parsed.key === undefined) {
        throw new AnsiblePluginError('AnsibleOptionsError', `No key to lookup was provided as first term with in string inline options: ${text}`);
      }
      key = parsed.key;
      Object.assign(options, parsed.options);
    }
    const path = findFile(state.options.searchPath, 'files', pyStr(options.file));
    if (!path) throw ansibleError(`could not locate file in lookup: ${pyStr(options.file)}`);
    let content = readFileSync(path, 'utf8');
    let section = pyStr(options.section);
    if (options.type === 'properties') {
      content = `[java_properties]\n${content}`;
      section = 'java_properties';
    }
    const caseSensitive = truthy(options.case_sensitive === 'False' ? false : options.case_sensitive);
    const sections = parseIni(content, caseSensitive, truthy(options.allow_no_value ?? options.allow_none));
    const values = sections.get(section);
    if (!values) throw lookupError(`No section '${section}' in ${pyStr(options.file)}`);
    if (truthy(options.re === 'False' ? false : options.re)) {
      const re = compilePyRegex(key);
      for (const [k, v] of values) {
        re.lastIndex = 0;
        const m = re.exec(k);
        if (m && m.index === 0) out.push(v);
      }
    } else {
      const lookupKey = caseSensitive ? key : key.toLowerCase();
      out.push(values.has(lookupKey) ? values.get(lookupKey) : options.default);
    }
  }
  return out;
});

/** Python's csv reader for the simple dialect: quoted fields with doubled quotes. */
function csvRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

defineLookup('csvfile', (terms, kwargs, state) => {
  const out: unknown[] = [];
  for (const term of terms) {
    const kv = parseKv(pyStr(term));
    if (kv._raw_params === undefined) throw ansibleError('Search key is required but was not found');
    const key = kv._raw_params;
    const options: Record<string, unknown> = { col: '1', default: null, delimiter: 'TAB', file: 'ansible.csv', encoding: 'utf-8', ...kwargs };
    for (const [name, value] of Object.entries(kv)) {
      if (name === '_raw_params') continue;
      if (!(name in options)) throw ansibleError(`${name} is not a valid option`);
      options[name] = value;
    }
    const delimiter = options.delimiter === 'TAB' || options.delimiter === '\\t' ? '\t' : pyStr(options.delimiter);
    const path = findFile(state.options.searchPath, 'files', pyStr(options.file));
    if (!path) throw ansibleError(`csvfile: [Errno 2] No such file or directory: '${pyStr(options.file)}'`);
    const row = csvRows(readFileSync(path, 'utf8'), delimiter).find((r) => r.length && r[0] === key);
    const col = Number(options.col);
    if (row && col >= row.length) throw ansibleError('csvfile: list index out of range');
    const value = row ? row[col] : options.default;
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
});

defineLookup('random_choice', (terms) => (terms.length ? [randomSource(null).choice(terms)] : []));
