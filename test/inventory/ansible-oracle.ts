// Running the real Ansible tools (the oracle) from tests, and normalising their output
// so that it can be compared with tsplay's: paths made relative to the fixtures, warnings
// unwrapped, JSON key order ignored.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const EXPECTED = join(dirname(fileURLToPath(import.meta.url)), 'expected');

export interface ToolResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Run an Ansible CLI (ansible, ansible-inventory, ansible-config...) without colour. */
export async function runAnsible(tool: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<ToolResult> {
  const env = {
    ...process.env,
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_CONFIG: join(FIXTURES, 'ansible.cfg'),
    ANSIBLE_LOCAL_TEMP: '/tmp/tsplay-test-ansible-tmp',
    ...options.env,
  };
  try {
    const { stdout, stderr } = await run(tool, [...args], { cwd: options.cwd ?? FIXTURES, env, maxBuffer: 64 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    if (typeof e.code !== 'number') throw err;
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code };
  }
}

/** The Python that runs Ansible (from the ansible-inventory shebang), for API-level oracles. */
export function ansiblePython(): string {
  const which = ['/usr/bin/ansible-inventory', '/usr/local/bin/ansible-inventory'];
  for (const path of which) {
    try {
      const first = readFileSync(path, 'utf8').split('\n')[0]!;
      const m = /^#!\s*(\S+)/.exec(first);
      if (m) return m[1]!;
    } catch {
      // try the next
    }
  }
  return 'python3';
}

/** Run a Python snippet with the Ansible installation's interpreter; stdout parsed as JSON. */
export async function runPython(code: string, input: unknown): Promise<unknown> {
  const child = execFile(ansiblePython(), ['-c', code], { maxBuffer: 64 << 20, cwd: FIXTURES });
  const out = new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`python exited ${code}: ${stderr}`))));
  });
  child.stdin!.end(JSON.stringify(input));
  return JSON.parse(await out);
}

/**
 * Warnings of an Ansible run as comparable strings: Ansible wraps them (breaking at
 * spaces and hyphens), so all whitespace is dropped before comparing.
 */
export function ansibleWarnings(stderr: string): string[] {
  const squeezed = stderr.replace(/\s+/g, '');
  return squeezed
    .split(/(?=\[WARNING\]:|\[DEPRECATION WARNING\]:|\[DEPRECATIONWARNING\]:|ERROR!)/)
    .filter((w) => w.startsWith('[WARNING]:'))
    .map((w) => w.slice('[WARNING]:'.length));
}

/** tsplay's warnings in the same comparable form. */
export function squeezeWarnings(warnings: readonly string[]): string[] {
  return warnings.map((w) => w.replace(/\s+/g, ''));
}

/** Replace the fixtures' absolute path, so recorded outputs do not depend on the checkout. */
export function portable<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value).split(FIXTURES).join('<FIXTURES>')) as T;
}

/** JSON round trip: drops key order and the int/float distinction JS cannot keep. */
export function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
