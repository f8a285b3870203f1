// The wire format between the controller and a remote worker shell.
//
// A worker is a plain POSIX sh reading shell text from its standard input (one SSH
// session channel). For each command the controller writes a small script that
// prints a start record on stdout and stderr, starts the command in the background
// (its stdin redirected, so it can never eat the next request), prints the command's
// PID (for timeouts), waits for it and prints an end record carrying the exit code.
//
// Records are "\x1e<tag> <kind> <id>[ <value>]\n", written by single printf calls
// (atomic on a pipe), so they can be cut out of the byte stream wherever they land.
// The tag is random per worker and only ever travels on the worker's stdin: it is in
// no process's argv or environment, so no command can print it by accident. Output
// is raw bytes (binary safe). Command stdin that is UTF-8 text without NUL travels as
// printf's single-quoted argument (no extra process); anything else travels
// base64-encoded in a here-document, since a shell script cannot carry NUL bytes.

import { isUtf8 } from 'node:buffer';
import { shellQuote } from '../shell-quote.js';

export const RECORD_START = 0x1e;

export type RecordKind = 'S' | 'P' | 'E';

export interface FramedCommand {
  /** Shell text run in a subshell of the worker (everything in it already quoted). */
  body: string;
  /** Bytes for the command's standard input. */
  stdin?: Buffer | undefined;
}

const BASE64_LINE = 16384;

/** Bytes a script can carry as they are: valid UTF-8 (the script is written as UTF-8), no NUL. */
function isPlainText(bytes: Buffer): boolean {
  return !bytes.includes(0) && isUtf8(bytes);
}

/** The script that runs one command on a worker. */
export function frameCommand(tag: string, id: number, command: FramedCommand): string {
  const record = (kind: RecordKind, extra = '') => `\\036${tag} ${kind} ${id}${extra}\\n`;
  // The body becomes a function first: a here-document's text starts on the line after
  // the one holding `<<`, so the line that starts the command must not span lines.
  const lines = [`tsplay_command() {\n${command.body}\n}`, `printf '${record('S')}'; printf '${record('S')}' >&2`];
  if (command.stdin === undefined || command.stdin.length === 0) {
    lines.push('tsplay_command </dev/null &');
  } else if (isPlainText(command.stdin)) {
    // printf is a builtin: the pipe's writer is a fork of the worker, not a new program.
    lines.push(`printf '%s' ${shellQuote(command.stdin.toString('utf8'))} | tsplay_command &`);
  } else {
    const delimiter = `TSPLAY_EOF_${tag}`;
    lines.push(`base64 -d <<'${delimiter}' 2>/dev/null | tsplay_command &`);
    const encoded = command.stdin.toString('base64');
    for (let i = 0; i < encoded.length; i += BASE64_LINE) lines.push(encoded.slice(i, i + BASE64_LINE));
    lines.push(delimiter);
  }
  lines.push(
    `printf '${record('P', ' %s')}' "$!"`,
    'wait "$!"',
    `printf '${record('E', ' %s')}' "$?"; printf '${record('E')}' >&2`,
  );
  return `${lines.join('\n')}\n`;
}

export interface FrameRecord {
  kind: RecordKind;
  id: number;
  value: string | undefined;
}

/**
 * Splits one output stream of a worker into records and the bytes between them.
 * Bytes that may be the beginning of a record split across chunks are held back
 * until the next chunk decides.
 */
export class RecordSplitter {
  private readonly marker: Buffer;
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    tag: string,
    private readonly onBytes: (bytes: Buffer) => void,
    private readonly onRecord: (record: FrameRecord) => void,
  ) {
    this.marker = Buffer.from(`\x1e${tag} `, 'latin1');
  }

  push(chunk: Buffer): void {
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = Buffer.alloc(0);
    for (;;) {
      const at = buffer.indexOf(this.marker);
      if (at < 0) {
        const keep = this.partialMarkerLength(buffer);
        this.emit(buffer.subarray(0, buffer.length - keep));
        if (keep > 0) this.pending = Buffer.from(buffer.subarray(buffer.length - keep));
        return;
      }
      const end = buffer.indexOf(0x0a, at + this.marker.length);
      if (end < 0) {
        this.emit(buffer.subarray(0, at));
        this.pending = Buffer.from(buffer.subarray(at));
        return;
      }
      this.emit(buffer.subarray(0, at));
      const [kind, id, value] = buffer.subarray(at + this.marker.length, end).toString('latin1').split(' ');
      if ((kind === 'S' || kind === 'P' || kind === 'E') && id !== undefined) {
        this.onRecord({ kind, id: Number(id), value });
      }
      buffer = buffer.subarray(end + 1);
    }
  }

  private emit(bytes: Buffer): void {
    if (bytes.length > 0) this.onBytes(bytes);
  }

  /** Length of the longest suffix of `buffer` that is a proper prefix of the marker. */
  private partialMarkerLength(buffer: Buffer): number {
    const max = Math.min(this.marker.length - 1, buffer.length);
    for (let n = max; n > 0; n--) {
      if (buffer[buffer.length - n] !== RECORD_START) continue;
      if (buffer.subarray(buffer.length - n).equals(this.marker.subarray(0, n))) return n;
    }
    return 0;
  }
}
