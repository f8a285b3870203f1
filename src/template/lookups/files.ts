// Lookups that read the controller's files and commands: file, fileglob, first_found,
// template, lines, pipe, password.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseKv } from '../../parsing/split-args.js';
import { ansibleError, lookupError } from '../runtime/errors.js';
import { isMappingLike, mappingGet, mappingKeys } from '../runtime/ops.js';
import { pyStr } from '../runtime/repr.js';
import { fnmatch } from '../../parsing/fnmatch.js';
import { expandUser, findFile } from '../ansible/search.js';
import { markNativeText, type RenderState } from '../render-state.js';
import { randomSource } from '../python/random.js';
import { passwordHash } from '../filters/hashing.js';
import { defineLookup } from './registry.js';

function truthyOption(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return ['true', 'yes', '1', 'on', 'y', 't'].includes(value.toLowerCase());
  return Boolean(value);
}

/** The playbook directory (loader basedir): the last search-path entry. */
function basedir(state: RenderState): string {
  const paths = state.options.searchPath;
  return paths.length ? paths[paths.length - 1]! : process.cwd();
}

defineLookup('file', (terms, options, state) =>
  terms.map((term) => {
    const name = pyStr(term);
    const path = findFile(state.options.searchPath, 'files', name);
    if (!path) throw ansibleError(`could not locate file in lookup: ${name}`);
    let contents = readFileSync(path, 'utf8');
    if (truthyOption(options.lstrip, false)) contents = contents.replace(/^\s+/, '');
    if (truthyOption(options.rstrip, true)) contents = contents.replace(/\s+$/, '');
    return contents;
  }),
);

defineLookup('fileglob', (terms, _options, state) => {
  const out: string[] = [];
  for (const term of terms) {
    const pattern = pyStr(term);
    const file = basename(pattern);
    const roots: string[] = [];
    if (file !== pattern) {
      const dir = findFile(state.options.searchPath, 'files', dirname(pattern));
      if (dir) roots.push(dir);
    } else {
      const paths = state.options.searchPath.length ? state.options.searchPath : [process.cwd()];
      for (const p of paths) roots.push(join(p, 'files'), p);
    }
    for (const root of roots) {
      const matches = globFiles(root, file);
      if (matches.length) {
        out.push(...matches);
        break;
      }
    }
  }
  return out;
});

/** glob.glob(join(dir, pattern)) for a pattern without directories: regular files only, in directory order. */
function globFiles(dir: string, pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) {
    const path = join(dir, pattern);
    return isFile(path) ? [path] : [];
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => (pattern.startsWith('.') || !name.startsWith('.')) && fnmatch(name, pattern))
    .map((name) => join(dir, name))
    .filter(isFile);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function splitOn(value: unknown, separators: RegExp): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value.map(pyStr) : [pyStr(value)];
  return items.flatMap((item) => item.split(separators)).filter((s) => s !== '');
}

defineLookup('first_found', (terms, options, state) => {
  let skip = false;
  const search: string[] = [];
  const processTerms = (list: readonly unknown[]) => {
    for (const term of list) {
      let files: unknown;
      let paths: unknown;
      if (isMappingLike(term)) {
        const opts: Record<string, unknown> = {};
        for (const k of mappingKeys(term)) opts[k] = mappingGet(term, k);
        files = opts.files;
        paths = opts.paths;
        skip = truthyOption(opts.skip, false);
      } else if (typeof term === 'string') {
        files = options.files;
        paths = options.paths;
        skip = truthyOption(options.skip, false);
      } else if (Array.isArray(term)) {
        processTerms(term);
        continue;
      } else throw lookupError(`Invalid term supplied, can handle string, mapping or list of strings but got: ${typeof term} for ${pyStr(term)}`);
      const fileList = splitOn(files, /[,;]/);
      const pathList = splitOn(paths, /[,:;]/);
      if (pathList.length) for (const p of pathList) for (const f of fileList) search.push(join(p, f));
      else if (fileList.length) search.splice(0, search.length, ...fileList);
      else search.push(term as string);
    }
  };
  processTerms(terms);
  for (const candidate of search) {
    let name: unknown = candidate;
    if (state.templar.isTemplate(candidate)) {
      try {
        name = state.templar.template(candidate, state.scope, { searchPath: state.options.searchPath });
      } catch {
        continue;
      }
    }
    const path = findFile(state.options.searchPath, 'files', pyStr(name));
    if (path) return [path];
  }
  if (skip) return [];
  throw lookupError('No file was found when using first_found.');
});

