// What stays of a terminal's output while privilege escalation is under way: the lines
// Ansible's ssh connection keeps (all but the prompt's and the ready line), whatever the
// chunks the output arrives in.
import { describe, expect, it } from 'vitest';
import { EscalationReader } from '../../../src/connection/ssh/escalation-reader.js';

const PROMPT = '[sudo via tsplay, key=ab12] password:';
const READY = 'TSPLAY-READY-0123';

function read(chunks: string[]): EscalationReader {
  const reader = new EscalationReader(READY, (text) => text.split(PROMPT).length - 1);
  for (const chunk of chunks) reader.push(Buffer.from(chunk, 'utf8'));
  return reader;
}

describe('EscalationReader', () => {
  it("drops the prompt (before its line ends) and the ready line, and keeps sudo's newline and the output", () => {
    const reader = read([PROMPT, '\r\n', `${READY}\r\nroot\r\n`]);
    expect(reader.prompts).toBe(1);
    expect(reader.ready).toBe(true);
    expect(reader.output.toString()).toBe('\r\nroot\r\n');
  });

  it('keeps other lines before the prompt (a lecture), and lines split across chunks', () => {
    const reader = read(['We trust you have rece', 'ived the usual lecture.\r\n\r\n', PROMPT, '\r\n', READY.slice(0, 5), `${READY.slice(5)}\r\n`, 'out']);
    expect(reader.ready).toBe(true);
    expect(reader.output.toString()).toBe('We trust you have received the usual lecture.\r\n\r\n\r\nout');
  });

  it('counts every prompt (a second one means a wrong password) and is not ready without the ready line', () => {
    const reader = read([PROMPT, '\r\nSorry, try again.\r\n', PROMPT]);
    expect(reader.prompts).toBe(2);
    expect(reader.ready).toBe(false);
    expect(reader.transcript).toContain('Sorry, try again.');
  });

  it('needs no prompt when no password is asked, and keeps what follows the ready line in the same chunk', () => {
    const reader = read([`${READY}\r\none\r\ntwo`]);
    expect(reader.prompts).toBe(0);
    expect(reader.output.toString()).toBe('one\r\ntwo');
  });

  it('keeps bytes that are not UTF-8 as they are', () => {
    const reader = new EscalationReader(READY, () => 0);
    reader.push(Buffer.from([0xff, 0x0a]));
    reader.push(Buffer.from(`${READY}\n`));
    expect(reader.output).toEqual(Buffer.from([0xff, 0x0a]));
  });
});
