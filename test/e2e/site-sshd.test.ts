// Issue 5's goal, end to end: the article's playbooks/site.yml (the web play; the ec2 play
// has only untagged tasks and is skipped with --skip-tags untagged) installs and starts the
// sample app on two isolated sshd hosts, each with a root filesystem of its own: rbenv,
// nginx on the host's address, unicorn, the release test through nginx. tsplay and
// ansible-playbook each configure their own pair of fresh hosts at the same time and must
// print the same tasks, results and recap; the second run changes nothing for either. Then
// tsplay alone: the migration runs once, a new commit becomes a new release, and a release
// that does not answer fails the run.
import { readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshLab, type Host } from '../harness/index.js';
import { comparable, httpGet, machineProblem, runSite, SampleAppRepo, WEB_PLAY_ONLY, writeSiteInventory, type SiteInventory, type SiteRun } from './site-lab.js';

const DB_PASSWORD = "vault'd \"pw\" $(not run)";
const MIGRATE = ['-t', 'migrate-db', '-e', JSON.stringify({ migrate_db_cli: 'bundle exec rake db:migrate' })];
const REDEPLOY = ['-t', 'deploy,bundle,unicorn,release-test', '-e', 'deploy_keep_releases=2'];

function banner(runOutput: SiteRun, title: string) {
  const task = runOutput.parsed.tasks.find((t) => t.banner === title);
  expect(task, `no "${title}" in\n${runOutput.stdout}`).toBeDefined();
  return task!;
}

async function health(host: Host): Promise<Record<string, unknown>> {
  const answer = await httpGet(`http://${host.address}/health`);
  expect(answer.status, answer.body).toBe(200);
  return JSON.parse(answer.body) as Record<string, unknown>;
}

/** The REVISION of the release `current` points at (read inside the host: the link is absolute). */
async function currentRevision(host: Host): Promise<string> {
  return (await host.exec('cat /srv/bdash/current/REVISION')).stdout.trim();
}

function releases(host: Host): string[] {
  return readdirSync(join(host.root, 'srv/bdash/releases')).sort();
}

