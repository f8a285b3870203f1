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
