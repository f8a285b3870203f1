// Asking an instance what long-running work it still has, the ways a playbook can name:
// a process pattern (regular expression over `ps` command lines), pid files (glob allowed),
// a command that prints one running job per line (nothing when idle), or an HTTP endpoint
// that answers JSON listing running jobs. Commands run through the task's connection, so
// with the task's become.
import type { BecomeOptions, Connection } from '../../../connection/connection.js';
import { ModuleFailure } from '../../module.js';

export interface JobProbeSpec {
  process?: string | null;
  pid_file?: string | null;
  command?: string | null;
  url?: string | null;
}

export interface RunningJob {
  name: string;
  detail?: string;
}

/** What one probe found: the jobs, or why it could not tell. */
export type ProbeAnswer = { ok: true; jobs: RunningJob[] } | { ok: false; error: string };

export interface ProbeHost {
  connection: Connection;
  become: BecomeOptions | undefined;
  signal: AbortSignal;
}

export function describeProbe(spec: JobProbeSpec): string {
  const parts: string[] = [];
  if (spec.process) parts.push(`processes matching /${spec.process}/`);
  if (spec.pid_file) parts.push(`pid file ${spec.pid_file}`);
  if (spec.command) parts.push(`command \`${spec.command}\``);
  if (spec.url) parts.push(`${spec.url}`);
  return parts.join(', ');
}

export function validateProbe(spec: JobProbeSpec): void {
  if (!spec.process && !spec.pid_file && !spec.command && !spec.url) {
    throw new ModuleFailure('jobs needs one of: process, pid_file, command, url');
  }
  if (spec.process) {
    try {
      new RegExp(spec.process);
    } catch (error) {
      throw new ModuleFailure(`jobs.process is not a valid regular expression: ${(error as Error).message}`);
    }
  }
}

/** A path for the shell with its glob characters left active and everything else quoted. */
export function globForShell(path: string): string {
  return path.replace(/[^*?[\]]+/g, (literal) => `'${literal.replace(/'/g, `'\\''`)}'`);
}

function seconds(value: string): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  return n >= 3600 ? `${Math.floor(n / 3600)} h ${Math.floor((n % 3600) / 60)} min` : n >= 60 ? `${Math.floor(n / 60)} min ${n % 60} s` : `${n} s`;
}

async function run(host: ProbeHost, command: string) {
  return host.connection.run(command, { become: host.become, signal: host.signal, timeoutMs: 30_000 });
}

/** `ps` lines of processes: pid, elapsed seconds, command line. */
function parsePs(stdout: string): { pid: string; elapsed: string; args: string }[] {
  return stdout
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: m[1] as string, elapsed: m[2] as string, args: m[3] as string }));
}

async function processJobs(host: ProbeHost, pattern: string): Promise<ProbeAnswer> {
  // The pattern is matched here, not by pgrep on the host, so it never matches the probe itself.
  const answer = await run(host, 'ps -eo pid=,etimes=,args=');
  if (answer.rc !== 0) return { ok: false, error: `ps failed (rc ${answer.rc}): ${answer.stderr.trim()}` };
  const regex = new RegExp(pattern);
  const jobs = parsePs(answer.stdout)
    .filter((p) => regex.test(p.args) && !p.args.startsWith('ps -eo pid=,etimes=,args='))
    .map((p) => ({ name: p.args, detail: `pid ${p.pid}, running ${seconds(p.elapsed)}` }));
  return { ok: true, jobs };
}

async function pidFileJobs(host: ProbeHost, glob: string): Promise<ProbeAnswer> {
  // For each pid file: its name, its pid, and the live process's elapsed time and command line.
  const script = `for f in ${globForShell(glob)}; do [ -f "$f" ] || continue; p=$(head -n1 "$f" | tr -dc 0-9); [ -n "$p" ] || continue; line=$(ps -o pid=,etimes=,args= -p "$p" 2>/dev/null) && printf '%s\\t%s\\n' "$f" "$line"; done; true`;
  const answer = await run(host, script);
  if (answer.rc !== 0) return { ok: false, error: `reading ${glob} failed (rc ${answer.rc}): ${answer.stderr.trim()}` };
  const jobs = answer.stdout
    .split('\n')
    .filter((line) => line.includes('\t'))
    .map((line) => {
      const [file, ps] = line.split('\t') as [string, string];
      const p = parsePs(ps)[0];
      const name = (file.split('/').pop() ?? file).replace(/\.pid$/, '');
      return { name, detail: p ? `pid ${p.pid}, running ${seconds(p.elapsed)}: ${p.args}` : file };
    });
  return { ok: true, jobs };
}

async function commandJobs(host: ProbeHost, command: string): Promise<ProbeAnswer> {
  const answer = await run(host, command);
  if (answer.rc !== 0) return { ok: false, error: `\`${command}\` failed (rc ${answer.rc}): ${(answer.stderr || answer.stdout).trim()}` };
  const jobs = answer.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((name) => ({ name }));
  return { ok: true, jobs };
}

/** JSON jobs: a list, or an object with `running` or `jobs` (a list, or a count). */
export function jobsFromJson(body: unknown): RunningJob[] | undefined {
  const named = (job: unknown, index: number): RunningJob => {
    if (typeof job === 'string') return { name: job };
    if (job && typeof job === 'object') {
      const j = job as Record<string, unknown>;
      const name = String(j.name ?? j.job ?? j.id ?? `job ${index + 1}`);
      const extra = Object.entries(j)
        .filter(([k]) => !['name', 'job'].includes(k))
        .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(', ');
      return extra ? { name, detail: extra } : { name };
    }
    return { name: String(job) };
  };
  if (Array.isArray(body)) return body.map(named);
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const list = b.running ?? b.jobs;
    if (Array.isArray(list)) return list.map(named);
    if (typeof list === 'number') return Array.from({ length: list }, (_, i) => ({ name: `job ${i + 1}` }));
  }
  return undefined;
}

async function urlJobs(url: string, signal: AbortSignal): Promise<ProbeAnswer> {
  try {
    const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]), headers: { accept: 'application/json' } });
    const text = await response.text();
    if (!response.ok) return { ok: false, error: `${url} answered HTTP ${response.status}` };
    const jobs = jobsFromJson(JSON.parse(text));
    if (!jobs) return { ok: false, error: `${url} did not answer a list of jobs (expected a JSON list, or {"running": [...]} / {"jobs": [...]})` };
    return { ok: true, jobs };
  } catch (error) {
    return { ok: false, error: `${url}: ${(error as Error).message}` };
  }
}

/** Every named probe, together: the union of their jobs, or the first error. */
export async function probeJobs(spec: JobProbeSpec, host: ProbeHost): Promise<ProbeAnswer> {
  const answers: ProbeAnswer[] = [];
  if (spec.process) answers.push(await processJobs(host, spec.process));
  if (spec.pid_file) answers.push(await pidFileJobs(host, spec.pid_file));
  if (spec.command) answers.push(await commandJobs(host, spec.command));
  if (spec.url) answers.push(await urlJobs(spec.url, host.signal));
  const failed = answers.find((a) => !a.ok);
  if (failed) return failed;
  return { ok: true, jobs: answers.flatMap((a) => (a.ok ? a.jobs : [])) };
}

export function jobsText(jobs: readonly RunningJob[]): string {
  return jobs.map((j) => (j.detail ? `${j.name} (${j.detail})` : j.name)).join('; ');
}
