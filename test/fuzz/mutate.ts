// Mutations of valid inputs into (mostly) invalid ones: lines deleted, duplicated, swapped
// or re-indented, keyword values of the wrong type, unbalanced quotes and Jinja, YAML
// special syntax, random bytes, truncation. Deterministic for a seed, so that a failure
// can be replayed from the seed number the test prints.
import { KEYWORDS } from './seeds.js';

/** mulberry32: small, fast, good enough to pick mutations. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Values of every YAML type, several of them wrong for whatever keyword they land on. */
const WRONG_VALUES = [
  '{}', '[]', '3', '-1', '0', '3.5', '1e400', 'true', 'no', 'null', '~', '""', "''", 'some text', '[1, {a: b}]',
  '{a: 1}', '{when: x}', '[[[]]]', '"{{ undefined_thing }}"', '"{{ 1/0 }}"', '"{{ ports }}"', '"{{ settings }}"',
  '"{{ [1,2] | nosuchfilter }}"', "\"{{ lookup('file', 'nothere.txt') }}\"", '"{% if %}"', '"{{"', '"}}"',
  '!!binary aGVsbG8=', '!!python/object/apply:os.system ["true"]', '!unsafe "{{ x }}"', '!vault "not vault"',
  '&anchor 1', '*nosuchanchor', '|\n  block text', '>-', '2001-01-01', '0x1F', '0o17', '.inf', '.nan', '"\\u0000"',
  '"\\x00"', "'unterminated", '"unterminated', '[unclosed', '{unclosed: 1', '@at', '`backtick`', '%percent',
  'key: value: other', '- item', '? complex key', '"a" "b"', 'yes please', "'{{ item }}'",
];

const JINJA_FRAGMENTS = [
  '{{', '}}', '{%', '%}', '{#', '{{ undefined_var }}', '{{ 1/0 }}', '{{ item.nope.deeper }}', '{% if x %}', '{% endif %}',
  '{% for x in y %}', '{{ x | nosuch }}', "{{ lookup('nosuch', 'x') }}", '{{ "a" + 1 }}', '{{ [] | first }}',
  '{{ {}|dict2items|items2dict }}', '{{ "%s" % () }}', '{{ ports[99] }}',
  "{{ query('file', '/nonexistent') }}", '{{ self }}', '{{ lipsum }}', '{{ cycler }}', '{{ x.__class__ }}',
  '{{ "x" * 100 }}', '{% raw %}', '{{ -"a" }}',
];

const YAML_SPECIALS = [
  '---', '...', '%YAML 1.1', '%TAG ! tag:x,2000:', '&a', '*a', '<<: *a', '<<: [*a]', '? ', ': ', '!!python/name:os.system',
  '!vault |', '!!set {a, b}', '!!omap [a: 1]', '|', '>', '\t', '#', '- ', '[', ']', '{', '}', ',', '"', "'", '@', '`',
  'a: &a [*a]', 'x: !!int abc', 'x: !!float abc', 'x: !!bool maybe', 'x: !!timestamp nope',
];

const RANDOM_CHARS = ['\u0000', '\u0007', '\u001b[31m', '\r', '\t', '\u00a0', '\u2028', '\ufeff', '\ud800', 'é', '日本', '\u202e', '\\', '"', "'", ':', '=', '%', '$(', '`'];

type Mutation = (lines: string[], r: Random) => string[];

function pickLine(lines: string[], r: Random): number {
  return r.int(Math.max(lines.length, 1));
}

const deleteLine: Mutation = (lines, r) => {
  const i = pickLine(lines, r);
  return [...lines.slice(0, i), ...lines.slice(i + 1)];
};

const duplicateLine: Mutation = (lines, r) => {
  const i = pickLine(lines, r);
  return [...lines.slice(0, i + 1), lines[i] ?? '', ...lines.slice(i + 1)];
};

const swapLines: Mutation = (lines, r) => {
  const i = pickLine(lines, r);
  const j = Math.min(lines.length - 1, i + 1 + r.int(3));
  const out = [...lines];
  [out[i], out[j]] = [out[j] ?? '', out[i] ?? ''];
  return out;
};

const reindent: Mutation = (lines, r) => {
  const i = pickLine(lines, r);
  const line = lines[i] ?? '';
  const body = line.trimStart();
  const indent = line.length - body.length;
  const choice = r.int(5);
  const next = choice === 0 ? Math.max(0, indent - 2) : choice === 1 ? indent + 2 : choice === 2 ? indent + 1 : choice === 3 ? 0 : -1;
  const out = [...lines];
  out[i] = next === -1 ? `\t${body}` : `${' '.repeat(next)}${body}`;
  return out;
};

