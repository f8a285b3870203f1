// access_time/modification_time of the file module: 'now', 'preserve', or a time in a
// strptime format (default %Y%m%d%H%M.%S), read in the target's local time as
// time.mktime does (the controller's zone is assumed to match).
import { ModuleFailure } from '../../module.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const DIRECTIVES: Record<string, string> = {
  Y: '(\\d{4})',
  y: '(\\d{2})',
  m: '(\\d{1,2})',
  d: '(\\d{1,2})',
  H: '(\\d{1,2})',
  I: '(\\d{1,2})',
  M: '(\\d{1,2})',
  S: '(\\d{1,2})',
  j: '(\\d{1,3})',
  b: '([A-Za-z]{3})',
  h: '([A-Za-z]{3})',
  B: '([A-Za-z]+)',
  p: '(AM|PM|am|pm)',
  f: '(\\d{1,6})',
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}

/** time.mktime(time.strptime(text, format)): seconds since the epoch. */
export function strptimeEpoch(text: string, format: string): number {
  let pattern = '';
  const order: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      pattern += escape(ch);
      continue;
    }
    const directive = format[++i];
    if (directive === '%') pattern += '%';
    else if (directive && DIRECTIVES[directive]) {
      pattern += DIRECTIVES[directive];
      order.push(directive);
    } else throw new RangeError(`'${directive ?? ''}' is a bad directive in format '${format}'`);
  }
  const m = new RegExp(`^${pattern}$`).exec(text);
  if (!m) throw new RangeError(`time data '${text}' does not match format '${format}'`);
  const fields = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, pm: undefined as boolean | undefined };
  order.forEach((directive, index) => {
    const value = m[index + 1]!;
    const n = Number(value);
    if (directive === 'Y') fields.year = n;
    else if (directive === 'y') fields.year = n < 69 ? 2000 + n : 1900 + n;
    else if (directive === 'm') fields.month = n;
    else if (directive === 'd') fields.day = n;
    else if (directive === 'H' || directive === 'I') fields.hour = n;
    else if (directive === 'M') fields.minute = n;
    else if (directive === 'S') fields.second = n;
    else if (directive === 'b' || directive === 'h' || directive === 'B') {
      const month = MONTHS.indexOf(value.slice(0, 3).toLowerCase());
      if (month === -1) throw new RangeError(`time data '${text}' does not match format '${format}'`);
      fields.month = month + 1;
    } else if (directive === 'p') fields.pm = value.toLowerCase() === 'pm';
  });
  if (fields.pm !== undefined) fields.hour = (fields.hour % 12) + (fields.pm ? 12 : 0);
  if (fields.month < 1 || fields.month > 12 || fields.day < 1 || fields.day > 31 || fields.hour > 23 || fields.minute > 59 || fields.second > 61) {
    throw new RangeError(`time data '${text}' does not match format '${format}'`);
  }
  return new Date(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second).getTime() / 1000;
}

/** undefined for 'preserve', 'now', or the epoch seconds the text names. */
export function timestampFor(value: string | undefined, format: string): number | 'now' | undefined {
  if (value === undefined || value === 'preserve') return undefined;
  if (value === 'now') return 'now';
  try {
    return strptimeEpoch(value, format);
  } catch (error) {
    throw new ModuleFailure(`Error while obtaining timestamp for time ${value} using format ${format}: ${(error as Error).message}`);
  }
}
