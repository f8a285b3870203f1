// How Python prints what Ansible's messages show verbatim: repr() of bytes, and str() of an
// OSError (`[Errno 2] No such file or directory: 'path'`), from a Node error code or an errno
// number a remote shell reported.
import { pyStrRepr } from '../runtime/repr.js';

const ERRNO: Record<string, [number, string]> = {
  EPERM: [1, 'Operation not permitted'],
  ENOENT: [2, 'No such file or directory'],
  EIO: [5, 'Input/output error'],
  ENOEXEC: [8, 'Exec format error'],
  EACCES: [13, 'Permission denied'],
  EEXIST: [17, 'File exists'],
  ENOTDIR: [20, 'Not a directory'],
  EISDIR: [21, 'Is a directory'],
  EINVAL: [22, 'Invalid argument'],
  ENOSPC: [28, 'No space left on device'],
  EROFS: [30, 'Read-only file system'],
  ENAMETOOLONG: [36, 'File name too long'],
  ELOOP: [40, 'Too many levels of symbolic links'],
};
const STRERROR = new Map(Object.values(ERRNO));

/** repr() of bytes: b'...' with non-printable and non-ASCII bytes as \xNN escapes. */
export function pyBytesRepr(data: Buffer): string {
  const quote = data.includes(0x27) && !data.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const byte of data) {
    const ch = String.fromCharCode(byte);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (byte < 0x20 || byte >= 0x7f) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/**
 * str() of an OSError with errno `errno` on `path`: the path as Python held it, a str (the
 * controller's calls) or bytes (modules that encode paths before the call).
 */
export function osErrorText(errno: number, path?: string, pathType: 'str' | 'bytes' = 'str'): string {
  const text = `[Errno ${errno}] ${STRERROR.get(errno) ?? 'Error'}`;
  if (path === undefined) return text;
  return `${text}: ${pathType === 'bytes' ? pyBytesRepr(Buffer.from(path, 'utf8')) : pyStrRepr(path)}`;
}

/** str() of the OSError Python raises where Node failed with `err` (its message when unknown). */
export function pyOsError(err: unknown, path?: string): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const known = code ? ERRNO[code] : undefined;
  if (!known) return err instanceof Error ? err.message : String(err);
  return osErrorText(known[0], path);
}
