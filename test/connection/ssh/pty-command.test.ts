// A terminal command's exit status when everything arrives at once: ssh2 parses a read
// packet by packet and emits 'exit' for the exit-status request as it meets it, so a
// command that ends quickly (a loaded machine, a short script) can report its output,
// exit status and close in the same read as the exec request's success. Real sshd hosts
// showed it under load (47 of 600 commands lost their status); here ssh2's order is
// reproduced with a client that delivers the whole reply synchronously.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { runOnPty } from '../../../src/connection/ssh/pty-command.js';

/** A channel shaped as ssh2's: a duplex with stderr, exit and close. */
function fakeChannel(): PassThrough & { stderr: PassThrough; close(): void } {
  const channel = new PassThrough() as PassThrough & { stderr: PassThrough; close(): void };
  channel.stderr = new PassThrough();
  channel.close = () => channel.destroy();
  return channel;
}

/** A client whose exec answers in one go, as one read holding every reply packet would. */
function clientReplyingAtOnce(output: string, code: number): Client {
  const client = new EventEmitter() as unknown as Client;
  (client as unknown as { exec: Client['exec'] }).exec = ((_command: string, _options: unknown, callback: (error: Error | undefined, channel: unknown) => void) => {
    const channel = fakeChannel();
    callback(undefined, channel);
    // The rest of the same read: data, exit-status, EOF and close, before any await resumes.
    channel.push(Buffer.from(output));
    channel.emit('exit', code);
    channel.push(null);
    channel.stderr.push(null);
    channel.on('end', () => channel.emit('close'));
    return client;
  }) as unknown as Client['exec'];
  return client;
}

describe('runOnPty', () => {
  it('keeps the exit status that arrives with the channel itself', async () => {
    const result = await runOnPty(clientReplyingAtOnce('done\r\n', 3), { body: 'true', become: undefined, becomeTimeoutMs: 1000 });
    expect(result.rc).toBe(3);
    expect(result.output.toString()).toBe('done\r\n');
  });
});
