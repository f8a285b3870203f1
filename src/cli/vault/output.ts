// What tsplay-vault prints, as Ansible's Display prints it: `ERROR! ...` unwrapped,
// `[WARNING]: ...` wrapped to 79 columns, verbose text by level, colours on a terminal.
import { colorize, type ColorName } from '../../output/colors.js';
import { wrap } from '../../output/textwrap.js';

export class VaultOutput {
  constructor(
    private readonly stdout: NodeJS.WritableStream,
    private readonly stderr: NodeJS.WritableStream,
    readonly verbosity: number,
    private readonly color: boolean,
  ) {}

  /** One message; a line break is added unless it ends with one. */
  display(message: string, options: { stderr?: boolean; color?: ColorName } = {}): void {
    const body = message.endsWith('\n') ? message.slice(0, -1) : message;
    (options.stderr ? this.stderr : this.stdout).write(`${colorize(body, options.color, this.color)}\n`);
  }

  warning(message: string, formatted = false): void {
    const text = formatted ? `\n[WARNING]: \n${message}` : wrap(`[WARNING]: ${message}`, 79).join('\n');
    this.display(text, { stderr: true, color: 'warn' });
  }

  error(message: string): void {
    this.display(`ERROR! ${message}`, { stderr: true, color: 'error' });
  }

  verbose(level: number, message: string): void {
    if (this.verbosity >= level) this.display(message, { color: 'verbose' });
  }
}
