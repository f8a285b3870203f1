// Runs once before the suite: the tests drive real programs (ansible-playbook, sshd, sudo,
// nginx, tmux, chromium...), listed in .ci/debian-packages. On a fresh machine `npm test`
// installs the missing ones itself when it runs as root (as .ci/run does), so the README's
// test command works as written; otherwise it says which are missing and the tests that
// need them fail with their own messages.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIST = join(import.meta.dirname, '..', '.ci', 'debian-packages');

function installed(name: string): boolean {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().startsWith('ii');
  } catch {
    return false;
  }
}

function quietly(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // Nothing to stop.
  }
}

export default function setup(): void {
  const wanted = readFileSync(LIST, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .flatMap((line) => line.split(/\s+/))
    .filter(Boolean);
  const missing = wanted.filter((name) => !installed(name));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    process.stderr.write(`tests: these Debian packages are missing (install them as root, or run .ci/run): ${missing.join(' ')}\n`);
    return;
  }
  process.stderr.write(`tests: installing the Debian packages the tests need: ${missing.join(' ')}\n`);
  const apt = { stdio: ['ignore', 'ignore', 'inherit'] as ('ignore' | 'inherit')[], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  execFileSync('apt-get', ['update', '-qq'], apt);
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], apt);
  // nginx's package may start it on every address's port 80: the test hosts run their own.
  quietly('service', ['nginx', 'stop']);
  quietly('pkill', ['-x', 'nginx']);
}
