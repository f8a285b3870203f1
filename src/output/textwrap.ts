// Line wrapping like Python's textwrap.wrap (Ansible wraps warnings and errors with it):
// words break at whitespace and after hyphens; words longer than the width are cut.
const CHUNK = /(\s+|[^\s\w]*\w+[^0-9\W]-(?=\w+[^0-9\W])|\S+?(?=\s|$|\S-(?=\w)))/g;

function chunks(text: string): string[] {
  const expanded = text.replace(/\t/g, '        ').replace(/[\n\r\f\v]/g, ' ');
  return expanded.split(CHUNK).filter((c) => c !== '');
}

export function wrap(text: string, width: number): string[] {
  const pieces = chunks(text).reverse();
  const lines: string[] = [];
  while (pieces.length > 0) {
    const line: string[] = [];
    let length = 0;
    // Drop leading whitespace on every line but the first.
    if (lines.length > 0 && pieces[pieces.length - 1]!.trim() === '') pieces.pop();
    while (pieces.length > 0) {
      const piece = pieces[pieces.length - 1]!;
      if (length + piece.length <= width) {
        line.push(pieces.pop()!);
        length += piece.length;
      } else break;
    }
    if (pieces.length > 0 && pieces[pieces.length - 1]!.length > width) {
      // A single chunk longer than the line: cut it.
      const piece = pieces.pop()!;
      const room = Math.max(1, width - length);
      line.push(piece.slice(0, room));
      pieces.push(piece.slice(room));
    }
    while (line.length > 0 && line[line.length - 1]!.trim() === '') line.pop();
    if (line.length > 0) lines.push(line.join(''));
    else if (pieces.length === 0) break;
  }
  return lines;
}
