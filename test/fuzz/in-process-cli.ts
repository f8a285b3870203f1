// Runs tsplay's main() inside the test process, thousands of times, as if from a shell:
// its own working directory and HOME, stdout and stderr captured, and anything that
// escapes main() (an uncaught exception, an unhandled rejection, a process.exit call)
// recorded instead of killing the test. A run that does not finish in time is
// interrupted the way a user would (SIGINT) and reported as a hang.
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Errors that escaped main(): uncaught exceptions, unhandled rejections, exit calls. */
  escaped: string[];
  /** The run did not finish within the time limit and was interrupted. */
  hung: boolean;
  ms: number;
}

export interface InProcessOptions {
  cwd: string;
  env: Record<string, string>;
  /** Milliseconds before the run is interrupted (SIGINT, then a second one). */
  timeoutMs?: number;
}

type Write = typeof process.stdout.write;

class ProcessExit extends Error {
  constructor(readonly code: number | undefined) {
    super(`process.exit(${String(code)}) called inside main()`);
  }
}

/** Runs `tsplay <argv>` in-process. Runs must not overlap (they share the process). */
export async function runInProcess(argv: readonly string[], options: InProcessOptions): Promise<CliRun> {
  const started = Date.now();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const escaped: string[] = [];
  const capture = (sink: string[]): Write =>
    ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
      sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as Write;
  const saved = {
    stdout: process.stdout.write,
    stderr: process.stderr.write,
    exit: process.exit,
    cwd: process.cwd(),
    env: { ...process.env },
  };
  const onUncaught = (error: unknown) => escaped.push(`uncaught: ${describe(error)}`);
  const onRejection = (error: unknown) => escaped.push(`unhandled rejection: ${describe(error)}`);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onRejection);
  process.stdout.write = capture(stdout);
  process.stderr.write = capture(stderr);
  process.exit = ((code?: number) => {
    throw new ProcessExit(code);
  }) as typeof process.exit;
  for (const key of Object.keys(process.env)) if (!(key in options.env)) delete process.env[key];
  Object.assign(process.env, options.env);
  process.chdir(options.cwd);

  let hung = false;
  let timer: NodeJS.Timeout | undefined;
  const limit = options.timeoutMs ?? 20_000;
  const interrupt = () => {
    hung = true;
    process.emit('SIGINT');
    timer = setTimeout(() => process.emit('SIGINT'), 2_000);
  };
  timer = setTimeout(interrupt, limit);
  let code: number;
  try {
    code = await main(argv);
  } catch (error) {
    escaped.push(error instanceof ProcessExit ? error.message : `thrown from main(): ${describe(error)}`);
    code = error instanceof ProcessExit ? (error.code ?? 0) : -1;
  } finally {
    clearTimeout(timer);
    // Let stray callbacks of this run (late rejections, timers) land while we still listen.
    await new Promise((resolve) => setImmediate(resolve));
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.exit = saved.exit;
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onRejection);
    process.chdir(saved.cwd);
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
  }
  return { code, stdout: stdout.join(''), stderr: stderr.join(''), escaped, hung, ms: Date.now() - started };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}
