// Python string formatting: printf-style `%`, str.format() and the format-spec mini-language.
import { pyTypeError, pyValueError, pyKeyError, pyIndexError } from '../runtime/errors.js';
import { isFloatValue, numberOf, isMappingLike, mappingGet, mappingHas } from '../runtime/ops.js';
import { pyRepr, pyStr, pyTypeName } from '../runtime/repr.js';
import { PyTuple } from '../runtime/types.js';
import { pyFloatRepr, pyFormatExp, pyFormatFixed, pyFormatGeneral } from './number.js';

function pad(text: string, width: number, left: boolean, zero: boolean): string {
  if (text.length >= width) return text;
  if (left) return text + ' '.repeat(width - text.length);
  if (zero) {
    const sign = /^[+\- ]/.test(text) ? text[0]! : '';
    const rest = sign ? text.slice(1) : text;
    const prefix = /^0[xXob]/.test(rest) ? rest.slice(0, 2) : '';
    return sign + prefix + '0'.repeat(width - text.length) + rest.slice(prefix.length);
  }
  return ' '.repeat(width - text.length) + text;
}

function requireNumber(value: unknown, conv: string): number {
  const n = numberOf(value);
  if (n === undefined) {
    if (typeof value === 'string' && /^[diouxXc]$/.test(conv)) throw pyTypeError(`%${conv} format: a real number is required, not str`);
    throw pyTypeError(`must be real number, not ${pyTypeName(value)}`);
  }
  return n;
}

function intText(n: number, conv: string, alternate: boolean): string {
  const i = Math.trunc(n);
  const abs = Math.abs(i);
  let body: string;
  switch (conv) {
    case 'o':
      body = (alternate ? '0o' : '') + abs.toString(8);
      break;
    case 'x':
      body = (alternate ? '0x' : '') + abs.toString(16);
      break;
    case 'X':
      body = (alternate ? '0X' : '') + abs.toString(16).toUpperCase();
      break;
    default:
      body = abs < 1e21 ? String(abs) : BigInt(abs).toString();
  }
  return i < 0 ? `-${body}` : body;
}

/** Python `format % args`. */
export function percentFormat(format: string, args: unknown): string {
  const positional: unknown[] = args instanceof PyTuple ? [...args] : [args];
  const mapping = isMappingLike(args) ? args : undefined;
  let index = 0;
  let usedMapping = false;
  const next = (): unknown => {
    if (index >= positional.length) throw pyTypeError('not enough arguments for format string');
    return positional[index++];
  };
  const pattern = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(format))) {
    out += format.slice(last, m.index);
    last = pattern.lastIndex;
    const [, key, flags = '', widthSpec, precisionSpec, conv = 's'] = m;
    if (conv === '%' && key === undefined && !flags && !widthSpec && precisionSpec === undefined) {
      out += '%';
      continue;
    }
    let value: unknown;
    const width = widthSpec === '*' ? Number(numberOf(next())) : widthSpec ? Number(widthSpec) : 0;
    const precision = precisionSpec === '*' ? Number(numberOf(next())) : precisionSpec !== undefined ? Number(precisionSpec) : undefined;
    if (key !== undefined) {
      if (!mapping) throw pyTypeError('format requires a mapping');
      usedMapping = true;
      if (!mappingHas(mapping, key)) throw pyKeyError(pyRepr(key));
      value = mappingGet(mapping, key);
    } else value = conv === '%' ? '%' : next();
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left;
    const alternate = flags.includes('#');
    const sign = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    let text: string;
    switch (conv) {
      case 's':
        text = pyStr(value);
        if (precision !== undefined) text = text.slice(0, precision);
        out += pad(text, width, left, false);
        continue;
      case 'r':
      case 'a':
        text = pyRepr(value);
        if (precision !== undefined) text = text.slice(0, precision);
        out += pad(text, width, left, false);
        continue;
      case 'c':
        text = typeof value === 'string' ? value : String.fromCodePoint(requireNumber(value, conv));
        out += pad(text, width, left, false);
        continue;
      case '%':
        out += pad('%', width, left, false);
        continue;
      default:
        break;
    }
    const n = requireNumber(value, conv);
    if ('diuoxX'.includes(conv)) {
      text = intText(n, conv === 'i' || conv === 'u' ? 'd' : conv, alternate);
      if (precision !== undefined) {
        const neg = text.startsWith('-');
        const digits = neg ? text.slice(1) : text;
        text = (neg ? '-' : '') + digits.padStart(precision, '0');
      }
    } else if (conv === 'f' || conv === 'F') text = pyFormatFixed(n, precision ?? 6);
    else if (conv === 'e' || conv === 'E') text = pyFormatExp(n, precision ?? 6, conv === 'E');
    else text = pyFormatGeneral(n, precision ?? 6, alternate, conv === 'G');
    if (sign && !text.startsWith('-')) text = sign + text;
    out += pad(text, width, left, zero);
  }
  out += format.slice(last);
  if (!usedMapping && !mapping && index < positional.length) {
    throw pyTypeError('not all arguments converted during string formatting');
  }
  return out;
}

