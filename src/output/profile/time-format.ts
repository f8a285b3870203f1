// The text shapes of the profile_tasks and timer callbacks: the per-task timestamp line,
// `h:mm:ss.mmm` durations, and lines filled with a character to a width.

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local time as C-locale strftime('%A %d %B %Y  %H:%M:%S %z'). */
export function formatTimestamp(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  return (
    `${DAYS[date.getDay()]} ${pad(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()}  ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${zone}`
  );
}

/** Seconds as `h:mm:ss.mmm`, every part truncated. */
export function formatDuration(seconds: number): string {
  const totalMs = Math.max(0, seconds * 1000);
  const ms = Math.floor(totalMs % 1000);
  const totalSeconds = Math.floor(totalMs / 1000);
  const s = totalSeconds % 60;
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}:${pad(totalMinutes % 60)}:${pad(s)}.${pad(ms, 3)}`;
}

/** `msg ` followed by fill characters to 79 columns (at least three), and one space. */
export function filled(message: string, fill = '*'): string {
  const text = message.length === 0 ? '' : `${message} `;
  const width = Math.max(3, 79 - codePoints(text));
  return `${text}${fill.repeat(width)} `;
}

/** Python's len(): code points, not UTF-16 units. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `0 days, 0 hours, 1 minutes, 5 seconds` of a run that took `ms` (seconds truncated). */
export function daysHoursMinutesSeconds(ms: number): [number, number, number, number] {
  const totalSeconds = Math.floor(Math.max(0, ms) / 1000);
  const days = Math.floor(totalSeconds / 86400);
  const rest = totalSeconds % 86400;
  return [days, Math.floor(rest / 3600), Math.floor(rest / 60) % 60, rest % 60];
}
