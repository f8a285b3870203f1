// Standard input shared between password prompts and data: a prompt without a terminal
// reads one line (as Python's getpass falls back to stdin) and the data read afterwards
// must start right after that line.
export class InputReader {
  private buffered = Buffer.alloc(0);
  private ended = false;
  private waiting: (() => void) | undefined;
  private started = false;

  constructor(private readonly stream: NodeJS.ReadableStream) {}

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.stream.on('data', (chunk: Buffer | string) => {
      this.buffered = Buffer.concat([this.buffered, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
      this.wake();
    });
    this.stream.on('end', () => {
      this.ended = true;
      this.wake();
    });
    this.stream.on('error', () => {
      this.ended = true;
      this.wake();
    });
    this.stream.resume();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  private async more(): Promise<void> {
    this.start();
    await new Promise<void>((resolve) => (this.waiting = resolve));
  }

  /** The next line without its line break; null when the input has ended. */
  async readLine(): Promise<string | null> {
    for (;;) {
      const at = this.buffered.indexOf(0x0a);
      if (at >= 0) {
        const line = this.buffered.subarray(0, at).toString('utf8');
        this.buffered = this.buffered.subarray(at + 1);
        return line.endsWith('\r') ? line.slice(0, -1) : line;
      }
      if (this.ended) {
        if (this.buffered.length === 0) return null;
        const line = this.buffered.toString('utf8');
        this.buffered = Buffer.alloc(0);
        return line;
      }
      await this.more();
    }
  }

  /** Everything up to the end of the input. */
  async readAll(): Promise<Buffer> {
    while (!this.ended) await this.more();
    const all = this.buffered;
    this.buffered = Buffer.alloc(0);
    return all;
  }

  /** Let the process exit although stdin is still open. */
  close(): void {
    if (this.started) this.stream.pause();
    (this.stream as { unref?: () => void }).unref?.();
  }
}