describe('playbooks/site.yml on two isolated sshd hosts', () => {
  let lab: SshLab;
  let repo: SampleAppRepo;
  let tsplayHosts: Host[] = [];
  let ansibleHosts: Host[] = [];
  let tsplayInventory: SiteInventory;
  let ansibleInventory: SiteInventory;
  let firstCommit = '';

  beforeAll(async () => {
    const problem = machineProblem();
    if (problem) throw new Error(problem);
    lab = SshLab.create();
    repo = await SampleAppRepo.create();
    firstCommit = repo.head();
    const start = (name: string) => lab.startHost({ hostname: name });
    tsplayHosts = await Promise.all([start('web1'), start('web2')]);
    ansibleHosts = await Promise.all([start('web1'), start('web2')]);
    tsplayInventory = writeSiteInventory(lab, tsplayHosts, repo, DB_PASSWORD);
    ansibleInventory = writeSiteInventory(lab, ansibleHosts, repo, DB_PASSWORD);
  });

  afterAll(async () => {
    await lab?.stop();
    repo?.stop();
    for (const inventory of [tsplayInventory, ansibleInventory]) if (inventory) rmSync(inventory.dir, { recursive: true, force: true });
  });

  it('installs and starts the app on each host as ansible-playbook does; the release test passes', async () => {
    const [tsplay, ansible] = await Promise.all([runSite('tsplay', tsplayInventory, WEB_PLAY_ONLY), runSite('ansible-playbook', ansibleInventory, WEB_PLAY_ONLY)]);
    expect(ansible.code, `${ansible.stdout}\n${ansible.stderr}`).toBe(0);
    expect(tsplay.code, `${tsplay.stdout}\n${tsplay.stderr}`).toBe(0);
    expect(tsplay.parsed.recap).toEqual(ansible.parsed.recap);
    expect(comparable(tsplay)).toEqual(comparable(ansible));
    for (const name of ['web1', 'web2']) {
      expect(tsplay.parsed.recap[name]).toMatchObject({ failed: 0, unreachable: 0 });
      expect(tsplay.parsed.recap[name]!.changed).toBeGreaterThan(20);
    }
    expect(banner(tsplay, 'TASK [release-test : Ask the app for its health through nginx]').lines.sort()).toEqual(['ok: [web1]', 'ok: [web2]']);

    for (const host of [...tsplayHosts, ...ansibleHosts]) {
      // Each host's own nginx answers on its own address, with its own hostname.
      expect(await health(host)).toMatchObject({ status: 'ok', revision: firstCommit, hostname: host.hostname, environment: 'stg', schema_version: 0 });
      // ...from its own root filesystem.
      expect(readlinkSync(join(host.root, 'srv/bdash/current'))).toMatch(/^\/srv\/bdash\/releases\/\d{14}$/);
      expect(await currentRevision(host)).toBe(firstCommit);
      // The password came out of the vault into database.yml, readable by the app only.
      const databaseYml = join(host.root, 'srv/bdash/shared/config/database.yml');
      expect(readFileSync(databaseYml, 'utf8')).toContain(`password: ${JSON.stringify(DB_PASSWORD)}`);
      expect(statSync(databaseYml).mode & 0o777).toBe(0o640);
      // unicorn runs as the app's user; rbenv's shim resolves the registered system Ruby.
      const owner = await host.exec("ps -o user= -p \"$(cat /srv/bdash/shared/tmp/pids/unicorn.pid)\"");
      expect(owner.stdout.trim()).toBe('bdash');
      expect((await host.exec('RBENV_ROOT=/opt/rbenv /opt/rbenv/shims/ruby -e "print RUBY_VERSION"')).stdout).toMatch(/^3\.1\./);
    }
    // A password never shows in the output.
    expect(tsplay.stdout).not.toContain('not run');
  }, 600_000);

  it('changes nothing on a second run, with either tool', async () => {
    const [tsplay, ansible] = await Promise.all([runSite('tsplay', tsplayInventory, WEB_PLAY_ONLY), runSite('ansible-playbook', ansibleInventory, WEB_PLAY_ONLY)]);
    expect(ansible.code, ansible.stdout).toBe(0);
    expect(tsplay.code, `${tsplay.stdout}\n${tsplay.stderr}`).toBe(0);
    for (const name of ['web1', 'web2']) {
      expect(ansible.parsed.recap[name]).toMatchObject({ changed: 0, failed: 0 });
      expect(tsplay.parsed.recap[name]).toMatchObject({ changed: 0, failed: 0 });
    }
    expect(tsplay.parsed.recap).toEqual(ansible.parsed.recap);
    expect(comparable(tsplay)).toEqual(comparable(ansible));
  }, 600_000);

  it('runs the migration when migrate_db_cli is given, once', async () => {
    const first = await runSite('tsplay', tsplayInventory, [...WEB_PLAY_ONLY, ...MIGRATE]);
    expect(first.code, first.stdout).toBe(0);
    expect(banner(first, 'TASK [migrate-db : Migrate the database]').lines.sort()).toEqual(['changed: [web1]', 'changed: [web2]']);
    const again = await runSite('tsplay', tsplayInventory, [...WEB_PLAY_ONLY, ...MIGRATE]);
    expect(again.code, again.stdout).toBe(0);
    expect(banner(again, 'TASK [migrate-db : Migrate the database]').lines.sort()).toEqual(['ok: [web1]', 'ok: [web2]']);
    for (const host of tsplayHosts) {
      expect(await health(host)).toMatchObject({ schema_version: 20240601000000 });
      const created = await fetch(`http://${host.address}/notes`, { method: 'POST', body: `hello from ${host.hostname}` });
      expect(created.status).toBe(201);
      const notes = JSON.parse((await httpGet(`http://${host.address}/notes`)).body) as { notes: { body: string }[] };
      // Each host has its own database.
      expect(notes.notes.map((n) => n.body)).toEqual([`hello from ${host.hostname}`]);
    }
  }, 300_000);

  it('deploys a new commit into a new release and restarts unicorn', async () => {
    const before = releases(tsplayHosts[0]!);
    const second = await repo.commit('a visible change', (work) => writeFileSync(join(work, 'public', 'version.txt'), '2\n'));
    const deploy = await runSite('tsplay', tsplayInventory, [...WEB_PLAY_ONLY, ...REDEPLOY]);
    expect(deploy.code, deploy.stdout).toBe(0);
    expect(banner(deploy, 'RUNNING HANDLER [unicorn : restart unicorn]').lines.sort()).toEqual(['changed: [web1]', 'changed: [web2]']);
    expect(deploy.stdout).toContain(`"msg": "web1 runs ${second}"`);
    for (const host of tsplayHosts) {
      expect(await health(host)).toMatchObject({ revision: second, hostname: host.hostname });
      expect((await httpGet(`http://${host.address}/version.txt`)).body).toBe('2\n');
      expect(releases(host)).toEqual([...before, expect.stringMatching(/^\d{14}$/)]);
      expect(await currentRevision(host)).toBe(second);
    }
  }, 300_000);

  it('fails the run when the new release does not answer; keeps deploy_keep_releases releases', async () => {
    const before = releases(tsplayHosts[0]!);
    const broken = await repo.commit('a release that cannot boot', (work) => writeFileSync(join(work, 'config.ru'), "raise 'this release cannot boot'\n"));
    const deploy = await runSite('tsplay', tsplayInventory, [...WEB_PLAY_ONLY, ...REDEPLOY, '-e', 'release_test_retries=1']);
    expect(deploy.code, deploy.stdout).toBe(2);
    const test = banner(deploy, 'TASK [release-test : Ask the app for its health through nginx]');
    expect(test.lines.filter((line) => line.startsWith('fatal: [')).map((line) => line.slice(0, 13)).sort()).toEqual(['fatal: [web1]', 'fatal: [web2]']);
    for (const name of ['web1', 'web2']) expect(deploy.parsed.recap[name]).toMatchObject({ failed: 1 });
    for (const host of tsplayHosts) {
      expect(await currentRevision(host)).toBe(broken);
      expect(readFileSync(join(host.root, 'srv/bdash/shared/log/unicorn.stderr.log'), 'utf8')).toContain('this release cannot boot');
      // Two releases kept (deploy_keep_releases=2): the oldest went.
      const kept = releases(host);
      expect(kept).toHaveLength(2);
      expect(kept[0]).toBe(before[1]);
    }
  }, 300_000);
});
