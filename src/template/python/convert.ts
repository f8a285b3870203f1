// Python's int(str, base) and float(str) parsing rules.

/** int(text, base); undefined where Python raises ValueError. */
export function pyIntFromString(text: string, base = 10): number | undefined {
  let t = text.trim().replace(/_(?=[0-9a-zA-Z])/g, '');
  let sign = 1;
  if (t.startsWith('-') || t.startsWith('+')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  let b = base;
  const prefix = /^0([xob])/i.exec(t);
  if (b === 0) {
    if (prefix) b = { x: 16, o: 8, b: 2 }[prefix[1]!.toLowerCase() as 'x' | 'o' | 'b'];
    else if (/^0+$/.test(t)) return 0;
    else if (/^0/.test(t)) return undefined;
    else b = 10;
  }
  if (prefix && { x: 16, o: 8, b: 2 }[prefix[1]!.toLowerCase() as 'x' | 'o' | 'b'] === b) t = t.slice(2);
  if (!t) return undefined;
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
  if (![...t.toLowerCase()].every((c) => digits.includes(c))) return undefined;
  const n = parseInt(t, b);
  return Number.isNaN(n) ? undefined : sign * n;
}

/** float(text); undefined where Python raises ValueError. */
export function pyFloatFromString(text: string): number | undefined {
  const t = text.trim().replace(/_(?=\d)/g, '').toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}
