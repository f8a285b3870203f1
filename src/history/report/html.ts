// Escaping for text and attribute values in the generated HTML and SVG.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/** A number for SVG coordinates: two decimals at most. */
export function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}
