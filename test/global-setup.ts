// Runs once before the suite: the tests drive real programs (ansible-playbook, sshd, sudo,
// nginx, tmux, chromium...), listed in .ci/debian-packages. On a fresh machine `npm test`
// installs the missing ones itself when it runs as root (as .ci/run does), so the README's
// test command works as written; otherwise it says which are missing and the tests that
// need them fail with their own messages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installPackages, missingPackages } from '../scripts/machine.js';

const LIST = join(import.meta.dirname, '..', '.ci', 'debian-packages');

export default function setup(): void {
  const wanted = readFileSync(LIST, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .flatMap((line) => line.split(/\s+/))
    .filter(Boolean);
  const missing = missingPackages(wanted);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    process.stderr.write(`tests: these Debian packages are missing (install them as root, or run .ci/run): ${missing.join(' ')}\n`);
    return;
  }
  process.stderr.write(`tests: installing the Debian packages the tests need: ${missing.join(' ')}\n`);
  installPackages(missing, 'quiet');
}
