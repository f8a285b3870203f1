// Errors a user can cause. They are printed as Ansible prints its AnsibleError:
// "ERROR! <message>" followed, when the source is known, by the file position and the
// offending line with a caret. Anything that is not a TsplayError is a bug (exit 250).
import { readFileSync } from 'node:fs';
import { HINT_KV_AND_YAML, hintsFor } from './error-hints.js';

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
  PARSE_ERROR: 4,
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

/** A playbook, role or inventory that cannot be parsed or has invalid structure (exit 4, as Ansible). */
export class ParserError extends TsplayError {
  constructor(message: string, pos?: SourcePosition, cause?: unknown) {
    super(message, { pos, exitCode: EXIT.PARSE_ERROR, cause });
    this.name = 'ParserError';
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
  const details = (line: number, column: number) =>
    `\n\nThe error appears to be in '${pos.file}': line ${line}, column ${column}, but may\n` +
    'be elsewhere in the file depending on the exact syntax problem.\n';
  const lines = sourceLines(pos.file);
  if (!lines || lines.length === 0) return details(pos.line, pos.column);
  // As Ansible: step back over blank lines; the line before gives context (and, when it
  // holds k=v shorthand, becomes the reported position).
  let index = Math.min(pos.line - 1, lines.length - 1);
  while (index > 0 && !lines[index]!.trim()) index--;
  const target = lines[index]!;
  const previous = index > 0 ? lines[index - 1]! : '';
  if (!target) return details(pos.line, pos.column);
  let out: string;
  if (/\w+(\s+)?=(\s+)?[\w/-]+/.test(previous)) {
    const at = previous.trimEnd().indexOf('=');
    out = `${details(pos.line - 1, at + 1)}\nThe offending line appears to be:\n\n${previous.trimEnd()}\n${' '.repeat(at)}^ here\n\n${HINT_KV_AND_YAML}`;
  } else {
    out = `${details(pos.line, pos.column)}\nThe offending line appears to be:\n\n${previous.trimEnd()}\n${target.trimEnd()}\n${' '.repeat(Math.max(0, pos.column - 1))}^ here\n`;
  }
  return out + hintsFor(target, pos.column);
}

export function formatPosition(pos: SourcePosition | undefined): string {
  return pos ? `${pos.file}:${pos.line}:${pos.column}` : '';
}