defineLookup('template', (terms, options, state) =>
  terms.map((term) => {
    const name = pyStr(term);
    const path = findFile(state.options.searchPath, 'templates', name);
    if (!path) throw ansibleError(`the template file ${name} could not be found for the lookup`);
    const convertData = truthyOption(options.convert_data, true);
    const extra = isMappingLike(options.template_vars)
      ? Object.fromEntries(mappingKeys(options.template_vars).map((k) => [k, mappingGet(options.template_vars as Record<string, unknown>, k)]))
      : {};
    const scope = Object.keys(extra).length
      ? {
          has: (n: string) => Object.hasOwn(extra, n) || state.scope.has(n),
          get: (n: string) => (Object.hasOwn(extra, n) ? extra[n] : state.scope.get(n)),
          names: () => new Set([...Object.keys(extra), ...state.scope.names()]),
        }
      : state.scope;
    const jinja: Record<string, string> = {};
    if (typeof options.variable_start_string === 'string') jinja.variableStartString = options.variable_start_string;
    if (typeof options.variable_end_string === 'string') jinja.variableEndString = options.variable_end_string;
    if (typeof options.comment_start_string === 'string') jinja.commentStartString = options.comment_start_string;
    if (typeof options.comment_end_string === 'string') jinja.commentEndString = options.comment_end_string;
    const result = state.templar.renderTemplateLookup(readFileSync(path, 'utf8'), scope, {
      path,
      templatePath: name,
      searchPath: [dirname(path), ...state.options.searchPath],
      convertData,
      jinja,
    });
    if (!convertData && typeof result === 'string') markNativeText(result, true);
    return result;
  }),
);

function runShell(command: string, cwd: string): { status: number; stdout: string } {
  const result = spawnSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] });
  return { status: result.status ?? 1, stdout: result.stdout ?? '' };
}

defineLookup('pipe', (terms, _options, state) =>
  terms.map((term) => {
    const command = pyStr(term);
    const { status, stdout } = runShell(command, basedir(state));
    if (status !== 0) throw ansibleError(`lookup_plugin.pipe(${command}) returned ${status}`);
    return stdout.replace(/\s+$/, '');
  }),
);

defineLookup('lines', (terms, _options, state) =>
  terms.flatMap((term) => {
    const command = pyStr(term);
    const { status, stdout } = runShell(command, basedir(state));
    if (status !== 0) throw ansibleError(`lookup_plugin.lines(${command}) returned ${status}`);
    return stdout.split(/\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/).filter((line, i, all) => i < all.length - 1 || line !== '');
  }),
);

// ---- password -----------------------------------------------------------------------------

const ASCII_LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CHAR_SETS: Record<string, string> = {
  ascii_letters: ASCII_LETTERS,
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  printable: '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c',
  whitespace: ' \t\n\r\x0b\x0c',
};
const DEFAULT_CHARS = ['ascii_letters', 'digits', '.,:-_'];
const VALID_PARAMS = new Set(['length', 'encrypt', 'chars', 'ident', 'seed']);
const SALT_CHARS = `${ASCII_LETTERS}0123456789./`;

function candidateChars(specs: string[]): string {
  return specs.map((spec) => CHAR_SETS[spec] ?? spec).join('').replace(/["']/g, '');
}

function parsePasswordFile(content: string): { password: string; salt?: string; ident?: string } {
  const saltAt = content.lastIndexOf(' salt=');
  if (saltAt < 0) return { password: content };
  const rest = content.slice(saltAt + 6);
  const identAt = rest.lastIndexOf(' ident=');
  return identAt < 0
    ? { password: content.slice(0, saltAt), salt: rest }
    : { password: content.slice(0, saltAt), salt: rest.slice(0, identAt), ident: rest.slice(identAt + 7) };
}

defineLookup('password', (terms, options, state) =>
  terms.map((term) => {
    const text = pyStr(term);
    const space = text.indexOf(' ');
    let relpath = space < 0 ? text : text.slice(0, space);
    const params: Record<string, unknown> = space < 0 ? {} : parseKv(text.slice(space + 1));
    if (params._raw_params) {
      relpath = `${relpath} ${String(params._raw_params)}`;
      delete params._raw_params;
    }
    const invalid = Object.keys(params).filter((k) => !VALID_PARAMS.has(k));
    if (invalid.length) throw ansibleError(`Unrecognized parameter(s) given to password lookup: ${invalid.join(', ')}`);
    const length = Number(params.length ?? options.length ?? 20);
    const encrypt = (params.encrypt ?? options.encrypt ?? null) as string | null;
    const seed = params.seed ?? options.seed ?? null;
    let chars: string[] = DEFAULT_CHARS;
    const charsOption = params.chars ?? options.chars;
    if (typeof charsOption === 'string') {
      chars = charsOption.includes(',,') ? [','] : [];
      chars.push(...charsOption.replace(/,,/g, ',').split(',').filter(Boolean));
    } else if (Array.isArray(charsOption)) chars = charsOption.map(pyStr);
    const path = resolve(basedir(state), expandUser(relpath));
    const isNull = path === '/dev/null';
    let content: string | undefined;
    if (!isNull && existsSync(path)) content = readFileSync(path, 'utf8').replace(/\s+$/, '');
    let password: string;
    let salt: string | undefined;
    let changed = false;
    if (content === undefined || isNull) {
      const random = randomSource(seed);
      const pool = [...candidateChars(chars)];
      password = Array.from({ length }, () => random.choice(pool)).join('');
      changed = true;
    } else ({ password, salt } = parsePasswordFile(content));
    if (encrypt && !salt) {
      const random = randomSource(null);
      salt = Array.from({ length: 16 }, () => random.choice([...SALT_CHARS])).join('');
      changed = true;
    }
    if (changed && !isNull) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, `${encrypt || salt ? `${password} salt=${salt}` : password}\n`);
      chmodSync(path, 0o600);
    }
    return encrypt ? passwordHash(password, encrypt, salt) : password;
  }),
);

