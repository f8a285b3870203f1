// The AWS modules against Ansible's: each scenario (scenarios/<name>/playbook.yml) runs
// through ansible-playbook (amazon.aws 5.5 and community.aws 5.5 on Debian's boto3) and
// through tsplay, each against a fresh tsplay-localcloud of its own. Exit code, PLAY RECAP,
// plays, task banners and each task's per-host statuses must be equal, and so must the
// rest of stdout (diffs, messages; output-outline.ts), the warnings, and the registered
// results the playbook writes to results/*.json (ids, times and the clouds' addresses
// replaced by placeholders; see result-lines.ts for what is left out and why).
// The playbooks assert what the results must say (idempotency, check mode, counts), so
// Ansible's run checks the scenario itself: it must end as scenario.json expects.
//
// scenario.json (optional): { "cloud": [extra tsplay-localcloud flags], "rc": expected exit code,
// "differences": { "<file>.json": { "<path>": "why" } } }: keys where tsplay differs from Ansible
// on purpose (src/modules/aws/README.md lists those), or knowingly for now, are left out of
// that file's comparison.
// TSPLAY_AWS_SCENARIOS=name,name picks some; TSPLAY_AWS_KEEP=1 keeps the runs' copies (and results/).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { run, type RunOutput, TSPLAY } from '../harness.js';
import { parseDefaultOutput, statuses, type TaskSection } from '../output-parser.js';
import { outline } from './output-outline.js';
import { normalizeValue, resultLines } from './result-lines.js';
import { startScenarioCloud } from './scenario-cloud.js';

const SCENARIOS = join(import.meta.dirname, 'scenarios');

type Runner = 'ansible' | 'tsplay';

/**
 * Loopback networks of a scenario's two clouds: 127.40 and up (no other test uses
 * 127.40-127.63; the test hosts draw from 127.64 and up), two per scenario.
 */
function networksOf(index: number): Record<Runner, string> {
  const base = 40 + 2 * index;
  if (base + 1 > 63) throw new Error('more AWS scenarios than free loopback networks: widen the range in networksOf');
  return { ansible: `127.${base}`, tsplay: `127.${base + 1}` };
}

// Only the scenario's own cloud may answer either run.
for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'EC2_URL', 'S3_URL', 'EC2_REGION']) delete process.env[name];

interface ScenarioSpec {
  cloud: string[];
  rc: number;
  differences: Record<string, Record<string, string>>;
}

function readSpec(dir: string): ScenarioSpec {
  const file = join(dir, 'scenario.json');
  return { cloud: [], rc: 0, differences: {}, ...(existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<ScenarioSpec>) : {}) };
}

interface Outcome extends RunOutput {
  /** results/<name>.json of the run, parsed. */
  results: Record<string, unknown>;
}

