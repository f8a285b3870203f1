// Asking the user for passwords and strings. Passwords are read from the controlling
// terminal with echo off (as Python's getpass); without a terminal they are read from
// standard input after a warning, which is what Ansible does too.
import { openSync, writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { EXIT, TsplayError } from '../errors.js';
import type { InputReader } from './input-reader.js';

export interface Prompter {
  /** A line typed without echo (getpass); null at the end of the input. */
  secret(message: string): Promise<string | null>;
  /** A visible line (input()); null at the end of the input. */
  line(message: string): Promise<string | null>;
}

export interface TerminalStreams {
  stdin: InputReader;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The terminal device; tests point it elsewhere. */
  ttyPath?: string;
}

export class InterruptedError extends TsplayError {
  constructor() {
    super('User interrupted execution', { exitCode: EXIT.INTERRUPTED });
    this.name = 'InterruptedError';
  }
}

function openTerminal(path: string): number | undefined {
  try {
    return openSync(path, 'r+');
  } catch {
    return undefined;
  }
}

/** Reads one line from the terminal in raw mode, so nothing typed is echoed. */
function readHidden(fd: number, message: string): Promise<string | null> {
  const input = new ReadStream(fd);
  // Echo off before the prompt shows, so that nothing typed right away is echoed.
  input.setRawMode(true);
  writeSync(fd, message);
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = (value: string | null, error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      writeSync(fd, '\n');
      input.destroy();
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(typed.join(''));
        if (ch === '\u0003') return finish(null, new InterruptedError());
        if (ch === '\u0004') {
          if (typed.length === 0) return finish(null);
        } else if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch === '\u0015') typed = [];
        else typed.push(ch);
      }
    };
    input.on('data', onData);
  });
}

export function terminalPrompter(streams: TerminalStreams): Prompter {
  return {
    async secret(message) {
      const fd = openTerminal(streams.ttyPath ?? '/dev/tty');
      if (fd !== undefined) return readHidden(fd, message);
      streams.stderr.write(`Warning: Password input may be echoed.\n${message}`);
      const answer = await streams.stdin.readLine();
      // Python's getpass ends the prompt line once it has read one (not at end of input).
      if (answer !== null) streams.stderr.write('\n');
      return answer;
    },
    async line(message) {
      streams.stdout.write(message);
      return streams.stdin.readLine();
    },
  };
}
