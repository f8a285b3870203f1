// Ansible's own module run against an isolated host over SSH (`ansible HOST -m MODULE`
// with the json callback), to compare its result with tsplay's on the same target.
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import type { ModuleResult } from '../../../src/modules/module.js';
import type { Host, SshLab } from '../../harness/index.js';
import { normalizeResult } from '../oracle.js';

const exec = promisify(execFile);

export async function runAnsible(lab: SshLab, host: Host, module: string, args: Record<string, unknown>, options: { check?: boolean; diff?: boolean } = {}): Promise<ModuleResult> {
  const argv = [
    'all',
    '-i', `${host.hostname},`,
    '-e', JSON.stringify({ ansible_host: host.address, ansible_port: host.port, ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ansible_python_interpreter: '/usr/bin/python3' }),
    '-m', module,
    ...(Object.keys(args).length ? ['-a', JSON.stringify(args)] : []),
    ...(options.check ? ['--check'] : []),
    ...(options.diff ? ['--diff'] : []),
  ];
  const { stdout } = await exec('ansible', argv, {
    env: {
      ...process.env,
      ANSIBLE_LOAD_CALLBACK_PLUGINS: '1',
      ANSIBLE_STDOUT_CALLBACK: 'json',
      ANSIBLE_HOST_KEY_CHECKING: 'False',
      ANSIBLE_NOCOLOR: '1',
    },
    // Away from the repository's ansible.cfg: Ansible's defaults.
    cwd: tmpdir(),
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    if (!error.stdout) throw new Error(`ansible failed: ${error.stderr ?? String(error)}`);
    return { stdout: error.stdout };
  });
  const parsed = JSON.parse(stdout) as { plays: { tasks: { hosts: Record<string, ModuleResult> }[] }[] };
  const result = parsed.plays[0]!.tasks[0]!.hosts[host.hostname]!;
  return normalizeResult(result, '') as ModuleResult;
}
