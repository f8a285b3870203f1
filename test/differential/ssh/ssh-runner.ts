// Runs a differential scenario over SSH: the scenario's hosts (localhost, web1, db1, ...)
// become real sshd hosts on loopback, one per inventory name, and ansible-playbook and
// tsplay each get a fresh set of them at the same addresses, with the same host keys and
// hostnames, so that both start from identical machines.
//
// How the playbooks are pointed at those hosts without editing them: a host's
// connection variables go in an inventory-adjacent host_vars file (it outranks the
// inventory's inline `ansible_connection=local`, and host variables outrank a play's
// `connection: local` keyword, in Ansible as in tsplay). A `localhost,` host list becomes
// an inventory file. Hosts the scenario already reaches over SSH (a deliberately
// unreachable one) and runtime hosts (add_host) keep their own settings.
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../../../src/inventory/index.js';
import { generateKeyPair, type KeyPair } from '../../../localcloud/host/keys.js';
import { allocateAddress, SshLab, writeKnownHosts, type Host } from '../../harness/index.js';
import { readScenario, run, TSPLAY, type RunOutput, type ScenarioSpec } from '../harness.js';

/** One inventory name of the scenario and the machine it runs on. */
interface SshTarget {
  name: string;
  address: string;
  hostKey: KeyPair;
}

export interface SshRunOutput extends RunOutput {
  /** Inventory names of the hosts whose sshd accepted a login during the run. */
  loggedIn: string[];
}

export interface SshRun {
  spec: ScenarioSpec;
  ansible: SshRunOutput;
  tsplay: SshRunOutput;
  targets: string[];
}

/** Inventory names that the scenario runs on the controller itself (local connection). */
export function localHostNames(dir: string, spec: ScenarioSpec): string[] {
  const inventory = loadInventory([spec.inventory], { cwd: dir });
  return inventory
    .getHosts('all')
    .filter((host) => {
      const connection = inventory.hostVars(host.name, [dir]).ansible_connection;
      return connection === undefined || connection === 'local';
    })
    .map((host) => host.name);
}

function yamlString(text: string): string {
  return JSON.stringify(text);
}

/** Points the copy's inventory at the targets; returns the inventory argument to use. */
function writeSshInventory(copy: string, spec: ScenarioSpec, targets: readonly SshTarget[], keyFile: string, knownHosts: string): string {
  const common = `-o UserKnownHostsFile=${knownHosts}`;
  const connectionVars = (target: SshTarget): Record<string, string | number> => ({
    ansible_connection: 'ssh',
    ansible_host: target.address,
    ansible_port: 22,
    ansible_user: 'root',
    ansible_ssh_private_key_file: keyFile,
    ansible_ssh_common_args: common,
  });
  if (!existsSync(join(copy, spec.inventory))) {
    // A host list (`localhost,`): the same hosts, as an inventory file with their variables.
    const lines = targets.map((t) => `${t.name} ${Object.entries(connectionVars(t)).map(([k, v]) => `${k}='${v}'`).join(' ')}`);
    writeFileSync(join(copy, 'ssh-inventory'), `${lines.join('\n')}\n`);
    return 'ssh-inventory';
  }
  const hostVarsDir = join(copy, 'host_vars');
  mkdirSync(hostVarsDir, { recursive: true });
  for (const target of targets) {
    const text = Object.entries(connectionVars(target)).map(([k, v]) => `${k}: ${typeof v === 'number' ? v : yamlString(v)}`).join('\n');
    const file = join(hostVarsDir, `${target.name}.yml`);
    // A scenario's own host_vars file keeps its variables; ours are appended to it.
    if (existsSync(file)) appendFileSync(file, `${readFileSync(file, 'utf8').endsWith('\n') ? '' : '\n'}${text}\n`);
    else writeFileSync(file, `${text}\n`);
  }
  return spec.inventory;
}

async function startTargets(lab: SshLab, targets: readonly SshTarget[]): Promise<Host[]> {
  return Promise.all(targets.map((t) => lab.startHost({ address: t.address, hostKeys: [t.hostKey] })));
}

/** Environment both runners share over SSH: pipelining on, host keys checked against our known_hosts. */
export const SSH_ENV: Record<string, string> = {
  ANSIBLE_PIPELINING: 'True',
  ANSIBLE_HOST_KEY_CHECKING: 'True',
  ANSIBLE_SSH_RETRIES: '0',
};

async function runOne(
  lab: SshLab,
  dir: string,
  spec: ScenarioSpec,
  targets: readonly SshTarget[],
  knownHosts: string,
  runner: (args: string[], cwd: string, env: Record<string, string>) => Promise<RunOutput>,
): Promise<SshRunOutput> {
  const copy = mkdtempSync(join(tmpdir(), 'tsplay-diff-ssh-'));
  cpSync(dir, copy, { recursive: true });
  const hosts = await startTargets(lab, targets);
  try {
    const inventory = writeSshInventory(copy, spec, targets, lab.keyFile, knownHosts);
    const output = await runner(['-i', inventory, 'playbook.yml', ...spec.args], copy, { ...spec.env, ...SSH_ENV });
    output.stdout = output.stdout.split(copy).join('<dir>');
    const loggedIn = targets.filter((_, i) => /Accepted publickey/.test(hosts[i]!.sshdLog())).map((t) => t.name);
    return { ...output, loggedIn };
  } finally {
    await Promise.all(hosts.map((host) => host.stop()));
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Runs the scenario with ansible-playbook, then with tsplay, each against fresh sshd hosts. */
export async function runBothOverSsh(lab: SshLab, dir: string): Promise<SshRun> {
  const spec = readScenario(dir);
  const targets: SshTarget[] = localHostNames(dir, spec).map((name) => ({ name, address: allocateAddress(), hostKey: generateKeyPair('ed25519', name) }));
  const knownHosts = join(lab.dir, `known_hosts-${targets.map((t) => t.address).join('-') || 'none'}`);
  writeKnownHosts(knownHosts, targets.map((t) => ({ address: t.address, port: 22, hostKeys: [t.hostKey] })));
  const ansible = await runOne(lab, dir, spec, targets, knownHosts, (args, cwd, env) => run('ansible-playbook', args, cwd, env));
  const tsplay = await runOne(lab, dir, spec, targets, knownHosts, (args, cwd, env) => run(process.execPath, [TSPLAY, ...args], cwd, env));
  return { spec, ansible, tsplay, targets: targets.map((t) => t.name) };
}
