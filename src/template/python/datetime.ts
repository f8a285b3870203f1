// time.strftime / datetime.strptime for the formats playbooks use (C locale, as Ansible runs).
import { pyValueError } from '../runtime/errors.js';
import { PyDatetime } from '../runtime/types.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function pad(n: number, width = 2, fill = '0'): string {
  return String(n).padStart(width, fill);
}

/** Broken-down time for strftime: a PyDatetime (naive) or a Date in local time/UTC. */
export interface TimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  /** Offset east of UTC in minutes, when known. */
  utcOffset?: number;
  zoneName?: string;
}

export function fieldsOfDate(date: Date, utc: boolean): TimeFields {
  const d = PyDatetime.fromDate(date, utc).fields;
  const offset = utc ? 0 : -date.getTimezoneOffset();
  const zoneName = utc
    ? 'UTC'
    : (new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? '');
  return { ...d, utcOffset: offset, zoneName: zoneName === 'GMT' && offset === 0 ? 'UTC' : zoneName };
}

function dayOfYear(f: TimeFields): number {
  return Math.floor((Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000) + 1;
}

function weekday(f: TimeFields): number {
  return new Date(Date.UTC(f.year, f.month - 1, f.day)).getUTCDay();
}

export function strftime(value: PyDatetime | TimeFields, format: string): string {
  const f: TimeFields = value instanceof PyDatetime ? value.fields : value;
  const wd = weekday(f);
  const yday = dayOfYear(f);
  return format.replace(/%([-_0^#]?)([a-zA-Z%])/g, (match, flag: string, code: string) => {
    const num = (n: number, width: number) => (flag === '-' ? String(n) : flag === '_' ? pad(n, width, ' ') : pad(n, width));
    switch (code) {
      case 'a':
        return DAYS[wd]!.slice(0, 3);
      case 'A':
        return DAYS[wd]!;
      case 'b':
      case 'h':
        return MONTHS[f.month - 1]!.slice(0, 3);
      case 'B':
        return MONTHS[f.month - 1]!;
      case 'c':
        return `${DAYS[wd]!.slice(0, 3)} ${MONTHS[f.month - 1]!.slice(0, 3)} ${pad(f.day, 2, ' ')} ${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)} ${f.year}`;
      case 'd':
        return num(f.day, 2);
      case 'e':
        return pad(f.day, 2, ' ');
      case 'f':
        return pad(f.microsecond, 6);
      case 'H':
        return num(f.hour, 2);
      case 'I':
        return num(f.hour % 12 || 12, 2);
      case 'j':
        return num(yday, 3);
      case 'm':
        return num(f.month, 2);
      case 'M':
        return num(f.minute, 2);
      case 'p':
        return f.hour < 12 ? 'AM' : 'PM';
      case 'S':
        return num(f.second, 2);
      case 's':
        return String(Math.floor(new Date(f.year, f.month - 1, f.day, f.hour, f.minute, f.second).getTime() / 1000));
      case 'u':
        return String(wd === 0 ? 7 : wd);
      case 'w':
        return String(wd);
      case 'U':
        return num(Math.floor((yday + 6 - wd) / 7), 2);
      case 'W':
        return num(Math.floor((yday + 6 - ((wd + 6) % 7)) / 7), 2);
      case 'x':
        return `${pad(f.month)}/${pad(f.day)}/${pad(f.year % 100)}`;
      case 'X':
      case 'T':
        return `${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
      case 'D':
        return `${pad(f.month)}/${pad(f.day)}/${pad(f.year % 100)}`;
      case 'F':
        return `${f.year}-${pad(f.month)}-${pad(f.day)}`;
      case 'R':
        return `${pad(f.hour)}:${pad(f.minute)}`;
      case 'y':
        return num(f.year % 100, 2);
      case 'Y':
        return String(f.year);
      case 'C':
        return num(Math.floor(f.year / 100), 2);
      case 'G':
        return String(f.year);
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'z': {
        if (f.utcOffset === undefined) return '';
        const o = f.utcOffset;
        return `${o < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(o) / 60))}${pad(Math.abs(o) % 60)}`;
      }
      case 'Z':
        return f.zoneName ?? '';
      case '%':
        return '%';
      default:
        return match;
    }
  });
}

/** datetime.strptime for the common directives. */
export function strptime(text: string, format: string): PyDatetime {
  const fields = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0 };
  let pm: boolean | undefined;
  let pattern = '^';
  const setters: ((v: string) => void)[] = [];
  const num = (digits: string, set: (n: number) => void) => {
    pattern += `(\\d{${digits}})`;
    setters.push((v) => set(Number(v)));
  };
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      pattern += /\s/.test(ch) ? '\\s+' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const code = format[++i];
    switch (code) {
      case 'Y':
        num('4', (n) => (fields.year = n));
        break;
      case 'y':
        num('1,2', (n) => (fields.year = n < 69 ? 2000 + n : 1900 + n));
        break;
      case 'm':
        num('1,2', (n) => (fields.month = n));
        break;
      case 'd':
        num('1,2', (n) => (fields.day = n));
        break;
      case 'H':
        num('1,2', (n) => (fields.hour = n));
        break;
      case 'I':
        num('1,2', (n) => (fields.hour = n % 12));
        break;
      case 'M':
        num('1,2', (n) => (fields.minute = n));
        break;
      case 'S':
        num('1,2', (n) => (fields.second = n));
        break;
      case 'f':
        pattern += '(\\d{1,6})';
        setters.push((v) => (fields.microsecond = Number(v.padEnd(6, '0'))));
        break;
      case 'j':
        num('1,3', (n) => {
          const d = new Date(Date.UTC(fields.year, 0, n));
          fields.month = d.getUTCMonth() + 1;
          fields.day = d.getUTCDate();
        });
        break;
      case 'p':
        pattern += '(AM|PM|am|pm)';
        setters.push((v) => (pm = v.toUpperCase() === 'PM'));
        break;
      case 'b':
      case 'B':
        pattern += '([A-Za-z]+)';
        setters.push((v) => {
          const idx = MONTHS.findIndex((m) => m.toLowerCase().startsWith(v.toLowerCase().slice(0, 3)));
          if (idx < 0) throw pyValueError(`time data '${text}' does not match format '${format}'`);
          fields.month = idx + 1;
        });
        break;
      case 'a':
      case 'A':
        pattern += '[A-Za-z]+';
        break;
      case 'z':
        pattern += '(?:[+-]\\d{2}:?\\d{2}|Z)';
        break;
      case 'Z':
        pattern += '[A-Za-z]*';
        break;
      case '%':
        pattern += '%';
        break;
      default:
        throw pyValueError(`'${code}' is a bad directive in format '%${code}'`);
    }
  }
  const m = new RegExp(`${pattern}$`).exec(text);
  if (!m) throw pyValueError(`time data '${text}' does not match format '${format}'`);
  setters.forEach((set, i) => set(m[i + 1]!));
  if (pm !== undefined && pm) fields.hour += 12;
  return new PyDatetime(fields);
}
