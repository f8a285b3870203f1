// How Ansible's ssh connection reads a terminal while privilege escalation is under way:
// line by line, it drops each line that holds the become prompt (even before its line
// ends: the prompt waits for the password) and the line that announces success; every
// other line stays in the command's output. So the newline sudo echoes after reading the
// password, or its lecture, show in a raw task's stdout, as with Ansible. Once the ready
// line is seen, output is no longer examined.

export class EscalationReader {
  /** Output kept so far, as latin1 text (bytes one to one). */
  private kept = '';
  /** The last line when it has not ended yet: examined again with what follows. */
  private pending = '';
  /** Everything read, for error messages. */
  private seen = '';
  private promptCount = 0;
  private escalated = false;

  constructor(
    private readonly readyLine: string,
    private readonly countPrompts: (text: string) => number,
  ) {}

  get prompts(): number {
    return this.promptCount;
  }

  get ready(): boolean {
    return this.escalated;
  }

  /** What was read, as text (for the failure message). */
  get transcript(): string {
    return Buffer.from(this.seen, 'latin1').toString('utf8');
  }

  /** The output to keep once ready: the lines kept and everything after the ready line. */
  get output(): Buffer {
    return Buffer.from(this.kept + this.pending, 'latin1');
  }

  push(chunk: Buffer): void {
    const text = chunk.toString('latin1');
    this.seen += text;
    if (this.escalated) {
      this.pending += text;
      return;
    }
    const lines = splitLines(this.pending + text);
    this.pending = '';
    const keep: string[] = [];
    for (const line of lines) {
      if (this.escalated) {
        keep.push(line);
        continue;
      }
      const prompts = this.countPrompts(Buffer.from(line, 'latin1').toString('utf8'));
      if (prompts > 0) this.promptCount += prompts;
      else if (line.includes(this.readyLine)) this.escalated = true;
      else keep.push(line);
    }
    if (!this.escalated && keep.length > 0 && !keep[keep.length - 1]!.endsWith('\n')) this.pending = keep.pop()!;
    this.kept += keep.join('');
  }
}

/** Python's bytes.splitlines(keepends=True): lines end at "\r\n", "\r" or "\n". */
function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}
