// yaml.dump as PyYAML writes it (the to_yaml / to_nice_yaml filters): its representer
// (sorted keys, flow style for collections of scalars unless told otherwise) and a port
// of its emitter's style choices, quoting and line folding, so the text is byte-identical.
import { pyFloatRepr } from './number.js';
import { isDict } from '../runtime/repr.js';
import { PyFloat, PyIterable, PyMapping } from '../runtime/types.js';
import { compareStrings } from '../runtime/ops.js';

export interface YamlDumpOptions {
  indent?: number;
  width?: number;
  /** null: flow style for collections holding only scalars (PyYAML's default). */
  defaultFlowStyle?: boolean | null;
  sortKeys?: boolean;
  explicitStart?: boolean;
  explicitEnd?: boolean;
  allowUnicode?: boolean;
}

type Scalar = { kind: 'scalar'; value: string; plainImplicit: boolean };
type Node = Scalar | { kind: 'seq'; items: Node[]; flow: boolean } | { kind: 'map'; pairs: [Node, Node][]; flow: boolean };

const BOOL_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_RE = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL_RE = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP_RE =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

/** Whether a plain scalar with this text would load back as a string. */
function resolvesToStr(text: string): boolean {
  return !(BOOL_RE.test(text) || FLOAT_RE.test(text) || INT_RE.test(text) || NULL_RE.test(text) || TIMESTAMP_RE.test(text) || text === '<<' || text === '=');
}

function floatText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  let value = pyFloatRepr(n).toLowerCase();
  if (!value.includes('.') && value.includes('e')) value = value.replace('e', '.0e');
  return value;
}

function represent(value: unknown, options: Required<Pick<YamlDumpOptions, 'sortKeys' | 'defaultFlowStyle'>>): Node {
  if (value === null || value === undefined) return { kind: 'scalar', value: 'null', plainImplicit: true };
  if (typeof value === 'boolean') return { kind: 'scalar', value: value ? 'true' : 'false', plainImplicit: true };
  if (typeof value === 'number') {
    return { kind: 'scalar', value: Number.isInteger(value) ? String(value) : floatText(value), plainImplicit: true };
  }
  if (value instanceof PyFloat) return { kind: 'scalar', value: floatText(value.value), plainImplicit: true };
  if (typeof value === 'string') return { kind: 'scalar', value, plainImplicit: resolvesToStr(value) };
  if (Array.isArray(value) || value instanceof PyIterable || value instanceof Set) {
    const items = (Array.isArray(value) ? value : value instanceof Set ? [...value] : [...value.items]).map((v) => represent(v, options));
    const best = items.every((n) => n.kind === 'scalar');
    return { kind: 'seq', items, flow: options.defaultFlowStyle ?? best };
  }
  if (isDict(value) || value instanceof PyMapping) {
    let keys = value instanceof PyMapping ? value.keys() : Object.keys(value);
    if (options.sortKeys) keys = [...keys].sort(compareStrings);
    const pairs: [Node, Node][] = keys.map((k) => [
      represent(k, options),
      represent(value instanceof PyMapping ? value.get(k) : value[k], options),
    ]);
    const best = pairs.every(([k, v]) => k.kind === 'scalar' && v.kind === 'scalar');
    return { kind: 'map', pairs, flow: options.defaultFlowStyle ?? best };
  }
  return { kind: 'scalar', value: String(value), plainImplicit: resolvesToStr(String(value)) };
}

interface Analysis {
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
  allowBlock: boolean;
}

const BREAKS = '\n\x85\u2028\u2029';
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029';

