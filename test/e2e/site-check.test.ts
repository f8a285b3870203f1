// playbooks/site.yml with --check on two fresh isolated hosts: tsplay reports what the
// deploy would change and changes nothing; ansible-playbook, run next on the same
// (still fresh) hosts, prints the same tasks, results and recap.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshLab, type Host } from '../harness/index.js';
import { comparable, machineProblem, runSite, SampleAppRepo, WEB_PLAY_ONLY, writeSiteInventory, type SiteInventory, type SiteRun } from './site-lab.js';

/** What the web roles would create; a check run must leave every one of them absent. */
const CREATED_PATHS = ['srv/bdash', 'opt/rbenv', 'etc/default/bdash', 'etc/init.d/unicorn_bdash', 'etc/nginx/sites-enabled/bdash.conf', 'etc/profile.d/rbenv.sh', 'home/bdash'];

async function expectUntouched(host: Host): Promise<void> {
  for (const path of CREATED_PATHS) expect(existsSync(join(host.root, path)), `${host.hostname}: /${path}`).toBe(false);
  expect(existsSync(join(host.root, 'etc/nginx/sites-enabled/default'))).toBe(true);
  expect((await host.exec('getent passwd bdash')).rc).not.toBe(0);
  // Nothing was started: no nginx, no unicorn.
  expect((await host.exec('ps -eo comm=')).stdout.split('\n')).not.toEqual(expect.arrayContaining([expect.stringMatching(/^(nginx|ruby|unicorn)/)]));
}

function expectChangesReported(runOutput: SiteRun): void {
  expect(runOutput.code, `${runOutput.stdout}\n${runOutput.stderr}`).toBe(0);
  for (const name of ['web1', 'web2']) {
    expect(runOutput.parsed.recap[name]).toMatchObject({ failed: 0, unreachable: 0 });
    expect(runOutput.parsed.recap[name]!.changed).toBeGreaterThan(20);
  }
}

describe('playbooks/site.yml --check on fresh hosts', () => {
  let lab: SshLab;
  let repo: SampleAppRepo;
  let hosts: Host[] = [];
  let inventory: SiteInventory;

  beforeAll(async () => {
    const problem = machineProblem();
    if (problem) throw new Error(problem);
    lab = SshLab.create();
    repo = await SampleAppRepo.create();
    hosts = await Promise.all([lab.startHost({ hostname: 'web1' }), lab.startHost({ hostname: 'web2' })]);
    inventory = writeSiteInventory(lab, hosts, repo, 'check-mode password');
  });

  afterAll(async () => {
    await lab?.stop();
    repo?.stop();
    if (inventory) rmSync(inventory.dir, { recursive: true, force: true });
  });

  it('reports the changes and changes nothing, as ansible-playbook does', async () => {
    const tsplay = await runSite('tsplay', inventory, [...WEB_PLAY_ONLY, '--check']);
    expectChangesReported(tsplay);
    // The release test has nothing to test in check mode; the deploy would make a release.
    expect(tsplay.parsed.tasks.find((t) => t.banner === 'TASK [release-test : Ask the app for its health through nginx]')?.lines.sort()).toEqual(['skipping: [web1]', 'skipping: [web2]']);
    expect(tsplay.parsed.tasks.find((t) => t.banner === 'TASK [deploy : Point current at the new release]')?.lines.sort()).toEqual(['changed: [web1]', 'changed: [web2]']);
    for (const host of hosts) await expectUntouched(host);

    const ansible = await runSite('ansible-playbook', inventory, [...WEB_PLAY_ONLY, '--check']);
    expectChangesReported(ansible);
    for (const host of hosts) await expectUntouched(host);
    expect(tsplay.parsed.recap).toEqual(ansible.parsed.recap);
    expect(comparable(tsplay)).toEqual(comparable(ansible));
  }, 600_000);
});
