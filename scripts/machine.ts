// What this machine must have before the article's web roles can run on hosts that are
// overlays of its root (the local cloud's instances, the tests' sshd hosts): the Debian
// packages those roles install, and port 80 free on every address for each host's nginx.
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';

/** Every Debian package the web roles install (rbenv, nginx, deploy, config-db, bundle, unicorn). */
export const ROLE_PACKAGES = ['rbenv', 'ruby', 'bundler', 'nginx', 'git', 'sqlite3', 'ruby-rack', 'ruby-sinatra', 'ruby-sqlite3', 'rake', 'unicorn'];

/** The packages among `names` that dpkg does not list as installed. */
export function missingPackages(names: readonly string[]): string[] {
  return names.filter((name) => {
    try {
      return !execFileSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().startsWith('ii');
    } catch {
      return true;
    }
  });
}

/** The role packages dpkg does not list as installed. */
export function missingRolePackages(): string[] {
  return missingPackages(ROLE_PACKAGES);
}

/**
 * apt-get install of `names` (as root). nginx's package starts it on every address's port
 * 80, where each host runs its own: it is stopped again.
 */
export function installPackages(names: readonly string[], output: 'inherit' | 'quiet'): void {
  const apt: ExecFileSyncOptions = {
    stdio: output === 'inherit' ? 'inherit' : ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  };
  execFileSync('apt-get', ['update', '-qq'], apt);
  execFileSync('apt-get', ['install', '-y', '-qq', ...names], apt);
  for (const [command, args] of [['service', ['nginx', 'stop']], ['pkill', ['-x', 'nginx']]] as const) {
    try {
      execFileSync(command, args, { stdio: 'ignore' });
    } catch {
      // Not running: nothing to stop.
    }
  }
}

/** Why the hosts' nginx could not bind their own port 80, or undefined. */
export function port80Problem(): string | undefined {
  const listeners = execFileSync('ss', ['-Hltn'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  if (/(^|\s)(0\.0\.0\.0|\*|\[::\]):80\s/m.test(listeners)) {
    return "something on this machine listens on every address's port 80 (nginx started by its package?): the hosts' nginx cannot bind their own";
  }
  return undefined;
}
