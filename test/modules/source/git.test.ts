// git on the local connection against a bare repository in a temp dir, served by
// file:// and by `git daemon` on loopback: clone, idempotence, versions (branch, tag,
// commit), check mode, --diff, local modifications, remote URL changes, depth, and the
// result keys Ansible returns (compared with Ansible's git module on the same steps).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitModule } from '../../../src/modules/core/source/git.js';
import { runModule, tempDir, testContext } from '../helpers.js';
import { runOracle } from '../oracle.js';

const { dir, cleanup } = tempDir('tsplay-git-');
const upstream = join(dir, 'upstream.git');
const sh = (script: string) => execFileSync('/bin/sh', ['-ec', script], { cwd: dir, env: { ...process.env, GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z' } }).toString().trim();
let first = '';
let second = '';
let daemon: ChildProcess | undefined;
const daemonPort = 19400 + Math.floor(Math.random() * 500);

beforeAll(async () => {
  sh(`git init -q -b main src && cd src && git config user.email t@example.com && git config user.name t
echo one > app.txt && git add app.txt && git commit -qm one && git tag v1
echo two > app.txt && git commit -qam two && git branch stable HEAD~1
cd .. && git clone -q --bare src upstream.git && touch upstream.git/git-daemon-export-ok`);
  first = sh('git -C src rev-parse HEAD~1');
  second = sh('git -C src rev-parse HEAD');
  daemon = spawn('git', ['daemon', '--reuseaddr', `--base-path=${dir}`, '--listen=127.0.0.1', `--port=${daemonPort}`, '--export-all', dir], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      execFileSync('git', ['ls-remote', `git://127.0.0.1:${daemonPort}/upstream.git`], { stdio: 'ignore' });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

afterAll(() => {
  daemon?.kill();
  cleanup();
});

const git = (args: Record<string, unknown>, options: { check?: boolean; diff?: boolean } = {}) => runModule(gitModule, args, testContext({ checkMode: options.check ?? false, diffMode: options.diff ?? false }));

describe('git', () => {
  it('clones: check mode reports the remote head and creates nothing, then cloned, then ok', async () => {
    const dest = join(dir, 'co1');
    const check = await git({ repo: upstream, dest }, { check: true, diff: true });
    expect(check).toEqual({ changed: true, before: null, after: second, diff: { prepared: `>> Newly checked out ${second}` } });
    expect(existsSync(dest)).toBe(false);
    const cloned = await git({ repo: upstream, dest });
    expect(cloned).toEqual({ changed: true, before: null, after: second });
    expect(readFileSync(join(dest, 'app.txt'), 'utf8')).toBe('two\n');
    expect(await git({ repo: upstream, dest })).toEqual({ changed: false, before: second, after: second, remote_url_changed: false });
  });

  it('switches versions: tag, branch, commit, with a git diff under --diff', async () => {
    const dest = join(dir, 'co1');
    const tagged = await git({ repo: upstream, dest, version: 'v1' }, { diff: true });
    expect(tagged).toMatchObject({ changed: true, before: second, after: first });
    expect((tagged.diff as { prepared: string }).prepared).toContain('-two\n+one');
    expect(await git({ repo: upstream, dest, version: 'stable' })).toMatchObject({ changed: false, after: first });
    expect(await git({ repo: upstream, dest, version: second })).toMatchObject({ changed: true, after: second });
    expect(await git({ repo: upstream, dest, version: 'main' }, { check: true })).toMatchObject({ changed: false, after: second });
  });

  it('refuses local modifications unless force, and resets them with force', async () => {
    const dest = join(dir, 'co1');
    writeFileSync(join(dest, 'app.txt'), 'local edit\n');
    const refused = await git({ repo: upstream, dest });
    expect(refused).toEqual({ changed: false, failed: true, before: second, msg: `Local modifications exist in the destination: ${dest} (force=no).` });
    const forced = await git({ repo: upstream, dest, force: true });
    expect(forced).toMatchObject({ changed: true, before: second, after: second, msg: `Local modifications exist in the destination: ${dest}` });
    expect(readFileSync(join(dest, 'app.txt'), 'utf8')).toBe('two\n');
  });

  it('follows a new remote URL (git daemon on loopback) and reports it', async () => {
    const dest = join(dir, 'co1');
    const url = `git://127.0.0.1:${daemonPort}/upstream.git`;
    const moved = await git({ repo: url, dest });
    expect(moved).toMatchObject({ changed: true, remote_url_changed: true, before: second, after: second });
    expect(sh(`git -C ${dest} remote get-url origin`)).toBe(url);
  });

  it('makes shallow clones of a branch', async () => {
    const dest = join(dir, 'shallow');
    expect(await git({ repo: `file://${upstream}`, dest, depth: 1, version: 'stable' })).toMatchObject({ changed: true, after: first });
    expect(sh(`git -C ${dest} rev-list --count HEAD`)).toBe('1');
    expect(await git({ repo: `file://${upstream}`, dest, depth: 1, version: 'stable' })).toMatchObject({ changed: false });
  });

  it('update: false and clone: false only report', async () => {
    const dest = join(dir, 'co1');
    expect(await git({ repo: upstream, dest, version: 'v1', update: false })).toEqual({ changed: false, before: second, after: second });
    expect(await git({ repo: upstream, clone: false, version: 'v1' })).toEqual({ changed: true, before: null, after: first });
  });

  it('gives the results Ansible gives for the same steps', async () => {
    const run = await runOracle('git', {
      setup: `git clone -q --bare ${dir}/src $WORK/up.git`,
      steps: [
        { module: gitModule, args: { repo: '$WORK/up.git', dest: '$WORK/co' }, check: true },
        { module: gitModule, args: { repo: '$WORK/up.git', dest: '$WORK/co' } },
        { module: gitModule, args: { repo: '$WORK/up.git', dest: '$WORK/co' } },
        { module: gitModule, args: { repo: '$WORK/up.git', dest: '$WORK/co', version: 'v1' } },
        { module: gitModule, args: { repo: '$WORK/up.git', dest: '$WORK/co', version: 'stable', depth: 1 } },
      ],
    });
    expect(run.tsplay).toEqual(run.ansible);
  });
});
