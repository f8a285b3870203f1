// Python's repr() of a float: shortest round-trip digits like JS, but Python switches to
// exponent notation at other thresholds and always writes two exponent digits.
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  const decpt = Number(exp) + 1;
  if (decpt <= -4 || decpt > 16) {
    const e = Number(exp);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const fixed = decpt > 0 && Number.isInteger(n) ? BigInt(n).toString() : n.toString();
  return /[.e]/.test(fixed) ? fixed : `${fixed}.0`;
}

/** Rounds the exact binary value of |x| to `digits` decimals, ties to even (as Python does). */
function fixedDigits(x: number, digits: number): string {
  const s = x.toFixed(digits);
  // toFixed rounds exact ties away from zero; Python rounds them to even.
  if (digits > 80) return s;
  const exact = x.toFixed(Math.min(100, digits + 25));
  const tail = exact.slice(exact.length - 25);
  if (tail[0] !== '5' || /[1-9]/.test(tail.slice(1))) return s;
  const down = exact.slice(0, exact.length - 25).replace(/\.$/, '');
  const lastDigit = Number(down[down.length - 1]);
  return lastDigit % 2 === 0 ? down : s;
}

/** Python '%.{p}f' / format(x, '.{p}f'). */
export function pyFormatFixed(x: number, precision: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const body = fixedDigits(Math.abs(x), precision);
  return neg ? `-${body}` : body;
}

/** Python '%.{p}e'. */
export function pyFormatExp(x: number, precision: number, upper = false): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const [mantissa, exp] = x.toExponential(precision).split('e') as [string, string];
  const e = Number(exp);
  const out = `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return upper ? out.toUpperCase() : out;
}

/** Python '%.{p}g' (alternate keeps trailing zeros). */
export function pyFormatGeneral(x: number, precision: number, alternate = false, upper = false): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return alternate ? `${Object.is(x, -0) ? '-' : ''}0.${'0'.repeat(p - 1)}` : Object.is(x, -0) ? '-0' : '0';
  const exp = Number(x.toExponential(p - 1).split('e')[1]);
  let out: string;
  if (exp < -4 || exp >= p) {
    out = pyFormatExp(x, p - 1);
    if (!alternate) out = out.replace(/\.?0+e/, 'e');
  } else {
    out = pyFormatFixed(x, Math.max(0, p - 1 - exp));
    if (!alternate && out.includes('.')) out = out.replace(/\.?0+$/, '');
  }
  return upper ? out.toUpperCase() : out;
}

/** Python round(x, ndigits): correctly rounded, ties to even. */
export function pyRound(x: number, ndigits = 0): number {
  if (!Number.isFinite(x)) return x;
  if (ndigits >= 0) return Number(pyFormatFixed(x, ndigits));
  const factor = 10 ** -ndigits;
  const q = x / factor;
  const r = Math.round(q);
  const tie = Math.abs(q - Math.trunc(q)) === 0.5;
  return (tie && r % 2 !== 0 ? r - 1 : r) * factor;
}
