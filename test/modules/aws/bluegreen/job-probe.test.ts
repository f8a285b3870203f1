import { describe, expect, it } from 'vitest';
import { LocalConnection } from '../../../../src/connection/local.js';
import { globForShell, jobsFromJson, probeJobs } from '../../../../src/modules/aws/bluegreen/job-probe.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

describe('job probes', () => {
  it('reads jobs from JSON in the shapes apps answer', () => {
    expect(jobsFromJson({ running: [{ name: 'import-users', pid: 42 }] })).toEqual([{ name: 'import-users', detail: 'pid 42' }]);
    expect(jobsFromJson({ jobs: 2 })).toEqual([{ name: 'job 1' }, { name: 'job 2' }]);
    expect(jobsFromJson(['export'])).toEqual([{ name: 'export' }]);
    expect(jobsFromJson({ running: [] })).toEqual([]);
    expect(jobsFromJson({ status: 'ok' })).toBeUndefined();
  });

  it('quotes a path for the shell but keeps its glob', () => {
    expect(globForShell("/srv/my app/jobs/*.pid")).toBe("'/srv/my app/jobs/'*'.pid'");
    expect(globForShell("/a'b")).toBe(`'/a'\\''b'`);
  });

  it('finds running processes by pattern, pid files by glob, and command output, on a real host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    const marker = `probe-job-${process.pid}`;
    const child = spawn('bash', ['-c', `exec -a ${marker} sleep 30`], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));
    writeFileSync(join(dir, 'import-users.pid'), `${child.pid}\n`);
    writeFileSync(join(dir, 'stale.pid'), '999999\n');
    const host = { connection: new LocalConnection('localhost'), become: undefined, signal: new AbortController().signal };
    try {
      const byProcess = await probeJobs({ process: `^${marker}` }, host);
      expect(byProcess.ok && byProcess.jobs.map((j) => j.name)).toEqual([`${marker} 30`]);
      const byPidFile = await probeJobs({ pid_file: join(dir, '*.pid') }, host);
      expect(byPidFile.ok && byPidFile.jobs.map((j) => j.name)).toEqual(['import-users']);
      expect(await probeJobs({ command: 'true' }, host)).toEqual({ ok: true, jobs: [] });
      expect(await probeJobs({ command: 'echo nightly-export' }, host)).toEqual({ ok: true, jobs: [{ name: 'nightly-export' }] });
      const failing = await probeJobs({ command: 'exit 3' }, host);
      expect(failing.ok).toBe(false);
    } finally {
      child.kill();
    }
    const gone = await probeJobs({ process: `^${marker}` }, host);
    await new Promise((r) => setTimeout(r, 100));
    expect((await probeJobs({ pid_file: join(dir, '*.pid') }, host))).toEqual({ ok: true, jobs: [] });
    expect(gone.ok).toBe(true);
  });
});