function analyze(scalar: string, allowUnicode: boolean): Analysis {
  if (!scalar) return { empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true, allowBlock: false };
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (scalar.startsWith('---') || scalar.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  let followedByWhitespace = scalar.length === 1 || SPACE_OR_BREAK.includes(scalar[1]!);
  let previousSpace = false;
  let previousBreak = false;
  const chars = [...scalar];
  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index]!;
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      }
      if (ch === '?' || ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '-' && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '#' && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    const code = ch.codePointAt(0)!;
    if (!(ch === '\n' || (code >= 0x20 && code <= 0x7e))) {
      const unicode =
        (code === 0x85 || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code < 0x10ffff)) &&
        code !== 0xfeff;
      if (!unicode || !allowUnicode) special = true;
    }
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = SPACE_OR_BREAK.includes(ch);
    followedByWhitespace = index + 2 >= chars.length || SPACE_OR_BREAK.includes(chars[index + 2]!);
  }
  let allowFlowPlain = true;
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  let allowBlock = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false;
  if (trailingSpace) allowBlock = false;
  if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || special) allowFlowPlain = allowBlockPlain = allowSingleQuoted = allowBlock = false;
  if (lineBreaks) allowFlowPlain = allowBlockPlain = false;
  if (flowIndicators) allowFlowPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted, allowBlock };
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\x09': 't',
  '\x0A': 'n',
  '\x0B': 'v',
  '\x0C': 'f',
  '\x0D': 'r',
  '\x1B': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xA0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

class Emitter {
  private out = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent: number | null = null;
  private readonly indents: (number | null)[] = [];
  private flowLevel = 0;
  private mappingContext = false;
  private simpleKeyContext = false;
  private readonly bestIndent: number;
  private readonly bestWidth: number;

  constructor(private readonly options: YamlDumpOptions) {
    const indent = options.indent ?? 2;
    this.bestIndent = indent > 1 && indent < 10 ? indent : 2;
    const width = options.width ?? 80;
    this.bestWidth = width > this.bestIndent * 2 ? width : 80;
  }