/** Replace the value of a `key: value` line (a known keyword when possible). */
const wrongValue: Mutation = (lines, r) => {
  const candidates = lines
    .map((line, index) => ({ index, match: /^(\s*(?:- )?)([A-Za-z_][\w.]*):(?:\s|$)/.exec(line) }))
    .filter((c) => c.match);
  if (candidates.length === 0) return lines;
  const preferred = candidates.filter((c) => KEYWORDS.includes(c.match![2]!));
  const { index, match } = r.pick(preferred.length > 0 && r.chance(0.8) ? preferred : candidates);
  const out = [...lines];
  out[index] = `${match![1]}${match![2]}: ${r.pick(WRONG_VALUES)}`;
  return out;
};

/** Rename a key: to another keyword, or misspelled. */
const renameKey: Mutation = (lines, r) => {
  const candidates = lines.map((line, index) => ({ index, match: /^(\s*(?:- )?)([A-Za-z_][\w.]*):(.*)$/.exec(line) })).filter((c) => c.match);
  if (candidates.length === 0) return lines;
  const { index, match } = r.pick(candidates);
  const key = match![2]!;
  const renamed = r.chance(0.5) ? r.pick(KEYWORDS) : key.length > 2 ? key.slice(0, -1) + key.slice(-1).repeat(2) : `${key}x`;
  const out = [...lines];
  out[index] = `${match![1]}${renamed}:${match![3]}`;
  return out;
};

function insertAt(lines: string[], r: Random, text: string): string[] {
  const i = pickLine(lines, r);
  const line = lines[i] ?? '';
  const at = r.int(line.length + 1);
  const out = [...lines];
  out[i] = line.slice(0, at) + text + line.slice(at);
  return out;
}

const unbalancedQuote: Mutation = (lines, r) => insertAt(lines, r, r.pick(['"', "'", '"\'', '\\"', '`']));
const unbalancedJinja: Mutation = (lines, r) => insertAt(lines, r, r.pick(JINJA_FRAGMENTS));
const yamlSpecial: Mutation = (lines, r) =>
  r.chance(0.5) ? insertAt(lines, r, r.pick(YAML_SPECIALS)) : [...lines.slice(0, pickLine(lines, r)), r.pick(YAML_SPECIALS), ...lines.slice(pickLine(lines, r))];

const randomBytes: Mutation = (lines, r) => {
  let text = '';
  const count = 1 + r.int(6);
  for (let k = 0; k < count; k++) text += r.chance(0.5) ? r.pick(RANDOM_CHARS) : String.fromCharCode(r.int(0x250));
  return insertAt(lines, r, text);
};

const truncate: Mutation = (lines, r) => {
  const text = lines.join('\n');
  return text.slice(0, r.int(text.length + 1)).split('\n');
};

const MUTATIONS: [string, Mutation][] = [
  ['delete-line', deleteLine],
  ['duplicate-line', duplicateLine],
  ['swap-lines', swapLines],
  ['reindent', reindent],
  ['wrong-value', wrongValue],
  ['wrong-value', wrongValue],
  ['rename-key', renameKey],
  ['unbalanced-quote', unbalancedQuote],
  ['unbalanced-jinja', unbalancedJinja],
  ['yaml-special', yamlSpecial],
  ['random-bytes', randomBytes],
  ['truncate', truncate],
];

/** 1 to 3 mutations of a text; returns the text and the names of what was done. */
export function mutateText(text: string, r: Random): { text: string; applied: string[] } {
  let lines = text.split('\n');
  const applied: string[] = [];
  const count = 1 + (r.chance(0.6) ? 0 : r.int(3));
  for (let k = 0; k < count; k++) {
    const [name, mutation] = r.pick(MUTATIONS);
    lines = mutation(lines, r);
    applied.push(name);
  }
  return { text: lines.join('\n'), applied };
}

/** Character-level mutations for one-line inputs (-e values). */
export function mutateLine(text: string, r: Random): { text: string; applied: string[] } {
  const applied: string[] = [];
  let out = text;
  const count = 1 + r.int(3);
  for (let k = 0; k < count; k++) {
    const at = r.int(out.length + 1);
    switch (r.int(6)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + r.int(4));
        applied.push('delete-chars');
        break;
      case 1:
        out = out.slice(0, at) + r.pick(['{', '}', '[', ']', '"', "'", ',', ':', '=', ' ', '\\', '@']) + out.slice(at);
        applied.push('insert-syntax');
        break;
      case 2:
        out = out.slice(0, at) + r.pick(WRONG_VALUES) + out.slice(at);
        applied.push('insert-value');
        break;
      case 3:
        out = out.slice(0, at) + r.pick(JINJA_FRAGMENTS) + out.slice(at);
        applied.push('insert-jinja');
        break;
      case 4:
        out = out.slice(0, at) + r.pick(RANDOM_CHARS) + out.slice(at);
        applied.push('random-bytes');
        break;
      default:
        out = out.slice(0, at);
        applied.push('truncate');
    }
  }
  return { text: out, applied };
}
