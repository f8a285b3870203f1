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
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  /** UTF-8 length, for the simple-key limit. */
  bytes: number;
}

const isBreak = (ch: string | undefined) => ch === '\r' || ch === '\n' || ch === '\x85' || ch === '\u2028' || ch === '\u2029';
const isBlankz = (ch: string | undefined) => ch === undefined || ch === ' ' || ch === '\t' || ch === '\0' || isBreak(ch);

/** libyaml's IS_PRINTABLE: characters above U+FFFF are not (they get \U escapes). */
function isPrintable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

/** libyaml's yaml_emitter_analyze_scalar. */
function analyze(chars: string[], allowUnicode: boolean): Analysis {
  const bytes = Buffer.byteLength(chars.join(''), 'utf8');
  if (!chars.length) {
    return { empty: true, multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true, bytes };
  }
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
  const head = chars.slice(0, 3).join('');
  if (head === '---' || head === '...') {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  let followedByWhitespace = isBlankz(chars[1]);
  let previousSpace = false;
  let previousBreak = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (i === 0) {
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
    if (!isPrintable(ch) || (!allowUnicode && ch.codePointAt(0)! > 0x7f)) special = true;
    if (isBreak(ch)) lineBreaks = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(ch);
    if (i + 1 < chars.length) followedByWhitespace = isBlankz(chars[i + 2]);
  }
  let flowPlainAllowed = true;
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) flowPlainAllowed = blockPlainAllowed = false;
  if (breakSpace) flowPlainAllowed = blockPlainAllowed = singleQuotedAllowed = false;
  if (spaceBreak || special) flowPlainAllowed = blockPlainAllowed = singleQuotedAllowed = false;
  if (lineBreaks) flowPlainAllowed = blockPlainAllowed = false;
  if (flowIndicators) flowPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { empty: false, multiline: lineBreaks, flowPlainAllowed, blockPlainAllowed, singleQuotedAllowed, bytes };
}

const ESCAPES: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

/** A port of libyaml's emitter (which Ansible's dumper uses through PyYAML's C binding). */
class Emitter {
  private out = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;
  private mappingContext = false;
  private simpleKeyContext = false;
  private readonly bestIndent: number;
  private readonly bestWidth: number;
  private readonly allowUnicode: boolean;

  constructor(options: YamlDumpOptions) {
    const indent = options.indent ?? 2;
    this.bestIndent = indent > 1 && indent < 10 ? indent : 2;
    const width = options.width ?? 80;
    this.bestWidth = width > this.bestIndent * 2 ? width : 80;
    if (width < 0) this.bestWidth = Number.MAX_SAFE_INTEGER;
    this.allowUnicode = options.allowUnicode ?? true;
    this.explicitStart = options.explicitStart ?? false;
    this.explicitEnd = options.explicitEnd ?? false;
  }

  private readonly explicitStart: boolean;
  private readonly explicitEnd: boolean;

  private put(ch: string): void {
    this.out += ch;
    this.column++;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace = false, isIndention = false): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.out += indicator;
    this.column += indicator.length;
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private writeIndent(): void {
    const indent = this.indent >= 0 ? this.indent : 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? -1;
  }

  dump(node: Node): string {
    if (this.explicitStart) {
      this.writeIndicator('---', true);
      if (node.kind !== 'scalar') this.writeIndent();
    }
    this.node(node, { root: true });
    this.writeIndent();
    if (this.explicitEnd) {
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
      const a = analyze([...node.value], this.allowUnicode);
      return !a.multiline && a.bytes <= 128;
    }
    if (node.kind === 'seq') return node.items.length === 0;
    return node.pairs.length === 0;
  }

  private flowSequence(items: Node[]): void {
    this.writeIndicator('[', true, true);
    this.increaseIndent(true);
    this.flowLevel++;
    items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item, { sequence: true });
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator(']', false);
  }

  private flowMapping(pairs: [Node, Node][]): void {
    this.writeIndicator('{', true, true);
    this.increaseIndent(true);
    this.flowLevel++;
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
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator('}', false);
  }

  private blockSequence(items: Node[]): void {
    this.increaseIndent(false, this.mappingContext && !this.indention);
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
    const chars = [...node.value];
    const analysis = analyze(chars, this.allowUnicode);
    const style = this.selectStyle(node, analysis);
    this.increaseIndent(true);
    const allowBreaks = !this.simpleKeyContext;
    if (style === '"') this.writeDoubleQuoted(chars, allowBreaks);
    else if (style === "'") this.writeSingleQuoted(chars, allowBreaks);
    else this.writePlain(chars, allowBreaks);
    this.popIndent();
  }

  private selectStyle(node: Scalar, a: Analysis): string {
    if (this.simpleKeyContext && a.multiline) return '"';
    let style = '';
    if ((this.flowLevel && !a.flowPlainAllowed) || (!this.flowLevel && !a.blockPlainAllowed)) style = "'";
    if (a.empty && (this.flowLevel || this.simpleKeyContext)) style = "'";
    if (!node.plainImplicit) style = "'";
    if (style === "'" && !a.singleQuotedAllowed) style = '"';
    return style;
  }

  private writePlain(chars: string[], allowBreaks: boolean): void {
    if (!this.whitespace && (chars.length || this.flowLevel)) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(ch);
        spaces = true;
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(ch);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeBreak(ch: string): void {
    if (ch === '\n') this.putBreak();
    else {
      this.out += ch;
      this.column = 0;
    }
  }

  private writeSingleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') {
          this.writeIndent();
        } else this.put(ch);
        spaces = true;
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (ch === "'") this.put("'");
        this.put(ch);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    if (breaks) this.writeIndent();
    this.writeIndicator("'", false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator('"', true);
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      const code = ch.codePointAt(0)!;
      if (!isPrintable(ch) || (!this.allowUnicode && code > 0x7f) || code === 0xfeff || isBreak(ch) || ch === '"' || ch === '\\') {
        let escape = ESCAPES[code];
        if (escape === undefined) {
          if (code <= 0xff) escape = `x${code.toString(16).toUpperCase().padStart(2, '0')}`;
          else if (code <= 0xffff) escape = `u${code.toString(16).toUpperCase().padStart(4, '0')}`;
          else escape = `U${code.toString(16).toUpperCase().padStart(8, '0')}`;
        }
        this.put('\\');
        for (const c of escape) this.put(c);
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i !== 0 && i !== chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    }
    this.writeIndicator('"', false);
    this.whitespace = false;
    this.indention = false;
  }
}

export function yamlDump(value: unknown, options: YamlDumpOptions = {}): string {
  const node = represent(value, { sortKeys: options.sortKeys ?? true, defaultFlowStyle: options.defaultFlowStyle ?? null });
  return new Emitter(options).dump(node);
}
