// Where all user-visible text goes: stdout/stderr with Ansible's banners, warnings,
// deprecations and verbosity levels. Writes are buffered so that a run with thousands
// of result lines does not pay a system call per line.
import { colorize, type ColorName } from './colors.js';
import { wrap } from './textwrap.js';

export interface DisplayOptions {
  verbosity: number;
  color: boolean;
  /** Terminal width; Ansible uses at least 80 columns. */
  width?: number | undefined;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export interface DisplayCall {
  color?: ColorName | undefined;
  stderr?: boolean;
}

export class Display {
  readonly verbosity: number;
  readonly color: boolean;
  /** Banner width: one less than the terminal, at least 79 (as Ansible). */
  readonly columns: number;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;
  private buffer: string[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private buffered = 0;
  private readonly shownWarnings = new Set<string>();
  private readonly shownDeprecations = new Set<string>();
  /** Called before any text is written (the live progress view clears its line). */
  beforeWrite: (() => void) | undefined;

  constructor(options: DisplayOptions) {
    this.verbosity = options.verbosity;
    this.color = options.color;
    this.columns = Math.max(79, (options.width ?? 0) - 1);
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
  }

  display(message: string, call: DisplayCall = {}): void {
    // Like Ansible: a message that ends with a newline gets no second one.
    const body = message.endsWith('\n') ? message.slice(0, -1) : message;
    const text = `${colorize(body, call.color, this.color)}\n`;
    if (call.stderr) {
      this.flush();
      this.beforeWrite?.();
      this.stderr.write(text);
      return;
    }
    this.buffer.push(text);
    this.buffered += text.length;
    if (this.buffered > 1 << 16) this.flush();
    else if (!this.flushTimer) {
      // Batch bursts of lines, but never hold text back for long: someone may be watching.
      this.flushTimer = setTimeout(() => this.flush(), 50);
      this.flushTimer.unref();
    }
  }

  /** `\nTASK [name] ****...` padded with stars to the terminal width. */
  banner(message: string, color?: ColorName): void {
    const msg = message.trim();
    const stars = '*'.repeat(Math.max(3, this.columns - textWidth(msg)));
    this.display(`\n${msg} ${stars}`, { color });
  }

  warning(message: string, formatted = false): void {
    const text = formatted ? `\n[WARNING]: \n${message}` : `${wrap(`[WARNING]: ${message}`, this.columns).join('\n')}\n`;
    if (this.shownWarnings.has(text)) return;
    this.shownWarnings.add(text);
    this.display(text, { color: 'warn', stderr: true });
  }

  deprecated(message: string, version?: string): void {
    const full = `[DEPRECATION WARNING]: ${message}.${version ? ` This feature will be removed in version ${version}.` : ''} Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.`;
    const text = `${wrap(full, this.columns).join('\n')}\n`;
    if (this.shownDeprecations.has(text)) return;
    this.shownDeprecations.add(text);
    this.display(text, { color: 'deprecate', stderr: true });
  }

  /** `ERROR! message`, on stderr. */
  error(message: string): void {
    this.display(`ERROR! ${message}`, { color: 'error', stderr: true });
  }

  /** Text shown only at -v (level 1) and above; `host` prefixes it as Ansible's `<host>`. */
  verbose(level: number, message: string, host?: string): void {
    if (this.verbosity < level) return;
    this.display(host ? `<${host}> ${message}` : message, { color: 'verbose' });
  }

  flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (this.buffer.length === 0) return;
    this.beforeWrite?.();
    this.stdout.write(this.buffer.join(''));
    this.buffer = [];
    this.buffered = 0;
  }

  /** Flush and wait until the text reached the stream (before the process exits). */
  async drain(): Promise<void> {
    this.flush();
    await new Promise<void>((resolve) => this.stdout.write('', () => resolve()));
  }
}

/** Display width: East Asian wide characters take two columns. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    width += code >= 0x1100 && isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}
