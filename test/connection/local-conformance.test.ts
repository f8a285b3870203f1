// The shared connection behaviour, on the local connection.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { LocalConnection } from '../../src/connection/local.js';
import { describeConformance, type ConformanceTarget, type InspectResult } from './conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-local-conformance-'));
chmodSync(dir, 0o777);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function inspect(command: string): Promise<InspectResult> {
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', command], (error, stdout, stderr) => {
      resolve({ rc: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const target: ConformanceTarget = {
  conn: new LocalConnection('localhost'),
  dir,
  loginUser: 'root',
  rootBecome: undefined,
  other: { user: 'nobody', become: { method: 'sudo', user: 'nobody' } },
  inspect,
};

describeConformance('LocalConnection', () => target);
