// The worker protocol's record splitter: records cut out wherever the stream's chunks
// happen to split them, raw bytes around them passed through untouched.
import { describe, expect, it } from 'vitest';
import { frameCommand, RecordSplitter, type FrameRecord } from '../../../src/connection/ssh/framing.js';

const TAG = '0123456789abcdef01234567';

function split(chunks: Buffer[]): { bytes: Buffer; records: FrameRecord[]; order: string[] } {
  const bytes: Buffer[] = [];
  const records: FrameRecord[] = [];
  const order: string[] = [];
  const splitter = new RecordSplitter(
    TAG,
    (b) => {
      bytes.push(Buffer.from(b));
      order.push('bytes');
    },
    (r) => {
      records.push(r);
      order.push(r.kind);
    },
  );
  for (const chunk of chunks) splitter.push(chunk);
  return { bytes: Buffer.concat(bytes), records, order };
}

describe('RecordSplitter', () => {
  const record = (kind: string, id: number, value?: string) => `\x1e${TAG} ${kind} ${id}${value === undefined ? '' : ` ${value}`}\n`;
  const payload = Buffer.concat([Buffer.from('out\x1epartial \x1e'), Buffer.from([0, 255, 0x1e, 10]), Buffer.from(`\x1e${TAG.slice(0, 10)}`)]);
  const stream = Buffer.concat([
    Buffer.from('stray'),
    Buffer.from(record('S', 7)),
    payload.subarray(0, 5),
    Buffer.from(record('P', 7, '4242')),
    payload.subarray(5),
    Buffer.from(record('E', 7, '3')),
  ]);

  it('finds every record and passes every other byte through, however the stream is chunked', () => {
    for (let size = 1; size <= stream.length; size++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      const { bytes, records } = split(chunks);
      expect(records).toEqual([
        { kind: 'S', id: 7, value: undefined },
        { kind: 'P', id: 7, value: '4242' },
        { kind: 'E', id: 7, value: '3' },
      ]);
      expect(bytes.equals(Buffer.concat([Buffer.from('stray'), payload]))).toBe(true);
    }
  });

  it('frames a command with its stdin base64-encoded in a here-document', () => {
    const script = frameCommand(TAG, 3, { body: 'exec cat', stdin: Buffer.from([0, 1, 2]) });
    expect(script).toContain(`base64 -d <<'TSPLAY_EOF_${TAG}'`);
    expect(script).toContain('\nAAEC\n');
    expect(script).not.toMatch(/\x1e/);
    expect(frameCommand(TAG, 4, { body: 'exec true' })).toContain('tsplay_command </dev/null &');
  });
});
