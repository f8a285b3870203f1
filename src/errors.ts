// Errors a user can cause. They are printed as Ansible prints its AnsibleError:
// "ERROR! <message>" followed, when the source is known, by the file position and the
// offending line with a caret. Anything that is not a TsplayError is a bug (exit 250).
import { readFileSync } from 'node:fs';

export interface SourcePosition {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export const EXIT = {
  OK: 0,
  ERROR: 1,
  HOST_FAILED: 2,
  HOST_UNREACHABLE: 4,
  BAD_OPTIONS: 5,
  INTERRUPTED: 99,
  UNEXPECTED: 250,
} as const;

export interface TsplayErrorOptions {
  pos?: SourcePosition | undefined;
  exitCode?: number;
  cause?: unknown;
}

export class TsplayError extends Error {
  readonly pos: SourcePosition | undefined;
  readonly exitCode: number;

  constructor(message: string, options: TsplayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TsplayError';
    this.pos = options.pos;
    this.exitCode = options.exitCode ?? EXIT.ERROR;
  }

  /** The message with Ansible's "The error appears to be in ..." paragraph. */
  describe(): string {
    return this.pos ? `${this.message}${describePosition(this.pos)}` : this.message;
  }
}

/** Bad command-line options (ansible-playbook exits 5 for these). */
export class OptionsError extends TsplayError {
  constructor(message: string) {
    super(message, { exitCode: EXIT.BAD_OPTIONS });
    this.name = 'OptionsError';
  }
}

const sourceCache = new Map<string, string[] | null>();

function sourceLines(file: string): string[] | null {
  let lines = sourceCache.get(file);
  if (lines === undefined) {
    try {
      lines = readFileSync(file, 'utf8').split(/\r?\n/);
    } catch {
      lines = null;
    }
    sourceCache.set(file, lines);
  }
  return lines;
}

/** Lets the YAML loader register text that is not on disk (e.g. -e strings). */
export function registerSource(file: string, text: string): void {
  sourceCache.set(file, text.split(/\r?\n/));
}

export function describePosition(pos: SourcePosition): string {
  let out =
    `\n\nThe error appears to be in '${pos.file}': line ${pos.line}, column ${pos.column}, but may\n` +
    'be elsewhere in the file depending on the exact syntax problem.\n';
  const lines = sourceLines(pos.file);
  const target = lines?.[pos.line - 1];
  if (lines && target !== undefined) {
    out += '\nThe offending line appears to be:\n\n';
    const previous = pos.line >= 2 ? lines[pos.line - 2] : undefined;
    if (previous !== undefined) out += `${previous}\n`;
    out += `${target}\n${' '.repeat(Math.max(0, pos.column - 1))}^ here\n`;
  }
  return out;
}

export function formatPosition(pos: SourcePosition | undefined): string {
  return pos ? `${pos.file}:${pos.line}:${pos.column}` : '';
}
