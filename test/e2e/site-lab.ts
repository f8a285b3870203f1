// What the playbooks/site.yml end-to-end tests share: the sample app in a git repository
// that `git daemon` serves on loopback (the hosts share this machine's network), an
// inventory of isolated sshd hosts with the database password in an Ansible Vault file,
// runners for tsplay and ansible-playbook, and the checks the machine must pass first
// (the hosts are overlays of its root: the Debian packages the roles install must be there).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, REPO, TSPLAY, type RunOutput } from '../differential/harness.js';
import { parseDefaultOutput } from '../differential/output-parser.js';
import { missingRolePackages, port80Problem } from '../../scripts/machine.js';
import type { Host, SshLab } from '../harness/index.js';

export { REPO };

/** Why the machine cannot run the site tests, or undefined when it can. */
export function machineProblem(): string | undefined {
  const missing = missingRolePackages();
  if (missing.length) return `the test hosts are overlays of this machine: install ${missing.join(' ')} (apt-get install) first`;
  return port80Problem();
}

/** A TCP port nothing listens on right now, on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** sample-app/ as the only content of a git repository, served by git daemon. */
export class SampleAppRepo {
  private commits = 0;

  private constructor(
    readonly dir: string,
    readonly url: string,
    private readonly daemon: ChildProcess,
  ) {}

  get workTree(): string {
    return join(this.dir, 'work');
  }

  static async create(): Promise<SampleAppRepo> {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-site-repo-'));
    const work = join(dir, 'work');
    cpSync(join(REPO, 'sample-app'), work, { recursive: true });
    execFileSync('git', ['init', '-q', '-b', 'main', work]);
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(dir, 'bdash.git')]);
    const port = await freePort();
    const daemon = spawn('git', ['daemon', '--reuseaddr', `--base-path=${dir}`, '--listen=127.0.0.1', `--port=${port}`, '--export-all', dir], { stdio: 'ignore' });
    const repo = new SampleAppRepo(dir, `git://127.0.0.1:${port}/bdash.git`, daemon);
    await repo.commit('the sample app');
    for (let i = 0; ; i++) {
      try {
        execFileSync('git', ['ls-remote', repo.url], { stdio: 'ignore' });
        break;
      } catch (error) {
        if (i > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return repo;
  }

  /** Commits the work tree (after `change` edits it) and pushes it; returns the commit. */
  async commit(message: string, change: (workTree: string) => void = () => undefined): Promise<string> {
    change(this.workTree);
    this.commits += 1;
    const date = `2024-06-${String(this.commits).padStart(2, '0')}T00:00:00Z`;
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', this.workTree, '-c', 'user.name=tsplay', '-c', 'user.email=tsplay@example.com', ...args], {
        env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      })
        .toString()
        .trim();
    git('add', '-A');
    git('commit', '-q', '-m', message);
    git('push', '-q', join(this.dir, 'bdash.git'), 'main');
    return git('rev-parse', 'HEAD');
  }

  /** The commit the repository's main branch is at. */
  head(): string {
    return execFileSync('git', ['-C', this.workTree, 'rev-parse', 'HEAD']).toString().trim();
  }

  stop(): void {
    this.daemon.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface SiteInventory {
  /** The inventory directory (hosts, group_vars). */
  dir: string;
  vaultPasswordFile: string;
}

/**
 * An inventory of web1, web2... (group webserver) on the given hosts, reached as `ops`
 * (passwordless sudo, as ec2-user on EC2) with host keys checked, and the variables the web
 * roles need. The database password lives in a vault file encrypted by ansible-vault.
 */
export function writeSiteInventory(lab: SshLab, hosts: readonly Host[], repo: SampleAppRepo, dbPassword: string): SiteInventory {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-site-inventory-'));
  const knownHosts = join(dir, 'known_hosts');
  lab.trust(hosts, { file: knownHosts });
  writeFileSync(join(dir, 'hosts'), `[webserver]\n${hosts.map((host) => `${host.hostname} ansible_host=${host.address}`).join('\n')}\n`);
  mkdirSync(join(dir, 'group_vars', 'webserver'), { recursive: true });
  writeFileSync(
    join(dir, 'group_vars', 'all.yml'),
    [
      'ansible_user: ops',
      `ansible_ssh_private_key_file: ${lab.keyFile}`,
      `ansible_ssh_common_args: -o UserKnownHostsFile=${knownHosts}`,
      'ansible_pipelining: true',
      'service_name: bdash',
      `deploy_repo: ${repo.url}`,
      'db_password: "{{ vault_db_password }}"',
      '',
    ].join('\n'),
  );
  const vaultFile = join(dir, 'group_vars', 'webserver', 'vault.yml');
  writeFileSync(vaultFile, `vault_db_password: ${JSON.stringify(dbPassword)}\n`);
  const vaultPasswordFile = join(dir, 'vault-password');
  writeFileSync(vaultPasswordFile, 'site e2e vault password\n', { mode: 0o600 });
  execFileSync('ansible-vault', ['encrypt', '--vault-password-file', vaultPasswordFile, vaultFile], { stdio: 'ignore' });
  return { dir, vaultPasswordFile };
}

export type Tool = 'tsplay' | 'ansible-playbook';

export interface SiteRun extends RunOutput {
  parsed: ReturnType<typeof parseDefaultOutput>;
}

/** Runs playbooks/site.yml from the repository's root, as a user would. */
export async function runSite(tool: Tool, inventory: SiteInventory, args: readonly string[], env: Record<string, string> = {}): Promise<SiteRun> {
  const argv = ['-i', inventory.dir, 'playbooks/site.yml', '--vault-password-file', inventory.vaultPasswordFile, ...args];
  const settings = { ANSIBLE_HOST_KEY_CHECKING: 'True', ...env };
  const output = tool === 'tsplay' ? await run(process.execPath, [TSPLAY, ...argv], REPO, settings) : await run('ansible-playbook', argv, REPO, settings);
  return { ...output, parsed: parseDefaultOutput(output.stdout) };
}

/** The arguments of the article's deploy on hosts that exist already: play 1 (ec2) has only untagged tasks. */
export const WEB_PLAY_ONLY = ['-e', 'project_env=stg', '--skip-tags', 'untagged'];

/** Task banners with their result lines, in an order that does not depend on which host answered first. */
export function comparable(runOutput: SiteRun): string[] {
  return runOutput.parsed.tasks.map((task) => [task.banner, ...[...task.lines].sort()].join('\n'));
}

/** GET over HTTP; resolves with the status and the body. */
export async function httpGet(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.text() };
}
