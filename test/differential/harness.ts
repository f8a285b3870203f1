// Runs one scenario through ansible-playbook and tsplay, on copies of the scenario
// directory, with the same inventory, arguments and environment.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
export const TSPLAY = join(REPO, 'bin/tsplay.js');
export const SCENARIOS = join(REPO, 'test/differential/scenarios');

export interface ScenarioSpec {
  /** Extra command-line arguments (after the playbook). */
  args: string[];
  /** Inventory file name inside the scenario, or a host list. */
  inventory: string;
  /** Compare full result lines (default) or only statuses. */
  compare: 'lines' | 'status';
  /** Extra environment for both runs. */
  env: Record<string, string>;
}

export interface RunOutput {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function readScenario(dir: string): ScenarioSpec {
  const spec: ScenarioSpec = { args: [], inventory: 'localhost,', compare: 'lines', env: {} };
  const argsFile = join(dir, 'args.json');
  if (existsSync(argsFile)) spec.args = JSON.parse(readFileSync(argsFile, 'utf8')) as string[];
  if (existsSync(join(dir, 'inventory'))) spec.inventory = 'inventory';
  const specFile = join(dir, 'scenario.json');
  if (existsSync(specFile)) Object.assign(spec, JSON.parse(readFileSync(specFile, 'utf8')) as Partial<ScenarioSpec>);
  return spec;
}

export function run(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<RunOutput> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: {
        ...process.env,
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_FORCE_COLOR: '0',
        ANSIBLE_HOST_KEY_CHECKING: 'False',
        ANSIBLE_RETRY_FILES_ENABLED: '0',
        ANSIBLE_DEPRECATION_WARNINGS: '0',
        ANSIBLE_LOCALHOST_WARNING: '0',
        ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
        TSPLAY_NO_HISTORY: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** Copy the scenario so each runner starts from the same files. */
function workCopy(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'tsplay-diff-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

export async function runBoth(dir: string, extraArgs: string[] = [], extraEnv: Record<string, string> = {}) {
  const spec = readScenario(dir);
  const args = ['-i', spec.inventory, 'playbook.yml', ...spec.args, ...extraArgs];
  const env = { ...spec.env, ...extraEnv };
  const ansibleDir = workCopy(dir);
  const tsplayDir = workCopy(dir);
  try {
    const ansible = await run('ansible-playbook', args, ansibleDir, env);
    const tsplay = await run(process.execPath, [TSPLAY, ...args], tsplayDir, env);
    // Paths of the work copies show in some results (playbook_dir, included files).
    ansible.stdout = ansible.stdout.split(ansibleDir).join('<dir>');
    tsplay.stdout = tsplay.stdout.split(tsplayDir).join('<dir>');
    return { spec, ansible, tsplay };
  } finally {
    rmSync(ansibleDir, { recursive: true, force: true });
    rmSync(tsplayDir, { recursive: true, force: true });
  }
}
