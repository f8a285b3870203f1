// A module that dies of a Python exception prints a traceback instead of its result, and
// Ansible reports MODULE FAILURE with the traceback as module_stderr. Node refuses some
// values Python refuses as well — a NUL byte in a path or a command argument, Python's
// "ValueError: embedded null byte" — and those failures are reported the same way.
import type { Result } from './task-result.js';

/** The exception Python raises where Node raised `error`, when Python raises one there too. */
export function pythonExceptionFor(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  if (code === 'ERR_INVALID_ARG_VALUE' && /null bytes/.test((error as Error).message)) return 'ValueError: embedded null byte';
  return undefined;
}

/** The result of a module that died of `exception` ("Class: text"). */
export function moduleCrash(exception: string): Result {
  const traceback = `Traceback (most recent call last):\n  File "<module>", in main\n${exception}\n`;
  return {
    failed: true,
    changed: false,
    msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error',
    module_stdout: '',
    module_stderr: traceback,
    rc: 1,
    exception: traceback,
  };
}
