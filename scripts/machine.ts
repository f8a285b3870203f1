// What this machine must have before the article's web roles can run on hosts that are
// overlays of its root (the local cloud's instances, the tests' sshd hosts): the Debian
// packages those roles install, and port 80 free on every address for each host's nginx.
import { execFileSync } from 'node:child_process';

/** Every Debian package the web roles install (rbenv, nginx, deploy, config-db, bundle, unicorn). */
export const ROLE_PACKAGES = ['rbenv', 'ruby', 'bundler', 'nginx', 'git', 'sqlite3', 'ruby-rack', 'ruby-sinatra', 'ruby-sqlite3', 'rake', 'unicorn'];

/** The role packages dpkg does not list as installed. */
export function missingRolePackages(): string[] {
  return ROLE_PACKAGES.filter((name) => {
    try {
      return !execFileSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().startsWith('ii');
    } catch {
      return true;
    }
  });
}

/** Why the hosts' nginx could not bind their own port 80, or undefined. */
export function port80Problem(): string | undefined {
  const listeners = execFileSync('ss', ['-Hltn'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  if (/(^|\s)(0\.0\.0\.0|\*|\[::\]):80\s/m.test(listeners)) {
    return "something on this machine listens on every address's port 80 (nginx started by its package?): the hosts' nginx cannot bind their own";
  }
  return undefined;
}
