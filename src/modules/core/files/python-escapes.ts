// codecs.escape_decode: backslash escapes in a string made into the bytes they stand for
// (assemble's delimiter). Each returned character is one byte.
const SIMPLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };

export function decodePythonEscapes(text: string): string {
  const bytes = Buffer.from(text, 'utf8').toString('latin1');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i]!;
    if (ch !== '\\' || i + 1 >= bytes.length) {
      out += ch;
      continue;
    }
    const next = bytes[i + 1]!;
    const octal = /^[0-7]{1,3}/.exec(bytes.slice(i + 1));
    const hex = /^x([0-9a-fA-F]{2})/.exec(bytes.slice(i + 1));
    if (next in SIMPLE) {
      out += SIMPLE[next];
      i++;
    } else if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
      i += octal[0].length;
    } else if (hex) {
      out += String.fromCharCode(parseInt(hex[1]!, 16));
      i += 3;
    } else out += ch;
  }
  return out;
}
