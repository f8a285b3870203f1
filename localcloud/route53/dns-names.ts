// DNS names the way Route 53 stores and orders them: lower case, absolute (trailing dot),
// '*' written as \052, sorted by labels from the right (com.example.www).
export function normalizeName(name: string): string {
  let normalized = name.trim().toLowerCase();
  if (!normalized.endsWith('.')) normalized += '.';
  return normalized.replace(/\*/g, '\\052');
}

export function isValidDomainName(name: string): boolean {
  const labels = normalizeName(name).slice(0, -1).split('.');
  return (
    labels.length >= 1 &&
    labels.every((label) => label.length > 0 && label.length <= 63) &&
    normalizeName(name).length <= 255
  );
}

export function isWithinZone(name: string, zoneName: string): boolean {
  return name === zoneName || name.endsWith(`.${zoneName}`);
}

function reversedLabels(name: string): string {
  return name.slice(0, -1).split('.').reverse().join('.');
}

export function compareNames(a: string, b: string): number {
  const left = reversedLabels(a);
  const right = reversedLabels(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