  private write(data: string): void {
    this.out += data;
    this.column += [...data].length;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ` ${indicator}`;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.write(data);
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.out += ' '.repeat(indent - this.column);
      this.column = indent;
    }
  }

  private writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.out += data;
    this.column = 0;
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? null;
  }

  dump(node: Node): string {
    if (this.options.explicitStart) {
      this.writeIndicator('---', true);
    }
    this.node(node, { root: true });
    this.writeIndent();
    if (this.options.explicitEnd) {
      this.writeIndicator('...', true);
      this.writeIndent();
    }
    return this.out;
  }

  private node(node: Node, ctx: { root?: boolean; sequence?: boolean; mapping?: boolean; simpleKey?: boolean }): void {
    this.mappingContext = ctx.mapping ?? false;
    this.simpleKeyContext = ctx.simpleKey ?? false;
    if (node.kind === 'scalar') return this.scalar(node);
    if (node.kind === 'seq') {
      if (this.flowLevel || node.flow || !node.items.length) return this.flowSequence(node.items);
      return this.blockSequence(node.items);
    }
    if (this.flowLevel || node.flow || !node.pairs.length) return this.flowMapping(node.pairs);
    return this.blockMapping(node.pairs);
  }

  private isSimpleKey(node: Node): boolean {
    if (node.kind === 'scalar') {
      const a = analyze(node.value, this.options.allowUnicode ?? true);
      return [...node.value].length < 128 && !a.empty && !a.multiline;
    }
    if (node.kind === 'seq') return node.items.length === 0;
    return node.pairs.length === 0;
  }

  private flowSequence(items: Node[]): void {
    this.writeIndicator('[', true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item, { sequence: true });
    });
    this.popIndent();
    this.flowLevel--;
    this.writeIndicator(']', false);
  }

  private flowMapping(pairs: [Node, Node][]): void {
    this.writeIndicator('{', true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    pairs.forEach(([key, value], i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (this.isSimpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true);
        this.node(key, { mapping: true });
        if (this.column > this.bestWidth) this.writeIndent();
        this.writeIndicator(':', true);
      }
      this.node(value, { mapping: true });
    });
    this.popIndent();
    this.flowLevel--;
    this.writeIndicator('}', false);
  }

  private blockSequence(items: Node[]): void {
    const indentless = this.mappingContext && !this.indention;
    this.increaseIndent(false, indentless);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { sequence: true });
    }
    this.popIndent();
  }

  private blockMapping(pairs: [Node, Node][]): void {
    this.increaseIndent(false);
    for (const [key, value] of pairs) {
      this.writeIndent();
      if (this.isSimpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(key, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(value, { mapping: true });
    }
    this.popIndent();
  }

  private scalar(node: Scalar): void {
    this.increaseIndent(true);
    const analysis = analyze(node.value, this.options.allowUnicode ?? true);
    const style = this.chooseStyle(node, analysis);
    const split = !this.simpleKeyContext;
    if (style === '"') this.writeDoubleQuoted(node.value, split);
    else if (style === "'") this.writeSingleQuoted(node.value, split);
    else this.writePlain(node.value, split);
    this.popIndent();
  }

  private chooseStyle(node: Scalar, a: Analysis): string {
    if (node.plainImplicit) {
      if (
        !(this.simpleKeyContext && (a.empty || a.multiline)) &&
        ((this.flowLevel && a.allowFlowPlain) || (!this.flowLevel && a.allowBlockPlain))
      ) {
        return '';
      }
    }
    if (a.allowSingleQuoted && !(this.simpleKeyContext && a.multiline)) return "'";
    return '"';
  }

  private writePlain(text: string, split: boolean): void {
    if (!text) return;
    if (!this.whitespace) this.write(' ');
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let start = 0;
    const chars = [...text];
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else this.write(chars.slice(start, end).join(''));
          start = end;
        }
      } else if (ch === undefined || ' \n\x85\u2028\u2029'.includes(ch)) {
        this.write(chars.slice(start, end).join(''));
        start = end;
      }
      if (ch !== undefined) spaces = ch === ' ';
    }
  }

  private writeSingleQuoted(text: string, split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    const chars = [...text];
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (spaces) {
        if (ch === undefined || ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split && start !== 0 && end !== chars.length) this.writeIndent();
          else this.write(chars.slice(start, end).join(''));
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (chars[start] === '\n') this.writeLineBreak();
          for (const br of chars.slice(start, end)) this.writeLineBreak(br === '\n' ? '\n' : br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === undefined || ' \n\x85\u2028\u2029'.includes(ch) || ch === "'") {
        if (start < end) {
          this.write(chars.slice(start, end).join(''));
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  private writeDoubleQuoted(text: string, split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    const chars = [...text];
    const allowUnicode = this.options.allowUnicode ?? true;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      const code = ch === undefined ? 0 : ch.codePointAt(0)!;
      const printable =
        ch !== undefined &&
        ((code >= 0x20 && code <= 0x7e) || (allowUnicode && ((code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd))));
      if (ch === undefined || '"\\\x85\u2028\u2029\uFEFF'.includes(ch) || !printable) {
        if (start < end) {
          this.write(chars.slice(start, end).join(''));
          start = end;
        }
        if (ch !== undefined) {
          let data: string;
          if (ESCAPES[ch] !== undefined) data = `\\${ESCAPES[ch]}`;
          else if (code <= 0xff) data = `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
          else if (code <= 0xffff) data = `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
          else data = `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
          this.write(data);
          start = end + 1;
        }
      }
      if (end > 0 && end < chars.length - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > this.bestWidth && split) {
        const data = `${chars.slice(start, end).join('')}\\`;
        if (start < end) start = end;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === ' ') this.write('\\');
      }
    }
    this.writeIndicator('"', false);
  }
}

export function yamlDump(value: unknown, options: YamlDumpOptions = {}): string {
  const node = represent(value, { sortKeys: options.sortKeys ?? true, defaultFlowStyle: options.defaultFlowStyle ?? null });
  return new Emitter(options).dump(node);
}