async function runOnFreshCloud(runner: Runner, network: string, dir: string, spec: ScenarioSpec): Promise<Outcome> {
  const cloud = await startScenarioCloud(network, spec.cloud);
  const work = mkdtempSync(join(tmpdir(), `tsplay-aws-diff-${runner}-`));
  try {
    cpSync(dir, work, { recursive: true });
    const args = ['-i', 'localhost,', 'playbook.yml'];
    const output = runner === 'ansible' ? await run('ansible-playbook', args, work, cloud.env) : await run(process.execPath, [TSPLAY, ...args], work, cloud.env);
    const resultsDir = join(work, 'results');
    const results = existsSync(resultsDir)
      ? Object.fromEntries(readdirSync(resultsDir).map((file) => [file, JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as unknown]))
      : {};
    output.stderr = output.stderr.split(work).join('<dir>');
    return { ...output, results };
  } finally {
    await cloud.stop();
    if (process.env.TSPLAY_AWS_KEEP) process.stderr.write(`kept ${runner}'s copy of ${dir}: ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** Whether Ansible's AWS modules can run here (the oracle needs boto3 for /usr/bin/python3). */
function oracleMissing(): string | undefined {
  const boto = spawnSync('/usr/bin/python3', ['-c', 'import boto3, botocore'], { stdio: 'ignore' });
  if (boto.status !== 0) return 'python3-boto3 (Debian) is not installed';
  const docs = spawnSync('ansible-doc', ['-l', 'amazon.aws'], { encoding: 'utf8' });
  if (!docs.stdout?.includes('amazon.aws.ec2_instance')) return 'the amazon.aws collection (Debian package ansible) is not installed';
  return undefined;
}

/** The warnings a run printed, each on one line (the callback wraps them). */
function warnings(stderr: string): string[] {
  const found: string[] = [];
  for (const line of stderr.split('\n')) {
    if (/^\[(WARNING|DEPRECATION WARNING)\]/.test(line)) found.push(line.trim());
    else if (found.length && line.trim() && !line.startsWith('[') && !/^(tsplay|ERROR)/.test(line)) found[found.length - 1] += ` ${line.trim()}`;
  }
  return found;
}

const picked = process.env.TSPLAY_AWS_SCENARIOS?.split(',');
// Each scenario keeps its loopback networks whichever are picked.
const scenarios = readdirSync(SCENARIOS)
  .filter((name) => existsSync(join(SCENARIOS, name, 'playbook.yml')))
  .sort()
  .map((name, index) => ({ name, networks: networksOf(index) }))
  .filter(({ name }) => !picked || picked.some((p) => name.includes(p)));
const missing = oracleMissing();

describe.concurrent('differential: AWS modules, tsplay vs ansible-playbook on the local cloud', () => {
  it('has its oracle', ({ expect }) => {
    expect(missing, `${missing}: .ci/debian-packages lists what to install`).toBeUndefined();
  });

  for (const { name, networks } of scenarios) {
    it.skipIf(missing !== undefined)(name, { timeout: 300_000 }, async ({ expect }) => {
      const dir = join(SCENARIOS, name);
      const spec = readSpec(dir);
      const [ansible, tsplay] = await Promise.all([runOnFreshCloud('ansible', networks.ansible, dir, spec), runOnFreshCloud('tsplay', networks.tsplay, dir, spec)]);
      const context = `\n--- ansible-playbook (rc=${ansible.code})\n${ansible.stdout}\n${ansible.stderr}\n--- tsplay (rc=${tsplay.code})\n${tsplay.stdout}\n${tsplay.stderr}`;
      expect(ansible.code, `ansible-playbook's exit code: the scenario is wrong${context}`).toBe(spec.rc);
      const a = parseDefaultOutput(ansible.stdout);
      const t = parseDefaultOutput(tsplay.stdout);
      expect(tsplay.code, `exit code${context}`).toBe(ansible.code);
      expect(t.recap, `recap${context}`).toEqual(a.recap);
      expect(t.plays, `plays${context}`).toEqual(a.plays);
      expect(t.tasks.map((s) => s.banner), `task banners${context}`).toEqual(a.tasks.map((s) => s.banner));
      const clouds = { networks: Object.values(networks) };
      // Loop items name instances and groups by their ids.
      const statusLines = (section: TaskSection) => statuses(section).map((line) => normalizeValue(line, clouds));
      a.tasks.forEach((section, i) => {
        expect.soft(statusLines(t.tasks[i]!), `statuses of ${section.banner}${context}`).toEqual(statusLines(section));
      });
      expect.soft(outline(tsplay.stdout, clouds), `the output${context}`).toEqual(outline(ansible.stdout, clouds));
      expect.soft(warnings(tsplay.stderr).map((w) => normalizeValue(w, clouds)), `warnings${context}`).toEqual(warnings(ansible.stderr).map((w) => normalizeValue(w, clouds)));
      expect(Object.keys(tsplay.results).sort(), 'results written').toEqual(Object.keys(ansible.results).sort());
      for (const [file, result] of Object.entries(ansible.results)) {
        const known = Object.keys(spec.differences[file] ?? {});
        const compared = (lines: string[]) => lines.filter((line) => !known.some((path) => line.startsWith(`${path}: `)));
        expect.soft(compared(resultLines(tsplay.results[file], clouds)), `results/${file}`).toEqual(compared(resultLines(result, clouds)));
      }
    });
  }
});
