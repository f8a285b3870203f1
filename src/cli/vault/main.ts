// `tsplay-vault`: ansible-vault's command line. Exit codes as ansible-vault's: 0, 1 for
// vault and file errors, 2 for bad arguments, 5 for bad option combinations (after the
// help), 99 when interrupted at a prompt, 250 for a bug.
import { homedir } from 'node:os';
import { loadConfig } from '../../config/index.js';
import { EXIT, OptionsError, TsplayError } from '../../errors.js';
import { InputReader } from '../../vault/input-reader.js';
import { terminalPrompter, type Prompter } from '../../vault/prompt.js';
import { runVaultCommand } from './commands.js';
import { actionHelp, TOP_HELP } from './help.js';
import { parseVaultCommandLine, VaultUsageError } from './options.js';
import { VaultOutput } from './output.js';
import { vaultVersionText } from './version.js';

export interface VaultCliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
  /** How to ask for passwords and strings (default: the terminal, else stdin). */
  prompter?: Prompter;
  /** The terminal device the default prompter opens (default /dev/tty). */
  ttyPath?: string;
}

export function processIo(): VaultCliIo {
  // A reader that stops early (`tsplay-vault view x | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    home: homedir(),
  };
}

function writeDone(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolvePromise) => stream.write('', () => resolvePromise()));
}

export async function main(argv: readonly string[], io: VaultCliIo = processIo()): Promise<number> {
  const stdin = new InputReader(io.stdin);
  let output = new VaultOutput(io.stdout, io.stderr, 0, false);
  try {
    const line = parseVaultCommandLine(argv);
    if (line.help) {
      io.stdout.write(`${line.action ? actionHelp(line.action) : TOP_HELP}\n`);
      return EXIT.OK;
    }
    const config = loadConfig({ env: io.env, cwd: io.cwd, home: io.home });
    if (line.version) {
      io.stdout.write(`${vaultVersionText(config.file)}\n`);
      return EXIT.OK;
    }
    const color = config.forceColor || (!config.noColor && io.stdoutIsTTY);
    output = new VaultOutput(io.stdout, io.stderr, line.verbosity || config.verbosity, color);
    for (const warning of config.warnings) output.warning(warning);
    output.verbose(2, vaultVersionText(config.file));
    output.verbose(1, config.file ? `Using ${config.file} as config file` : 'No config file found; using defaults');
    const prompter = io.prompter ?? terminalPrompter({ stdin, stdout: io.stdout, stderr: io.stderr, ...(io.ttyPath ? { ttyPath: io.ttyPath } : {}) });
    await runVaultCommand(line, {
      config,
      output,
      prompter,
      stdin,
      stdout: io.stdout,
      stderr: io.stderr,
      stdinIsTTY: io.stdinIsTTY,
      stdoutIsTTY: io.stdoutIsTTY,
      env: io.env,
      cwd: io.cwd,
      home: io.home,
    });
    return EXIT.OK;
  } catch (error) {
    if (error instanceof VaultUsageError) {
      io.stderr.write(`${error.usage}\n${error.prog}: error: ${error.message}\n \n${TOP_HELP}\n`);
      return error.exitCode;
    }
    if (error instanceof OptionsError && error.name === 'OptionsError') {
      io.stdout.write(`${TOP_HELP}\n`);
      output.error(error.message);
      return error.exitCode;
    }
    if (error instanceof TsplayError) {
      output.error(error.describe());
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    output.error(`Unexpected Exception, this is probably a bug: ${message}`);
    if (output.verbosity >= 3 && error instanceof Error && error.stack) output.display(error.stack, { stderr: true });
    else output.display('to see the full traceback, use -vvv', { stderr: true });
    return EXIT.UNEXPECTED;
  } finally {
    stdin.close();
    await Promise.all([writeDone(io.stdout), writeDone(io.stderr)]);
  }
}