interface FormatSpec {
  fill: string;
  align: string;
  sign: string;
  alternate: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | undefined;
  type: string;
}

function parseSpec(spec: string): FormatSpec {
  const m = /^(?:([\s\S])?([<>=^]))?([+\- ])?(z)?(#)?(0)?(\d+)?([_,])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m) throw pyValueError('Invalid format specifier');
  return {
    fill: m[1] ?? (m[6] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[6] ? '=' : ''),
    sign: m[3] ?? '-',
    alternate: Boolean(m[5]),
    zero: Boolean(m[6]),
    width: m[7] ? Number(m[7]) : 0,
    grouping: m[8] ?? '',
    precision: m[9] !== undefined ? Number(m[9]) : undefined,
    type: m[10] ?? '',
  };
}

function group(intPart: string, sep: string): string {
  if (!sep) return intPart;
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

function align(text: string, spec: FormatSpec, defaultAlign: string): string {
  const width = spec.width;
  if (text.length >= width) return text;
  const fill = spec.fill;
  const n = width - text.length;
  switch (spec.align || defaultAlign) {
    case '<':
      return text + fill.repeat(n);
    case '^':
      return fill.repeat(Math.floor(n / 2)) + text + fill.repeat(Math.ceil(n / 2));
    case '=': {
      const signLen = /^[+\- ]/.test(text) ? 1 : 0;
      return text.slice(0, signLen) + fill.repeat(n) + text.slice(signLen);
    }
    default:
      return fill.repeat(n) + text;
  }
}

/** Python format(value, spec). */
export function formatValue(value: unknown, specText: string): string {
  if (!specText) return pyStr(value);
  const spec = parseSpec(specText);
  const n = numberOf(value);
  if (typeof value === 'string' || n === undefined) {
    if (spec.type && spec.type !== 's') throw pyValueError(`Unknown format code '${spec.type}' for object of type '${pyTypeName(value)}'`);
    let text = pyStr(value);
    if (spec.precision !== undefined) text = text.slice(0, spec.precision);
    return align(text, spec, '<');
  }
  const float = isFloatValue(value);
  let type = spec.type;
  if (!type) type = float ? '' : 'd';
  let body: string;
  const abs = Math.abs(n);
  switch (type) {
    case 'd':
    case 'n':
      if (float) throw pyValueError(`Unknown format code 'd' for object of type 'float'`);
      body = group(String(abs), spec.grouping);
      break;
    case 'b':
      body = (spec.alternate ? '0b' : '') + abs.toString(2);
      break;
    case 'o':
      body = (spec.alternate ? '0o' : '') + abs.toString(8);
      break;
    case 'x':
      body = (spec.alternate ? '0x' : '') + abs.toString(16);
      break;
    case 'X':
      body = (spec.alternate ? '0X' : '') + abs.toString(16).toUpperCase();
      break;
    case 'c':
      return align(String.fromCodePoint(n), spec, '<');
    case 'e':
    case 'E':
      body = pyFormatExp(abs, spec.precision ?? 6, type === 'E');
      break;
    case 'f':
    case 'F': {
      body = pyFormatFixed(abs, spec.precision ?? 6);
      const [i, f] = body.split('.');
      body = group(i!, spec.grouping) + (f !== undefined ? `.${f}` : spec.alternate ? '.' : '');
      break;
    }
    case 'g':
    case 'G':
      body = pyFormatGeneral(abs, spec.precision ?? 6, spec.alternate, type === 'G');
      break;
    case '%':
      body = `${pyFormatFixed(abs * 100, spec.precision ?? 6)}%`;
      break;
    default: {
      // No type on a float: repr-like, or general format with at least one decimal.
      body = spec.precision === undefined ? pyFloatRepr(abs) : pyFormatGeneral(abs, spec.precision);
      const [i, f] = body.split('.');
      body = group(i!, spec.grouping) + (f !== undefined ? `.${f}` : '');
    }
  }
  const negative = n < 0 || Object.is(n, -0);
  const sign = negative ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  return align(sign + body, spec, '>');
}

function fieldValue(field: string, args: unknown[], kwargs: Record<string, unknown>, auto: { next: number }): unknown {
  const m = /^([^.[]*)(.*)$/.exec(field)!;
  const head = m[1]!;
  let value: unknown;
  if (head === '') {
    if (auto.next < 0) throw pyValueError('cannot switch from manual field specification to automatic field numbering');
    const i = auto.next++;
    if (i >= args.length) throw pyIndexError(`Replacement index ${i} out of range for positional args tuple`);
    value = args[i];
  } else if (/^\d+$/.test(head)) {
    if (auto.next > 0) throw pyValueError('cannot switch from automatic field numbering to manual field specification');
    auto.next = -1;
    const i = Number(head);
    if (i >= args.length) throw pyIndexError(`Replacement index ${i} out of range for positional args tuple`);
    value = args[i];
  } else {
    if (!Object.hasOwn(kwargs, head)) throw pyKeyError(pyRepr(head));
    value = kwargs[head];
  }
  const rest = /\.([^.[]+)|\[([^\]]+)\]/g;
  let part: RegExpExecArray | null;
  while ((part = rest.exec(m[2]!))) {
    const key = part[1] ?? part[2]!;
    if (Array.isArray(value) && /^\d+$/.test(key)) value = value[Number(key)];
    else if (isMappingLike(value)) value = mappingGet(value, key);
    else throw pyTypeError(`'${pyTypeName(value)}' object is not subscriptable`);
  }
  return value;
}

/** Python str.format(*args, **kwargs). */
export function strFormat(format: string, args: unknown[], kwargs: Record<string, unknown>): string {
  const auto = { next: 0 };
  let out = '';
  let i = 0;
  while (i < format.length) {
    const ch = format[i]!;
    if (ch === '{') {
      if (format[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      let depth = 1;
      let j = i + 1;
      while (j < format.length && depth > 0) {
        if (format[j] === '{') depth++;
        else if (format[j] === '}') depth--;
        j++;
      }
      if (depth > 0) throw pyValueError("Single '{' encountered in format string");
      const inner = format.slice(i + 1, j - 1);
      const m = /^([^!:]*)(?:!([rsa]))?(?::([\s\S]*))?$/.exec(inner)!;
      let value = fieldValue(m[1]!, args, kwargs, auto);
      if (m[2] === 'r' || m[2] === 'a') value = pyRepr(value);
      else if (m[2] === 's') value = pyStr(value);
      const spec = (m[3] ?? '').replace(/\{([^}]*)\}/g, (_, f: string) => pyStr(fieldValue(f, args, kwargs, auto)));
      out += formatValue(value, spec);
      i = j;
    } else if (ch === '}') {
      if (format[i + 1] !== '}') throw pyValueError("Single '}' encountered in format string");
      out += '}';
      i += 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
